/**
 * The local backend: a text-to-video model pack (Wan 2.1 ONNX layout) run by
 * onnxruntime-node in the inference worker. One backend per installed pack,
 * id `local:<pack id>`. Before a run the fit check compares the memory the
 * manifest says the size needs with the device's; the pipeline then runs on
 * the first execution provider that starts (CUDA → DirectML → CoreML → CPU),
 * and the frames are encoded at the shot's size and rate with the shot's
 * sound: the same speech, contact sounds and room tone the embedded previz
 * makes for that shot (its scene simulated once, spatialised for the camera).
 *
 * The take records the pack (model, version), the seed, the provider, the
 * steps, the guidance and the measured times (load, text, every step, decode).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../audio/wav.js';
import { KlappeError } from '../../common/errors.js';
import { framesToMicros, framesToSamples, framesToSeconds, rateToString } from '../../common/time.js';
import { assertFits } from '../../inference/fit-check.js';
import { inferenceHost } from '../../inference/inference-host.js';
import { packFile, readPackManifest, type PackManifest } from '../../inference/pack-manifest.js';
import { deviceMemory, PROVIDER_LABEL, providersToTry } from '../../inference/providers.js';
import type { T2vJob, T2vResult } from '../../inference/wan-t2v.js';
import { runFfmpeg } from '../../media/run.js';
import type { Backend, Capabilities, GenerateContext, GeneratedMedia, ShotRequest } from '../backend.js';
import { shotPrompt } from '../cloud/prompt.js';
import { planPrevizShot, takeMetadata } from '../previz/previz-backend.js';
import { takeAudioFilter, takeOutputArgs } from '../../media/take-encode.js';

export const LOCAL_BACKEND_VERSION = '1';

/** The sampler: UniPC (Wan's reference) unless KLAPPE_LOCAL_SCHEDULER=euler. */
export function localScheduler(): 'euler' | 'unipc' {
  return process.env.KLAPPE_LOCAL_SCHEDULER === 'euler' ? 'euler' : 'unipc';
}
/**
 * Seconds per step (both guidance passes) until the pack has measured its own:
 * Wan 2.1 1.3B at 832x480 and 81 frames takes about 4 min for 50 steps on an
 * RTX 4090 (the model card), a latent of 104 × 60 × 21 voxels; other sizes scale
 * with the voxels.
 */
export const DOCUMENTED_SECONDS_PER_STEP = 4.8;
export const DOCUMENTED_LATENT_VOXELS = 104 * 60 * 21;

/** The size the pack generates at for a request: the pack's default area in the request's aspect, in steps of 16 pixels. */
export function generationSize(m: PackManifest, request: Pick<ShotRequest, 'size'>): { width: number; height: number } {
  const step = (m.latent?.spatialScale ?? 8) * 2;
  const area = (m.defaults.width ?? 832) * (m.defaults.height ?? 480);
  const aspect = request.size.width / request.size.height;
  const h = Math.sqrt(area / aspect);
  const snap = (v: number) => Math.max(step, Math.round(v / step) * step);
  return { width: snap(h * aspect), height: snap(h) };
}

/** Frames the pack makes for the shot at its own rate (1 + temporal scale × k, as the latent needs). */
export function generationFrames(m: PackManifest, request: Pick<ShotRequest, 'shot' | 'rate'>): number {
  const fps = m.defaults.fps ?? 16;
  const ts = m.latent?.temporalScale ?? 4;
  const want = Math.max(1, Math.round(framesToSeconds(request.shot.duration, request.rate) * fps));
  return 1 + ts * Math.ceil((want - 1) / ts);
}

function steps(m: PackManifest, request: Pick<ShotRequest, 'quality'>): number {
  const n = m.defaults.steps ?? 30;
  return request.quality === 'draft' ? Math.max(1, Math.round(n / 2)) : n;
}

export interface LocalBackendOptions {
  /** Tests: a failure thrown inside a step (e.g. an out-of-memory message). */
  fault?: T2vJob['fault'];
  /** Measured seconds per step of this backend on a provider at a latent size (the learned estimate); the documented figure when undefined. */
  secondsPerStep?: (backend: string, provider: string, voxels: number) => number | undefined;
}

