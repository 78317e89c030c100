/**
 * How far off the time estimates are on previz takes made on this machine:
 * the documented constant (previz's `estimate()`, the baseline) against the
 * estimate learned from the takes made before each one (engine/jobs/timings.ts),
 * over a run of real previz jobs through the queue (real SQLite, real renders).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectSession } from '../engine/api/project-session.js';
import { sessionAccess } from '../engine/api/session-jobs.js';
import { closeDatabases, openDatabase } from '../engine/cache/database.js';
import { MediaStore } from '../engine/cache/media-store.js';
import { resolveBackend } from '../engine/generate/router.js';
import { buildShotRequest } from '../engine/generate/shot-request.js';
import { JobQueue } from '../engine/jobs/queue.js';
import { outputSeconds } from '../engine/jobs/run-cost.js';
import { createProjectFromTemplate } from '../engine/model/templates.js';
import type { SecretStore } from '../engine/secrets/secret-store.js';
import { report } from './support.js';

const noSecrets: SecretStore = { get: () => undefined, set: () => {}, delete: () => {}, source: () => undefined };
const RUNS = Number(process.env.KLAPPE_BENCH_ESTIMATE_RUNS ?? 12);
const SIZE = { width: 640, height: 360 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

export async function benchEstimates(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'klappe-bench-est-'));
  const oldData = process.env.KLAPPE_DATA_DIR;
  process.env.KLAPPE_DATA_DIR = join(work, 'data');
  try {
    const file = createProjectFromTemplate(join(work, 'p'), 'two-scenes');
    const session = ProjectSession.open(file, () => {});
    const queue = new JobQueue({
      db: openDatabase(join(work, 'data', 'klappe.db')),
      store: new MediaStore(join(work, 'data', 'media')),
      secrets: noSecrets,
      pollMs: 50,
      projects: sessionAccess(session),
    });
    const previz = resolveBackend('previz');
    const shots = session.doc.scenes.flatMap((s) => s.shots.map((x) => x.id));
    const documented: number[] = [];
    const learned: number[] = [];
    queue.start();
    for (let i = 0; i < RUNS; i++) {
      const shotId = shots[i % shots.length]!;
      const request = buildShotRequest(session.doc, shotId, { size: SIZE, seed: 1000 + i });
      const doc = previz.estimate(request).seconds;
      const est = queue.timings.estimate('previz', SIZE.width * SIZE.height, outputSeconds('previz', request), doc);
      const [job] = queue.enqueue(file, [shotId], { size: SIZE, seed: 1000 + i, backendId: 'previz' });
      const [done] = await queue.waitFor([job!.id]);
      const take = session.doc.takes.find((t) => t.id === done!.takeId);
      const actual = take!.cost!.wallMs / 1000;
      documented.push(Math.abs(doc - actual) / actual);
      if (est.confidence.source === 'measured') learned.push(Math.abs(est.seconds - actual) / actual);
      process.stdout.write(
        `  run ${i + 1}: shot ${shotId}, actual ${actual.toFixed(2)} s, documented ${doc.toFixed(2)} s, estimate ${est.seconds.toFixed(2)} s (${est.confidence.source}, ${est.confidence.samples} takes)\n`,
      );
    }
    await queue.stop();
    session.close();
    const pct = (x: number) => x * 100;
    report({
      name: `previz ${SIZE.width}x${SIZE.height} estimate error, learned (median over runs ${RUNS - learned.length + 1}-${RUNS})`,
      value: pct(median(learned)),
      unit: '%',
      baseline: { name: 'documented constant', value: pct(median(documented.slice(RUNS - learned.length))) },
    });
    report({ name: 'previz estimate error, documented constant (median over all runs)', value: pct(median(documented)), unit: '%' });
  } finally {
    closeDatabases();
    if (oldData === undefined) delete process.env.KLAPPE_DATA_DIR;
    else process.env.KLAPPE_DATA_DIR = oldData;
    rmSync(work, { recursive: true, force: true });
  }
}
