import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheIndex } from '../../engine/cache/cache-index.js';
import { closeDatabases, DB_SCHEMA_VERSION, openDatabase } from '../../engine/cache/database.js';
import { checkCache, collectGarbage, parseSize } from '../../engine/cache/maintenance.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { DEFAULT_BACKEND_ID } from '../../engine/generate/registry.js';
import { routeShot } from '../../engine/generate/router.js';
import type { JobEvent } from '../../engine/jobs/job.js';
import { JobQueue } from '../../engine/jobs/queue.js';
import { ProjectSession } from '../../engine/api/project-session.js';
import type { SecretStore } from '../../engine/secrets/secret-store.js';
import { tempDir } from '../support/env.js';
import { noSecrets, openTestQueue } from '../support/job-queue.js';

const t = tempDir('klappe-queue-');
afterAll(() => {
  closeDatabases();
  t.cleanup();
});

describe('cache index', () => {
  const db = () => openDatabase(join(t.dir, 'cache.db'));
  const store = new MediaStore(join(t.dir, 'media'));

  it('migrates by user_version, in WAL mode with a busy timeout', () => {
    const d = db();
    expect(d.pragma('user_version', { simple: true })).toBe(DB_SCHEMA_VERSION);
    expect(d.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(d.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('evicts least-recently-used media to the budget, never media pinned by a recent project; check finds corrupt files', async () => {
    const index = new CacheIndex({ db: db(), store });
    const hashes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const f = join(t.dir, `m${i}.bin`);
      writeFileSync(f, Buffer.alloc(1000, i + 1));
      const h = await index.ingest(f);
      index.touch([h], 1000 + i);
      hashes.push(h);
    }
    index.pinProject('/p/project.klappe', [hashes[0]!]);
    index.touch([hashes[0]!], 1); // oldest use, but pinned
    const r = collectGarbage(index, { budgetBytes: 2500 });
    expect(r.evicted).toEqual([hashes[1], hashes[2]]);
    expect(store.has(hashes[0]!)).toBe(true);
    expect(store.has(hashes[3]!)).toBe(true);
    expect(index.usable(hashes[1]!)).toBe(false);
    writeFileSync(store.pathFor(hashes[3]!), 'garbage');
    const c = await checkCache(index);
    expect(c.corrupt).toEqual([hashes[3]]);
    expect(index.usable(hashes[3]!)).toBe(false);
    expect(index.stats().corrupt).toBe(1);
    expect(parseSize('1.5G')).toBe(1.5 * 2 ** 30);
  });
});

describe('router', () => {
  it("takes the user's choice, else local, else a configured cloud, else the default — with the reason", () => {
    expect(routeShot({ backend: 'slate' }, { secrets: noSecrets }).backend.id).toBe('slate');
    const local = routeShot({ backend: 'onnx' }, { secrets: noSecrets });
    expect(local.backend.id).toBe(DEFAULT_BACKEND_ID);
    expect(local.fallbackReason).toMatch(/^onnx chosen but the local model folder .* does not exist/);
    const keyed: SecretStore = { ...noSecrets, get: (n) => (n === 'gemini' ? 'k-123456' : undefined) };
    expect(routeShot({}, { secrets: keyed }).backend.id).toBe('veo');
    expect(routeShot({ backend: 'comfyui' }, { secrets: keyed })).toMatchObject({
      fallbackReason: expect.stringMatching(/comfyui chosen but no ComfyUI server/),
    });
    expect(() => routeShot({ backend: 'nope' }, { secrets: noSecrets })).toThrow(/no generation backend called "nope"/);
  });
});

describe('job queue (real SQLite, real slate backend)', () => {
  let file: string;
  let queue: JobQueue;
  let session: ProjectSession;
  beforeAll(() => {
    process.env.KLAPPE_DATA_DIR = join(t.dir, 'data');
    ({ file, session, queue } = openTestQueue(t.dir));
  });
  afterAll(() => session.close());

  it('writes the job before work, dedupes a queued key, streams events, and serves the second run from the cache', async () => {
    const events: JobEvent[] = [];
    queue.on('job', (e) => events.push(e));
    const [a] = queue.enqueue(file, ['s1'], { size: { width: 160, height: 90 }, backendId: 'slate' });
    expect(a!.state).toBe('queued');
    expect(queue.get(a!.id)!.state).toBe('queued');
    const [again] = queue.enqueue(file, ['s1'], { size: { width: 160, height: 90 }, backendId: 'slate' });
    expect(again!.id).toBe(a!.id);
    queue.start();
    const [done] = await queue.waitFor([a!.id]);
    expect(done).toMatchObject({ state: 'succeeded', progress: 1, attempts: 1, fromCache: false });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['job.queued', 'job.started', 'job.progress', 'job.done']));
    expect(events.some((e) => e.type === 'job.progress' && e.job.etaSeconds !== undefined)).toBe(true);
    // the take is in the open session (the queue never writes the file)
    expect(session.doc.takes.find((tk) => tk.id === done!.takeId)).toMatchObject({
      shotId: 's1',
      backend: 'slate',
      cacheKey: done!.cacheKey,
    });
    expect(readFileSync(file, 'utf8')).not.toContain(done!.takeId!);
    const [cached] = queue.enqueue(file, ['s1'], { size: { width: 160, height: 90 }, backendId: 'slate' });
    expect(cached).toMatchObject({ state: 'succeeded', fromCache: true, takeId: done!.takeId });
    await queue.stop();
  });

  it("cancels a running job within a second; retry runs it again; a dead process's job is taken over", async () => {
    const shot = session.doc.scenes[0]!.shots[1]!.id;
    session.apply({ type: 'shot.update', shotId: shot, patch: { duration: 24 * 400 } });
    queue.start();
    const [job] = queue.enqueue(file, [shot], { size: { width: 320, height: 180 }, backendId: 'slate' });
    await new Promise<void>((r) => {
      const off = queue.on('job.progress', (e) => {
        if (e.job.id === job!.id) {
          off();
          r();
        }
      });
    });
    const t0 = Date.now();
    queue.cancel(job!.id);
    const [c] = await queue.waitFor([job!.id]);
    expect(c!.state).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(1000);
    await queue.stop();
    // a row left "running" by a process that no longer exists goes back to the queue
    const db = queue.jobs.db;
    db.prepare(`UPDATE jobs SET state = 'running', owner_pid = 999999, heartbeat_at = 0 WHERE id = ?`).run(job!.id);
    const recovered = queue.recover();
    expect(recovered.map((j) => j.id)).toContain(job!.id);
    expect(queue.get(job!.id)!.state).toBe('queued');
    queue.cancel(job!.id);
    expect(queue.retry(job!.id).state).toBe('queued');
    queue.cancel(job!.id);
    expect(() => queue.retry('job-nonexistent')).toThrow(/no job "job-nonexistent"/);
  });
});