/** The backend of the pack in `dir`. */
export function createLocalBackend(dir: string, opts: LocalBackendOptions = {}): Backend {
  let manifest = readPackManifest(dir);
  if (manifest.pipeline !== 'wan2.1-t2v')
    throw new KlappeError({
      code: 'PACK_NOT_TEXT_TO_VIDEO',
      kind: 'input',
      message: `${manifest.id} is a ${manifest.pipeline} pack, not a text-to-video one`,
      file: join(dir, 'klappe-pack.json'),
    });
  const id = `local:${manifest.id}`;
  const graph = (role: 'text_encoder' | 'transformer' | 'vae_decoder' | 'tokenizer') => join(dir, packFile(manifest, role)!.path);

  const plan = (request: ShotRequest) => {
    const size = generationSize(manifest, request);
    const frames = generationFrames(manifest, request);
    const ts = manifest.latent?.temporalScale ?? 4;
    const s = manifest.latent?.spatialScale ?? 8;
    const voxels = (size.width / s) * (size.height / s) * (Math.floor((frames - 1) / ts) + 1);
    return { size, frames, voxels, steps: steps(manifest, request) };
  };

  const backend: Backend = {
    id,
    get version() {
      return `${LOCAL_BACKEND_VERSION}:${localScheduler()}:${manifest.id}@${manifest.version}`;
    },

    capabilities(): Capabilities {
      return { modes: ['text-to-video'], sizes: [], maxDurationSeconds: 20, audio: true, remote: false };
    },

    estimate(request) {
      const p = plan(request);
      const provider = providersToTry()[0] ?? 'cpu';
      const measured = opts.secondsPerStep?.(id, provider, p.voxels);
      // a CPU is about 50 times slower than the GPU the documented figure is for
      const documented = ((DOCUMENTED_SECONDS_PER_STEP * p.voxels) / DOCUMENTED_LATENT_VOXELS) * (provider === 'cpu' ? 50 : 1);
      return { seconds: p.steps * (measured ?? documented), costUsd: 0 };
    },

    validate(request) {
      manifest = readPackManifest(dir);
      const p = plan(request);
      const provider = providersToTry()[0] ?? 'cpu';
      assertFits(
        manifest.memory,
        { ...p.size, frames: p.frames },
        deviceMemory(provider),
        manifest.id,
        (manifest.latent?.spatialScale ?? 8) * 2,
      );
    },

    async generate(request: ShotRequest, ctx: GenerateContext): Promise<GeneratedMedia> {
      backend.validate!(request);
      const p = plan(request);
      const fps = manifest.defaults.fps ?? 16;
      const provider = providersToTry()[0] ?? 'cpu';
      const memory = deviceMemory(provider);
      const job: T2vJob = {
        pack: manifest.id,
        graphs: {
          textEncoder: graph('text_encoder'),
          transformer: graph('transformer'),
          vaeDecoder: graph('vae_decoder'),
          tokenizer: graph('tokenizer'),
        },
        prompt: shotPrompt(request),
        negativePrompt: request.shot.negativePrompt ?? '',
        seed: request.seed,
        steps: p.steps,
        guidance: manifest.defaults.guidance ?? 5,
        shift: manifest.defaults.shift ?? 3,
        scheduler: localScheduler(),
        width: p.size.width,
        height: p.size.height,
        frames: p.frames,
        latent: {
          channels: manifest.latent?.channels ?? 16,
          spatialScale: manifest.latent?.spatialScale ?? 8,
          temporalScale: manifest.latent?.temporalScale ?? 4,
        },
        // a decoder without temporal compression works per frame; Wan's causal VAE needs the whole latent
        decodeChunk: (manifest.latent?.temporalScale ?? 4) === 1 ? 1 : 0,
        framesFile: join(ctx.workDir, 'frames.rgb'),
        ...(opts.fault ? { fault: opts.fault } : {}),
      };
      // the shot's sound (speech, contacts, room tone) while the model runs
      const sound = planPrevizShot(request);
      sound.catch(() => {});
      let shown = false;
      const t0 = performance.now();
      const result: T2vResult = await inferenceHost().run(job, {
        signal: ctx.signal,
        budgetBytes: Math.floor(memory.totalBytes * 0.8),
        onProgress: (pr) => {
          if (pr.provider && !shown) {
            shown = true;
            // the queue shows the provider next to the backend (as a farm server's label)
            ctx.saveResumeState({ provider: PROVIDER_LABEL[pr.provider], restart: true });
          }
          const eta = pr.etaSeconds !== undefined ? ` · ${Math.ceil(pr.etaSeconds)} s left` : '';
          ctx.onProgress({ fraction: pr.fraction * 0.95, stage: `${pr.stage}${eta}` });
        },
      });
      const inferenceMs = performance.now() - t0;
      const plan2 = await sound;
      const wav = join(ctx.workDir, 'shot.wav');
      writeFileSync(wav, encodeWav(plan2.audio, 2, 48000));
      const video = join(ctx.workDir, 'local.mp4');
      ctx.onProgress({ fraction: 0.95, stage: 'encoding' });
      await encodeFrames({
        framesFile: job.framesFile,
        width: result.width,
        height: result.height,
        fps,
        request,
        wav,
        output: video,
        signal: ctx.signal,
      });
      ctx.onProgress({ fraction: 1, stage: 'done' });
      const base = takeMetadata(plan2, request);
      return {
        video,
        audio: wav,
        model: manifest.id,
        modelVersion: manifest.version,
        durationFrames: request.shot.duration,
        params: {
          provider: result.provider,
          providerLabel: PROVIDER_LABEL[result.provider],
          steps: job.steps,
          secondsPerStep: Math.round(median(result.stepMs)) / 1000,
          voxels: p.voxels,
          loadMs: Math.round(result.loadMs),
          inferenceMs: Math.round(inferenceMs),
          guidance: job.guidance,
          pack: manifest.id,
          generatedWidth: result.width,
          generatedHeight: result.height,
        },
        metadata: {
          ...base,
          backend: id,
          version: backend.version,
          pack: { id: manifest.id, version: manifest.version, licence: manifest.licence },
          seed: request.seed,
          prompt: job.prompt,
          negativePrompt: job.negativePrompt,
          provider: result.provider,
          providers: result.providers,
          providersSkipped: result.skipped,
          steps: job.steps,
          guidance: job.guidance,
          shift: job.shift,
          scheduler: job.scheduler,
          generated: { width: result.width, height: result.height, frames: result.frames, fps, latent: result.latentShape },
          timings: {
            inferenceMs: Math.round(inferenceMs),
            loadMs: Math.round(result.loadMs),
            textMs: Math.round(result.textMs),
            textCached: result.textCached,
            stepMs: result.stepMs.map((v) => Math.round(v * 10) / 10),
            decodeMs: Math.round(result.decodeMs),
          },
          voxels: p.voxels,
        },
      };
    },
  };
  return backend;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : 0;
}

