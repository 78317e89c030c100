/**
 * The render farm: wall time for 24 shots on 1, 2 and 4 loopback ComfyUI servers
 * (each runs one prompt at a time with a fixed delay, like a GPU busy for that
 * long), through the real job queue, next to the ideal linear speed-up.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectSession } from '../engine/api/project-session.js';
import { sessionAccess } from '../engine/api/session-jobs.js';
import { closeDatabases, openDatabase } from '../engine/cache/database.js';
import { MediaStore } from '../engine/cache/media-store.js';
import { resetFarmPool } from '../engine/generate/cloud/comfyui-pool.js';
import { JobQueue } from '../engine/jobs/queue.js';
import { assetPath } from '../engine/util/paths.js';
import { ComfyTestServer } from '../test/servers/comfyui-server.js';
import { makeTestClip } from '../test/servers/test-clip.js';
import { makeLargeProject } from './foundation.bench.js';
import { report } from './support.js';

const SHOTS = 24;
const DELAY_MS = 400;

export async function benchFarm(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'klappe-bench-farm-'));
  const saved = {
    data: process.env.KLAPPE_DATA_DIR,
    urls: process.env.KLAPPE_COMFYUI_URLS,
    poll: process.env.KLAPPE_COMFYUI_POLL_MS,
    probe: process.env.KLAPPE_FARM_PROBE_MS,
  };
  const clip = await makeTestClip(join(work, 'clip.mp4'));
  const template = readFileSync(assetPath('templates', 'two-scenes', 'project.klappe'), 'utf8');
  let one = 0;
  try {
    for (const n of [1, 2, 4]) {
      const servers = await Promise.all(
        Array.from({ length: n }, () => new ComfyTestServer({ video: clip, delayMs: DELAY_MS, parallel: 1, steps: 2, stepMs: 1 }).start()),
      );
      const dir = join(work, `p${n}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'project.klappe'), makeLargeProject(template, SHOTS));
      process.env.KLAPPE_DATA_DIR = join(work, `data${n}`);
      process.env.KLAPPE_COMFYUI_URLS = servers.map((s, i) => `${s.url}#label=bench-${i + 1}`).join(',');
      process.env.KLAPPE_COMFYUI_POLL_MS = '50';
      process.env.KLAPPE_FARM_PROBE_MS = '1000';
      resetFarmPool();
      const session = ProjectSession.open(dir, () => {});
      const queue = new JobQueue({
        db: openDatabase(join(work, `data${n}`, 'klappe.db')),
        store: new MediaStore(join(work, `data${n}`, 'media')),
        projects: sessionAccess(session),
        pollMs: 50,
      });
      const t0 = performance.now();
      const jobs = queue.enqueue(
        session.file,
        session.doc.scenes.flatMap((s) => s.shots.map((x) => x.id)),
        { backendId: 'comfyui' },
      );
      queue.start();
      const done = await queue.waitFor(jobs.map((j) => j.id));
      const ms = performance.now() - t0;
      await queue.stop();
      session.close();
      closeDatabases();
      const ok = done.filter((j) => j.state === 'succeeded' && j.backend === 'comfyui').length;
      const prompts = servers.map((s) => s.counts.prompt);
      await Promise.all(servers.map((s) => s.close()));
      if (n === 1) one = ms;
      report({
        name: `farm: ${SHOTS} shots on ${n} server${n > 1 ? 's' : ''} (${DELAY_MS} ms a prompt, 1 slot each)`,
        value: ms / 1000,
        unit: 's',
        baseline: { name: `ideal linear (${SHOTS} × ${DELAY_MS} ms / ${n})`, value: (SHOTS * DELAY_MS) / n / 1000 },
        note: `${ok}/${SHOTS} done; prompts per server ${prompts.join('/')}; speed-up over 1 server ${(one / ms).toFixed(2)}× (ideal ${n}×)`,
      });
    }
  } finally {
    resetFarmPool();
    for (const [k, v] of [
      ['KLAPPE_DATA_DIR', saved.data],
      ['KLAPPE_COMFYUI_URLS', saved.urls],
      ['KLAPPE_COMFYUI_POLL_MS', saved.poll],
      ['KLAPPE_FARM_PROBE_MS', saved.probe],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(work, { recursive: true, force: true });
  }
}
