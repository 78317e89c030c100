/** Job queue and cache benchmarks: cache lookup with 100,000 entries, enqueue throughput, restart → resumed jobs. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheIndex } from '../engine/cache/cache-index.js';
import { closeDatabases, openDatabase } from '../engine/cache/database.js';
import { MediaStore } from '../engine/cache/media-store.js';
import { createProjectFromTemplate } from '../engine/model/templates.js';
import { ProjectSession } from '../engine/api/project-session.js';
import { sessionAccess } from '../engine/api/session-jobs.js';
import { JobQueue } from '../engine/jobs/queue.js';
import type { SecretStore } from '../engine/secrets/secret-store.js';
import { sha256Hex } from '../engine/util/hash.js';
import { report } from './support.js';

const noSecrets: SecretStore = { get: () => undefined, set: () => {}, delete: () => {}, source: () => undefined };

function percentiles(times: number[]): { p50: number; p99: number } {
  const s = [...times].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)]!, p99: s[Math.floor(s.length * 0.99)]! };
}

function timeEach(keys: string[], fn: (k: string) => unknown): number[] {
  const out: number[] = [];
  for (const k of keys) {
    const t = performance.now();
    fn(k);
    out.push((performance.now() - t) * 1000);
  }
  return out;
}

export async function benchJobs(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'klappe-bench-jobs-'));
  const oldData = process.env.KLAPPE_DATA_DIR;
  process.env.KLAPPE_DATA_DIR = join(work, 'data');
  try {
    // --- cache lookup with 100,000 entries
    const N = 100_000;
    const db = openDatabase(join(work, 'data', 'klappe.db'));
    const store = new MediaStore(join(work, 'data', 'media'));
    const index = new CacheIndex({ db, store });
    const f = join(work, 'clip.bin');
    writeFileSync(f, 'a small media file');
    const video = await index.ingest(f);
    const keys: string[] = [];
    const map = new Map<string, string>();
    const put = db.prepare(
      `INSERT INTO cache_entries (cache_key, backend, video_hash, take_json, created_at, last_used) VALUES (?, 'slate', ?, ?, 0, 0)`,
    );
    db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const key = sha256Hex(`key-${i}`);
        const json = JSON.stringify({
          cacheKey: key,
          backend: 'slate',
          model: 'slate',
          modelVersion: '1',
          seed: i,
          media: { video },
          duration: 48,
          params: {},
        });
        put.run(key, video, json);
        keys.push(key);
        map.set(key, json);
      }
    })();
    const sample = Array.from({ length: 20_000 }, (_, i) => keys[(i * 7919) % N]!);
    const pk = db.prepare(`SELECT take_json FROM cache_entries WHERE cache_key = ?`).pluck();
    timeEach(sample.slice(0, 2000), (k) => index.lookup(k)); // warm up
    const tl = performance.now();
    const lookup = percentiles(timeEach(sample, (k) => index.lookup(k)));
    const tf = performance.now();
    index.flush();
    const flushUs = ((performance.now() - tf) * 1000) / sample.length;
    const lookupTotalUs = ((performance.now() - tl) * 1000) / sample.length;
    const bare = percentiles(timeEach(sample, (k) => pk.get(k)));
    const plain = percentiles(timeEach(sample, (k) => map.get(k)));
    report({
      name: `cache lookup p50 (${N} entries, media checked on disk)`,
      value: lookup.p50,
      unit: 'µs',
      baseline: { name: 'bare SQLite primary-key select', value: bare.p50 },
    });
    report({
      name: `cache lookup p99 (${N} entries, media checked on disk)`,
      value: lookup.p99,
      unit: 'µs',
      baseline: { name: 'bare SQLite primary-key select', value: bare.p99 },
    });
    report({ name: 'cache lookup p50 vs a plain Map', value: lookup.p50, unit: 'µs', baseline: { name: 'Map.get', value: plain.p50 } });
    report({
      name: 'cache lookup mean incl. its batched LRU write',
      value: lookupTotalUs,
      unit: 'µs',
      note: `of which the batched LRU flush ${flushUs.toFixed(2)} µs per lookup`,
    });

    // --- enqueue throughput (each enqueue: the open session's document, route, build request, cache key, dedupe, insert)
    const file = createProjectFromTemplate(join(work, 'p'), 'two-scenes');
    const session = ProjectSession.open(file, () => {});
    const queue = new JobQueue({ db, store, secrets: noSecrets, projects: sessionAccess(session) });
    const rounds = 60;
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) queue.enqueue(file, ['s1', 's2', 's3', 's4', 's5'], { seed: 1000 + i });
    const enqueueMs = performance.now() - t0;
    const jobsPerSec = (rounds * 5) / (enqueueMs / 1000);
    const ins = db.prepare(
      `INSERT INTO jobs (id, seq, project_file, shot_id, backend, cache_key, options_json, state, created_at) VALUES (?, ?, 'f', 's', 'slate', ?, '{}', 'cancelled', 0)`,
    );
    const t1 = performance.now();
    for (let i = 0; i < rounds * 5; i++) ins.run(`bare-${i}`, 1e9 + i, `k${i}`);
    const bareMs = performance.now() - t1;
    report({
      name: 'enqueue throughput (route + cache key + dedupe + row)',
      value: jobsPerSec,
      unit: 'jobs/s',
      baseline: { name: 'bare INSERT of a job row, one per statement', value: (rounds * 5) / (bareMs / 1000) },
    });

    // --- restart → resumed jobs: rows left running by a dead process are taken over and restarted
    db.prepare(`UPDATE jobs SET state = 'running', owner_pid = 999999, heartbeat_at = 0 WHERE state = 'queued'`).run();
    const orphaned = db.prepare(`SELECT COUNT(*) FROM jobs WHERE state = 'running'`).pluck().get() as number;
    closeDatabases();
    const t2 = performance.now();
    const restarted = new JobQueue({
      db: openDatabase(join(work, 'data', 'klappe.db')),
      store,
      secrets: noSecrets,
      projects: sessionAccess(session),
    });
    const firstStarted = new Promise<number>((r) => {
      const off = restarted.on('job.started', () => {
        off();
        r(performance.now());
      });
    });
    restarted.start();
    const resumedMs = (await firstStarted) - t2;
    await restarted.stop({ abort: true });
    report({
      name: `restart → first resumed job running (${orphaned} orphaned jobs)`,
      value: resumedMs,
      unit: 'ms',
      note: 'open + migrate check + recover all + claim',
    });
    session.close();
  } finally {
    closeDatabases();
    if (oldData === undefined) delete process.env.KLAPPE_DATA_DIR;
    else process.env.KLAPPE_DATA_DIR = oldData;
    rmSync(work, { recursive: true, force: true });
  }
}