/** Raw RGB frames at the pack's rate → the shot's size, rate and length (last frame held), with its sound. */
async function encodeFrames(o: {
  framesFile: string;
  width: number;
  height: number;
  fps: number;
  request: ShotRequest;
  wav: string;
  output: string;
  signal: AbortSignal;
}): Promise<void> {
  const { rate, size, shot } = o.request;
  const r = rateToString(rate);
  const samples = framesToSamples(shot.duration, rate);
  const seconds = framesToSeconds(shot.duration, rate);
  await runFfmpeg(
    [
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${o.width}x${o.height}`,
      '-framerate',
      String(o.fps),
      '-i',
      o.framesFile,
      '-i',
      o.wav,
      '-filter_complex',
      `[0:v]tpad=stop_mode=clone:stop_duration=${seconds.toFixed(3)},fps=${r},scale=${size.width}:${size.height}:flags=bicubic,setsar=1[v];` +
        takeAudioFilter(samples),
      '-map',
      '[v]',
      '-map',
      '[a]',
      '-frames:v',
      String(shot.duration),
      ...takeOutputArgs({ rate: r, crf: 18, audioBitrate: '160k', output: o.output }),
    ],
    { signal: o.signal, durationUs: framesToMicros(shot.duration, rate), what: 'encoding the local take' },
  );
}
