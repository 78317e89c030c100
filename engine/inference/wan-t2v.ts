/**
 * Text to video with a pack in the Wan 2.1 ONNX layout (text_encoder,
 * transformer, vae_decoder, tokenizer), generic over the sizes the graphs
 * declare (latent channels, text length and width come from the graphs and the
 * manifest, not from constants), so a second family with the same three
 * roles reuses it:
 *
 *  1. tokenize the prompt and the negative prompt (UMT5 Unigram), encode each
 *     once (cached by prompt while the worker lives);
 *  2. seeded Gaussian latent [1, C, F, H/s, W/s];
 *  3. N flow-matching Euler steps, each a conditional and (guidance ≠ 1) an
 *     unconditional transformer run, mixed by classifier-free guidance;
 *     progress after every step, cancel checked before every step;
 *  4. decode the latent in chunks of latent frames (one at a time where the
 *     decoder works per frame) into RGB frames appended to a raw file.
 *
 * Runs where the sessions live: in the inference worker (inference-worker.ts).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { cancelledError, KlappeError } from '../common/errors.js';
import { LruCache } from '../util/lru-cache.js';
import { applyGuidance, eulerStep, flowSigmas, flowTimesteps, gaussianNoise, UniPcSampler } from './flow-match.js';
import { PROVIDER_LABEL, PROVIDER_ORDER, providerOffers, type ProviderId } from './providers.js';
import { isOutOfMemory, outOfMemoryError, type SessionCache } from './session-cache.js';
import { loadTokenizer, type UnigramTokenizer } from './unigram-tokenizer.js';

export interface T2vJob {
  pack: string;
  graphs: { textEncoder: string; transformer: string; vaeDecoder: string; tokenizer: string };
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  guidance: number;
  shift: number;
  /** The sampler: Euler, or UniPC (order 2, Wan's reference sampler). */
  scheduler: 'euler' | 'unipc';
  width: number;
  height: number;
  /** Video frames wanted (at the pack's frame rate). */
  frames: number;
  latent: { channels: number; spatialScale: number; temporalScale: number };
  /** Latent frames decoded per decoder run: 1 = frame by frame; 0 = the whole latent at once. */
  decodeChunk: number;
  /** Raw RGB24 frames are written here, one after another. */
  framesFile: string;
  /**
   * Tests: at this step, an error thrown as the runtime would throw it (e.g. an
   * out-of-memory message), or (`exit`) the worker thread ending as a native
   * crash would end it.
   */
  fault?: { atStep: number; message: string; exit?: boolean };
}

export interface T2vResult {
  /** The provider of the transformer (the one that does the work). */
  provider: ProviderId;
  providers: Record<'textEncoder' | 'transformer' | 'vaeDecoder', ProviderId>;
  /** Why better providers were not used. */
  skipped: string[];
  /** Sessions loaded for this run (ms; 0 when all were cached). */
  loadMs: number;
  textMs: number;
  textCached: boolean;
  stepMs: number[];
  decodeMs: number;
  /** Frames written, their size. */
  frames: number;
  width: number;
  height: number;
  latentShape: number[];
}

export interface T2vProgress {
  stage: string;
  /** Steps done so far (0…steps). */
  step: number;
  steps: number;
  fraction: number;
  /** Seconds left, from the measured step time. */
  etaSeconds?: number;
  /** The provider running the transformer (from the first progress after loading). */
  provider?: ProviderId;
}

export interface T2vHooks {
  cancelled(): boolean;
  progress(p: T2vProgress): void;
}

const tokenizers = new Map<string, UnigramTokenizer>();
/** Text encodings by encoder and prompt (both prompts of a shot, and every retake, reuse them). */
const textCache = new LruCache<string, ort.Tensor>({
  maxEntries: 32,
  maxBytes: 512 * 2 ** 20,
  sizeOf: (t) => (t.data as Float32Array).byteLength,
});

function dimOf(meta: ort.InferenceSession.ValueMetadata | undefined, axis: number): number | undefined {
  if (!meta || !meta.isTensor) return undefined;
  const d = meta.shape[axis];
  return typeof d === 'number' && d > 0 ? d : undefined;
}

