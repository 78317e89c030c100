/**
 * A tiny Wan pack installed in the model folder: the router picks it, a shot
 * is generated through the real job queue (real SQLite, ProjectSession, the
 * inference worker, ffmpeg) into a take with backend, model, seed and
 * provider, the shot's speech and sound, reproducibly (identical framemd5);
 * the fit check refuses a run the device cannot hold; the learned per-step
 * time feeds the estimate; `local:<pack>` in the /v1 dialect picks the pack.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectSession } from '../../engine/api/project-session.js';
import { closeDatabases } from '../../engine/cache/database.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { generateTake } from '../../engine/generate/generate-take.js';
import { localModelProbe, setLocalBackendOptions } from '../../engine/generate/local-models.js';
import { createLocalBackend, generationFrames, generationSize } from '../../engine/generate/onnx/local-backend.js';
import { resolveBackend, routeShot } from '../../engine/generate/router.js';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { routeModel } from '../../engine/host/videos-api/models.js';
import { inferenceHost } from '../../engine/inference/inference-host.js';
import { parsePackManifest } from '../../engine/inference/pack-manifest.js';
import type { Job } from '../../engine/jobs/job.js';
import { JobQueue } from '../../engine/jobs/queue.js';
import { estimateShotOn } from '../../engine/jobs/run-cost.js';
import { locate } from '../../engine/media/locate.js';
import { audioStream, probe, videoStream } from '../../engine/media/probe.js';
import { tempDir } from '../support/env.js';
import { noSecrets, openTestQueue } from '../support/job-queue.js';
import { buildTinyWanPack } from '../support/tiny-wan-pack.js';

const t = tempDir('klappe-local-');
const models = join(t.dir, 'models');
const size = { width: 320, height: 180 };
let file: string;
let session: ProjectSession;
let queue: JobQueue;
const local = localModelProbe(() => models);

beforeAll(() => {
  mkdirSync(models, { recursive: true });
  buildTinyWanPack(join(models, 'tiny-wan'), { hidden: 32, seed: 3 });
  process.env.KLAPPE_DATA_DIR = join(t.dir, 'data');
  ({ file, session, queue } = openTestQueue(t.dir, { local }));
});
afterAll(async () => {
  await queue.stop();
  session.close();
  await inferenceHost().close();
  closeDatabases();
  t.cleanup();
});

function framemd5(path: string): string[] {
  const r = spawnSync(locate('ffmpeg').path, ['-v', 'error', '-i', path, '-map', '0:v', '-f', 'framemd5', '-'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l && !l.startsWith('#'));
}

describe('local generation with the tiny Wan pack', () => {
  it('the manifest of the tiny pack is a valid pack manifest', () => {
    const m = buildTinyWanPack(join(t.dir, 'check'), { hidden: 32 }).manifest;
    expect(parsePackManifest(m).pipeline).toBe('wan2.1-t2v');
  });

  it('the router prefers the installed pack, takes local:<pack>, and says why when a pack is missing', () => {
    const auto = routeShot({}, { secrets: noSecrets, local });
    expect(auto.backend.id).toBe('local:tiny-wan');
    expect(auto.reason).toBe('local model present');
    expect(routeShot({ backend: 'local:tiny-wan' }, { secrets: noSecrets, local }).backend.id).toBe('local:tiny-wan');
    expect(routeShot({ backend: 'onnx' }, { secrets: noSecrets, local }).backend.id).toBe('local:tiny-wan');
    const missing = routeShot({ backend: 'local:wan-14b' }, { secrets: noSecrets, local });
    expect(missing.fallbackReason).toMatch(/^local:wan-14b chosen but no text-to-video model pack "wan-14b" in .* \(installed: tiny-wan\)/);
    // the queue resolves a job's backend by id
    expect(resolveBackend('local:tiny-wan').id).toBe('local:tiny-wan');
    // the /v1 dialect: model local:<pack> asks for that pack
    expect(routeModel('local:tiny-wan')).toMatchObject({ backendId: 'local:tiny-wan', pack: 'tiny-wan' });
    // an empty folder: the reason, as before
    const empty = join(t.dir, 'empty');
    mkdirSync(empty);
    expect(localModelProbe(() => empty, { register: false })().reason).toBe(
      `no local model pack in ${empty} (a pack is a folder with klappe-pack.json)`,
    );
  });

  it('generates a take through the job queue with model, seed and provider recorded, sound, and the provider in the queue', async () => {
    const shot = session.doc.scenes[0]!.shots[0]!;
    const events: Job[] = [];
    const off = queue.on('job', (e) => events.push(e.job));
    queue.start();
    const [job] = queue.enqueue(file, [shot.id], { size, seed: 11 });
    expect(job!.backend).toBe('local:tiny-wan');
    const [done] = await queue.waitFor([job!.id]);
    off();
    expect(done).toMatchObject({ state: 'succeeded' });
    const take = session.doc.takes.find((x) => x.id === done!.takeId)!;
    expect(take).toMatchObject({ backend: 'local:tiny-wan', model: 'tiny-wan', seed: 11, status: 'ready' });
    expect(take.params).toMatchObject({ provider: 'cpu', steps: 4, guidance: 5, pack: 'tiny-wan', width: 320, height: 180 });
    expect(take.fallbackReason).toBeUndefined();
    expect(take.media.audio).toBeDefined();
    expect(take.cost?.energyWh).toBeGreaterThanOrEqual(0);
    // the queue showed the provider next to the backend, and progress went step by step
    expect(events.some((j) => j.server === 'CPU')).toBe(true);
    expect(events.some((j) => /^step 4\/4/.test(j.stage ?? ''))).toBe(true);
    const video = queue.index.store.pathFor(take.media.video!);
    const info = await probe(video, { countFrames: true });
    expect(videoStream(info)).toMatchObject({ width: 320, height: 180, nb_read_frames: String(shot.duration) });
    expect(audioStream(info)).toBeDefined();

    // the learned per-step time now drives the pack's estimate
    const request = buildShotRequest(session.doc, shot.id, { size });
    const backend = resolveBackend('local:tiny-wan');
    const voxels = take.params.voxels as number;
    const perStep = queue.timings.secondsPerStep('local:tiny-wan', 'cpu', voxels)!;
    expect(perStep).toBeGreaterThan(0);
    expect(backend.estimate(request).seconds).toBeCloseTo(4 * perStep, 6);
    // another latent size: scaled by voxels from the measured time per voxel; another provider: nothing measured yet
    expect(queue.timings.secondsPerStep('local:tiny-wan', 'cpu', voxels * 8)).toBeCloseTo(perStep * 8, 6);
    expect(queue.timings.secondsPerStep('local:tiny-wan', 'cuda', voxels)).toBeUndefined();
    const est = estimateShotOn('local:tiny-wan', request, { timings: queue.timings, secrets: noSecrets, local });
    expect(est).toMatchObject({ backend: 'local:tiny-wan', available: true });
    expect(est.energyWh).toBeGreaterThanOrEqual(0);
  });

  it('is reproducible: the same request twice gives identical frames (framemd5)', async () => {
    const backend = createLocalBackend(join(models, 'tiny-wan'));
    const shotId = session.doc.scenes[1]!.shots[0]!.id;
    const store = new MediaStore(join(t.dir, 'repro-media'));
    const a = await generateTake(session.doc, shotId, backend, store, { size, seed: 5 });
    const b = await generateTake(session.doc, shotId, backend, store, { size, seed: 5 });
    const c = await generateTake(session.doc, shotId, backend, store, { size, seed: 6 });
    const fa = framemd5(store.pathFor(a.media.video!));
    expect(fa.length).toBe(a.duration);
    expect(framemd5(store.pathFor(b.media.video!))).toEqual(fa);
    expect(framemd5(store.pathFor(c.media.video!))).not.toEqual(fa);
  });

  it('an out-of-memory during a run fails that job with the reason; the other jobs of the queue go on', async () => {
    const timings = queue.timings;
    setLocalBackendOptions({
      fault: { atStep: 1, message: 'CUDA failure 2: out of memory' },
      secondsPerStep: (b, p, v) => timings.secondsPerStep(b, p, v),
    });
    try {
      const shots = session.doc.scenes.flatMap((sc) => sc.shots.map((x) => x.id));
      const [oom] = queue.enqueue(file, [shots[1]!], { size, seed: 21 });
      const [other] = queue.enqueue(file, [shots[2]!], { size, seed: 21, backendId: 'slate' });
      const [a, b] = await queue.waitFor([oom!.id, other!.id]);
      expect(a).toMatchObject({ state: 'failed', backend: 'local:tiny-wan', error: { code: 'LOCAL_OUT_OF_MEMORY' } });
      expect(a!.error!.message).toMatch(/ran out of memory: CUDA failure 2: out of memory/);
      expect(b).toMatchObject({ state: 'succeeded' });
    } finally {
      setLocalBackendOptions({ secondsPerStep: (b, p, v) => timings.secondsPerStep(b, p, v) });
    }
  });

  it('refuses a run that will not fit before it starts, naming the need, the memory and the largest size that fits', () => {
    const backend = createLocalBackend(join(models, 'tiny-wan'));
    const request = buildShotRequest(session.doc, session.doc.scenes[0]!.shots[0]!.id, { size });
    const m = parsePackManifest(buildTinyWanPack(join(t.dir, 'sizes'), { hidden: 32 }).manifest);
    expect(generationSize(m, request)).toEqual({ width: 80, height: 48 });
    expect(generationFrames(m, request)).toBeGreaterThan(1);
    process.env.KLAPPE_DEVICE_MEMORY = '8K';
    try {
      expect(() => backend.validate!(request)).toThrow(/won't fit in this machine’s memory \(needs ~.* GB, has 0\.0 GB\)/);
      expect(() => queue.enqueue(file, [request.shot.id], { size, seed: 99 })).toThrow(expect.objectContaining({ code: 'LOCAL_WONT_FIT' }));
    } finally {
      delete process.env.KLAPPE_DEVICE_MEMORY;
    }
  });
});
