/**
 * Voice activity detection with Silero VAD v5 (onnxruntime-node, CPU).
 *
 * The model reads 16 kHz mono in chunks of 512 samples (with the 64 samples
 * before each chunk as context, as the reference wrapper does) and carries an
 * LSTM state [2,1,128] from chunk to chunk. Segments are turned into speech
 * ranges with the reference algorithm (threshold with hysteresis, minimum
 * speech and silence lengths, a little padding) and reported as integer
 * samples at 48 kHz, the document's audio clock.
 *
 * The product loads its own copy of the model from assets/models/vad/,
 * checked by sha256 before use.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { cancelledError } from '../common/errors.js';
import { runFfmpeg } from '../media/run.js';
import { assetPath } from '../util/paths.js';
import { readCheckedModel } from '../util/checked-model.js';

export interface SpeechSegment {
  /** First sample of speech, 48 kHz. */
  startSample: number;
  /** Sample after the last one of speech, 48 kHz. */
  endSample: number;
}

export interface VadOptions {
  /** Speech probability above which a chunk is speech (0..1, default 0.5). */
  threshold?: number;
  /** Shorter bursts of speech are dropped (default 250 ms). */
  minSpeechMs?: number;
  /** Pauses shorter than this do not split speech (default 100 ms). */
  minSilenceMs?: number;
  /** Padding added on both sides of each segment (default 30 ms). */
  padMs?: number;
  signal?: AbortSignal;
}

export const VAD_MODEL_FILE = assetPath('models', 'vad', 'silero_vad_v5.onnx');
export const VAD_MODEL_SHA256 = '2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f';

const SR = 16000;
const CHUNK = 512;
const CONTEXT = 64;
const OUT_PER_IN = 3; // 48 kHz / 16 kHz

let sessionPromise: Promise<ort.InferenceSession> | undefined;

/** The model session, created once per process from the checked model file. */
export function vadSession(modelFile = VAD_MODEL_FILE): Promise<ort.InferenceSession> {
  if (modelFile !== VAD_MODEL_FILE) return createSession(modelFile);
  sessionPromise ??= createSession(modelFile).catch((e: unknown) => {
    sessionPromise = undefined;
    throw e;
  });
  return sessionPromise;
}

async function createSession(modelFile: string): Promise<ort.InferenceSession> {
  // the shipped model is checked; another file (a test's) is read as it is
  const bytes =
    modelFile === VAD_MODEL_FILE ? readCheckedModel(modelFile, VAD_MODEL_SHA256, 'the voice activity model') : readFileSync(modelFile);
  return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
}

/** Speech probability of every 512-sample chunk of 16 kHz mono audio. */
export async function speechProbabilities(mono16k: Float32Array, opts: { signal?: AbortSignal } = {}): Promise<Float32Array> {
  const session = await vadSession();
  const chunks = Math.ceil(mono16k.length / CHUNK);
  const probs = new Float32Array(chunks);
  let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(2 * 1 * 128), [2, 1, 128]);
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SR)]), []);
  const input = new Float32Array(CONTEXT + CHUNK);
  for (let c = 0; c < chunks; c++) {
    if (opts.signal?.aborted) throw cancelledError('voice activity detection');
    const start = c * CHUNK;
    // context: the 64 samples before this chunk (zeros at the start)
    input.fill(0);
    for (let i = 0; i < CONTEXT; i++) {
      const j = start - CONTEXT + i;
      if (j >= 0) input[i] = mono16k[j]!;
    }
    const end = Math.min(mono16k.length, start + CHUNK);
    input.set(mono16k.subarray(start, end), CONTEXT);
    const out = await session.run({ input: new ort.Tensor('float32', input.slice(), [1, CONTEXT + CHUNK]), state, sr });
    probs[c] = (out.output!.data as Float32Array)[0]!;
    state = out.stateN!;
  }
  return probs;
}

/** Speech segments in 16 kHz mono samples; results in 48 kHz samples. */
export async function detectSpeechInSamples(mono16k: Float32Array, opts: VadOptions = {}): Promise<SpeechSegment[]> {
  const probs = await speechProbabilities(mono16k, opts);
  return segmentsFromProbabilities(probs, mono16k.length, opts);
}

/**
 * The reference segmentation (silero-vad get_speech_timestamps): speech starts
 * when a chunk passes the threshold and ends after `minSilenceMs` below
 * threshold − 0.15; short bursts are dropped; segments are padded. Pure.
 */
export function segmentsFromProbabilities(probs: ArrayLike<number>, totalSamples16k: number, opts: VadOptions = {}): SpeechSegment[] {
  const threshold = opts.threshold ?? 0.5;
  const negThreshold = Math.max(threshold - 0.15, 0.01);
  const minSpeech = ((opts.minSpeechMs ?? 250) * SR) / 1000;
  const minSilence = ((opts.minSilenceMs ?? 100) * SR) / 1000;
  const pad = Math.round(((opts.padMs ?? 30) * SR) / 1000);
  const raw: Array<[number, number]> = [];
  let triggered = false;
  let start = 0;
  let tempEnd = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    const pos = i * CHUNK;
    if (p >= threshold && tempEnd) tempEnd = 0;
    if (p >= threshold && !triggered) {
      triggered = true;
      start = pos;
      continue;
    }
    if (p < negThreshold && triggered) {
      if (!tempEnd) tempEnd = pos;
      if (pos - tempEnd < minSilence) continue;
      if (tempEnd - start > minSpeech) raw.push([start, tempEnd]);
      triggered = false;
      tempEnd = 0;
    }
  }
  if (triggered && totalSamples16k - start > minSpeech) raw.push([start, totalSamples16k]);
  // padding, without overlapping the neighbours
  for (let i = 0; i < raw.length; i++) {
    const seg = raw[i]!;
    if (i === 0) seg[0] = Math.max(0, seg[0] - pad);
    if (i < raw.length - 1) {
      const next = raw[i + 1]!;
      const gap = next[0] - seg[1];
      if (gap < 2 * pad) {
        seg[1] += Math.floor(gap / 2);
        next[0] = Math.max(0, next[0] - Math.floor(gap / 2));
      } else {
        seg[1] = Math.min(totalSamples16k, seg[1] + pad);
        next[0] = Math.max(0, next[0] - pad);
      }
    } else seg[1] = Math.min(totalSamples16k, seg[1] + pad);
  }
  return raw.map(([s, e]) => ({ startSample: s * OUT_PER_IN, endSample: e * OUT_PER_IN }));
}

/** Decodes any audio file ffmpeg reads to 16 kHz mono float32. */
export async function decodeMono16k(file: string, opts: { signal?: AbortSignal } = {}): Promise<Float32Array> {
  const { stdout } = await runFfmpeg(['-v', 'error', '-i', file, '-vn', '-f', 'f32le', '-ac', '1', '-ar', String(SR), 'pipe:1'], {
    captureStdout: true,
    signal: opts.signal,
    what: `decoding ${file} for voice activity`,
  });
  const aligned = new Float32Array(stdout.length >> 2);
  new Uint8Array(aligned.buffer).set(stdout.subarray(0, aligned.length * 4));
  return aligned;
}

/** Speech segments of an audio (or video) file, in samples at 48 kHz from its start. */
export async function detectSpeech(
  file: string,
  opts: { threshold?: number; minSpeechMs?: number; minSilenceMs?: number; signal?: AbortSignal } = {},
): Promise<Array<{ startSample: number; endSample: number }>> {
  const mono = await decodeMono16k(file, opts);
  return detectSpeechInSamples(mono, opts);
}