function inputMeta(s: ort.InferenceSession, name: string): ort.InferenceSession.ValueMetadata | undefined {
  return s.inputMetadata.find((m) => m.name === name);
}

function requireInputs(s: ort.InferenceSession, graph: string, file: string, names: string[]): void {
  for (const n of names)
    if (!s.inputNames.includes(n))
      throw new KlappeError({
        code: 'PACK_GRAPH_MISMATCH',
        kind: 'input',
        message: `${graph} (${file}) has no input ${n} (it has ${s.inputNames.join(', ')})`,
        file,
        hint: 'The pack is not in the Wan 2.1 ONNX layout: re-import it with `klappe models import`.',
      });
}

async function guarded<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isOutOfMemory(e)) throw outOfMemoryError(what, e);
    throw e;
  }
}

export async function runT2v(job: T2vJob, sessions: SessionCache, hooks: T2vHooks): Promise<T2vResult> {
  const check = () => {
    if (hooks.cancelled()) throw cancelledError(`local generation with ${job.pack}`);
  };
  let loadMs = 0;
  const load = async (file: string) => {
    const s = await sessions.get(file);
    if (!s.cached) loadMs += s.loadMs;
    return s;
  };
  hooks.progress({ stage: 'loading the text encoder', step: 0, steps: job.steps, fraction: 0 });

  // 1. text
  const t0 = performance.now();
  let tokenizer = tokenizers.get(job.graphs.tokenizer);
  if (!tokenizer) tokenizers.set(job.graphs.tokenizer, (tokenizer = loadTokenizer(job.graphs.tokenizer)));
  const te = await load(job.graphs.textEncoder);
  requireInputs(te.session, 'text_encoder', job.graphs.textEncoder, ['input_ids']);
  const tr = await load(job.graphs.transformer);
  requireInputs(tr.session, 'transformer', job.graphs.transformer, ['hidden_states', 'timestep', 'encoder_hidden_states']);
  hooks.progress({
    stage: `encoding the prompt (${PROVIDER_LABEL[tr.provider]})`,
    step: 0,
    steps: job.steps,
    fraction: 0.02,
    provider: tr.provider,
  });
  const textLength = dimOf(inputMeta(tr.session, 'encoder_hidden_states'), 1) ?? dimOf(inputMeta(te.session, 'input_ids'), 1) ?? 512;
  let textCached = true;
  const encode = async (text: string): Promise<ort.Tensor> => {
    const key = `${job.graphs.textEncoder}\n${textLength}\n${text}`;
    const hit = textCache.get(key);
    if (hit) return hit;
    textCached = false;
    const { ids } = tokenizer.encodePadded(text, textLength);
    const out = await guarded('the text encoder', () => te.session.run({ input_ids: new ort.Tensor('int64', ids, [1, textLength]) }));
    const t = out[te.session.outputNames[0]!]!;
    textCache.set(key, t);
    return t;
  };
  check();
  const cond = await encode(job.prompt);
  const useGuidance = job.guidance !== 1;
  const uncond = useGuidance ? await encode(job.negativePrompt) : undefined;
  const textMs = performance.now() - t0 - loadMs;

  // 2. latent
  const { channels: C, spatialScale: s, temporalScale: ts } = job.latent;
  const F = Math.floor((job.frames - 1) / ts) + 1;
  const H = Math.round(job.height / s);
  const W = Math.round(job.width / s);
  const shape = [1, C, F, H, W];
  const count = C * F * H * W;
  let x = gaussianNoise(count, job.seed);

  // 3. denoise
  const sigmas = flowSigmas(job.steps, job.shift);
  const timesteps = flowTimesteps(sigmas);
  const tMeta = inputMeta(tr.session, 'timestep');
  const intTimestep = tMeta?.isTensor && tMeta.type === 'int64';
  const unipc = job.scheduler === 'unipc' ? new UniPcSampler(sigmas) : undefined;
  const stepMs: number[] = [];
  const outName = tr.session.outputNames.includes('out_sample') ? 'out_sample' : tr.session.outputNames[0]!;
  const predict = async (text: ort.Tensor, t: number): Promise<Float32Array> => {
    const out = await guarded(`the transformer (${job.pack})`, () =>
      tr.session.run({
        hidden_states: new ort.Tensor('float32', x, shape),
        timestep: intTimestep
          ? new ort.Tensor('int64', BigInt64Array.of(BigInt(Math.round(t))), [1])
          : new ort.Tensor('float32', Float32Array.of(t), [1]),
        encoder_hidden_states: text,
      }),
    );
    return Float32Array.from(out[outName]!.data as Float32Array);
  };
  for (let i = 0; i < job.steps; i++) {
    check();
    const ts0 = performance.now();
    if (job.fault && job.fault.atStep === i) {
      if (job.fault.exit) process.exit(70); // in the worker thread: ends the thread, not the process
      const fault = new Error(job.fault.message);
      throw isOutOfMemory(fault) ? outOfMemoryError(`the transformer (${job.pack})`, fault) : fault;
    }
    const v = await predict(cond, timesteps[i]!);
    if (uncond) applyGuidance(v, await predict(uncond, timesteps[i]!), job.guidance);
    if (unipc) x = unipc.step(i, x, v);
    else eulerStep(x, v, sigmas[i]!, sigmas[i + 1]!);
    stepMs.push(performance.now() - ts0);
    const mean = stepMs.reduce((a, b) => a + b, 0) / stepMs.length;
    hooks.progress({
      stage: `step ${i + 1}/${job.steps}`,
      step: i + 1,
      steps: job.steps,
      fraction: 0.05 + (0.85 * (i + 1)) / job.steps,
      etaSeconds: ((job.steps - i - 1) * mean) / 1000,
    });
  }

  // 4. decode
  check();
  const vd = await load(job.graphs.vaeDecoder);
  requireInputs(vd.session, 'vae_decoder', job.graphs.vaeDecoder, ['latent_sample']);
  const d0 = performance.now();
  const chunk = job.decodeChunk > 0 ? job.decodeChunk : F;
  const fd = openSync(job.framesFile, 'w');
  let frames = 0;
  let outW = 0;
  let outH = 0;
  try {
    for (let f0 = 0; f0 < F; f0 += chunk) {
      check();
      const n = Math.min(chunk, F - f0);
      const part = new Float32Array(C * n * H * W);
      for (let c = 0; c < C; c++)
        for (let f = 0; f < n; f++) {
          const from = (c * F + f0 + f) * H * W;
          part.set(x.subarray(from, from + H * W), (c * n + f) * H * W);
        }
      const out = await guarded(`the decoder (${job.pack})`, () =>
        vd.session.run({ latent_sample: new ort.Tensor('float32', part, [1, C, n, H, W]) }),
      );
      const sample = out[vd.session.outputNames[0]!]!;
      const [, ch, T, oh, ow] = sample.dims as number[];
      outW = ow!;
      outH = oh!;
      const data = sample.data as Float32Array;
      const plane = oh! * ow!;
      const rgb = Buffer.alloc(plane * 3);
      for (let t = 0; t < T!; t++) {
        for (let p = 0; p < plane; p++)
          for (let k = 0; k < 3; k++) {
            const v = data[(Math.min(k, ch! - 1) * T! + t) * plane + p]!;
            rgb[p * 3 + k] = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
          }
        writeSync(fd, rgb);
        frames++;
      }
      hooks.progress({
        stage: `decoding ${Math.min(F, f0 + n)}/${F}`,
        step: job.steps,
        steps: job.steps,
        fraction: 0.9 + (0.1 * Math.min(F, f0 + n)) / F,
      });
    }
  } finally {
    closeSync(fd);
  }
  const decodeMs = performance.now() - d0;
  // the better providers and why they did not run: not offered here, or failed to start
  const order = PROVIDER_ORDER.indexOf(tr.provider);
  const skipped = [
    ...providerOffers()
      .filter((o) => !o.offered && PROVIDER_ORDER.indexOf(o.id) < order)
      .map((o) => `${PROVIDER_LABEL[o.id]}: ${o.reason}`),
    ...sessions.skipped.values(),
  ];
  return {
    provider: tr.provider,
    providers: { textEncoder: te.provider, transformer: tr.provider, vaeDecoder: vd.provider },
    skipped,
    loadMs,
    textMs,
    textCached,
    stepMs,
    decodeMs,
    frames,
    width: outW,
    height: outH,
    latentShape: shape,
  };
}
