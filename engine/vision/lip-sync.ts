/**
 * Lip-sync check: does the mouth move when there is speech? The mouth's
 * movement (frame-to-frame change of its openness, smoothed over ±0.12 s) is
 * correlated with the speech probability of Silero VAD at the same times, at
 * lags up to ±0.8 s. In sync, the correlation at lag 0 is high and close to
 * the best over all lags; audio shifted against the picture moves the best lag
 * away from 0 and lowers the correlation at 0.
 *
 * Measured on the GRID clips (25 fps): in sync 0.61–0.70 at lag 0 with the best
 * lag within 0.08 s; audio 0.5 s late: −0.20–0.28 at lag 0, best lag 0.4–0.64 s.
 */
import { KlappeError } from '../common/errors.js';
import { decodeMono16k, segmentsFromProbabilities, speechProbabilities, type SpeechSegment } from '../audio/vad.js';
import { audioStream, probe, videoStream } from '../media/probe.js';
import { analyseFaces, type FaceAnalysis } from './face-analysis.js';

export interface LipSyncResult {
  /** Correlation of mouth movement and speech at lag 0 (−1..1). */
  score: number;
  /** Lag (s) with the best correlation; + when the sound comes after the picture. */
  lagSec: number;
  bestScore: number;
  passed: boolean;
  /** Seconds of speech found by VAD. */
  speechSec: number;
  /** Why it failed, when it did. */
  reason?: 'no-speech' | 'no-face' | 'not-in-sync';
}

/** Lag-0 correlation at or above which (with the best lag close to it) a take is in sync. */
export const LIP_SYNC_MIN_SCORE = 0.3;
const MAX_LAG_SEC = 0.8;
const SMOOTH_SEC = 0.12;
const MIN_SPEECH_SEC = 0.3;

/** Speech on the video's timeline: VAD probability per 32 ms chunk and segments (48 kHz samples). */
export interface SpeechTrack {
  /** Speech probability per 512-sample chunk of 16 kHz audio, from the video's start. */
  probs: Float32Array;
  segments: SpeechSegment[];
  speechSec: number;
}

/** VAD over the file's audio, aligned to its video (an audio stream that starts later is padded). Undefined without audio. */
export async function speechTrack(file: string, opts: { signal?: AbortSignal } = {}): Promise<SpeechTrack | undefined> {
  const info = await probe(file, opts);
  const as = audioStream(info);
  if (!as) return undefined;
  const vs = videoStream(info);
  let mono = await decodeMono16k(file, opts);
  const offset = Number(as.start_time ?? 0) - Number(vs?.start_time ?? 0);
  const shift = Math.round((Number.isFinite(offset) ? offset : 0) * 16000);
  if (shift > 0) {
    const padded = new Float32Array(mono.length + shift);
    padded.set(mono, shift);
    mono = padded;
  } else if (shift < 0) mono = mono.subarray(Math.min(mono.length, -shift));
  const probs = await speechProbabilities(mono, opts);
  const segments = segmentsFromProbabilities(probs, mono.length);
  const speechSec = segments.reduce((s, g) => s + (g.endSample - g.startSample), 0) / 48000;
  return { probs, segments, speechSec };
}

/** Speech probability at each frame time (the chunks overlapping the frame's interval, averaged). */
export function speechAtFrames(probs: Float32Array, timesMs: readonly number[], fps: number): number[] {
  const chunkMs = (512 / 16000) * 1000;
  return timesMs.map((t) => {
    const a = Math.max(0, Math.floor((t - 500 / fps) / chunkMs));
    const b = Math.min(probs.length - 1, Math.floor((t + 500 / fps) / chunkMs));
    let s = 0;
    for (let i = a; i <= b; i++) s += probs[i]!;
    return b >= a ? s / (b - a + 1) : 0;
  });
}

/** The lip-sync score from per-frame mouth openness (undefined: no face) and speech probability. Pure. */
export function lipSyncFromSeries(
  mouth: readonly (number | undefined)[],
  speech: readonly number[],
  fps: number,
  speechSec: number,
): LipSyncResult {
  const base = { score: 0, lagSec: 0, bestScore: 0, passed: false, speechSec };
  if (speechSec < MIN_SPEECH_SEC) return { ...base, reason: 'no-speech' };
  const seen = mouth.filter((m) => m !== undefined).length;
  if (seen < Math.max(3, mouth.length / 2)) return { ...base, reason: 'no-face' };
  const filled: number[] = [];
  let last = mouth.find((m) => m !== undefined) ?? 0;
  for (const m of mouth) filled.push((last = m ?? last));
  const move = filled.map((m, i) => (i === 0 ? 0 : Math.abs(m - filled[i - 1]!)));
  const r = Math.max(1, Math.round(SMOOTH_SEC * fps));
  const smooth = move.map((_, i) => {
    let s = 0;
    let k = 0;
    for (let j = Math.max(0, i - r); j <= Math.min(move.length - 1, i + r); j++, k++) s += move[j]!;
    return s / k;
  });
  const maxLag = Math.round(MAX_LAG_SEC * fps);
  let best = -2;
  let bestLag = 0;
  let score = 0;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const c = laggedCorrelation(smooth, speech, lag);
    if (lag === 0) score = c;
    if (c > best) {
      best = c;
      bestLag = lag;
    }
  }
  const lagSec = bestLag / fps;
  const passed = score >= LIP_SYNC_MIN_SCORE && (best - score <= 0.15 || Math.abs(lagSec) <= 0.2);
  return { score, lagSec, bestScore: best, passed, speechSec, ...(passed ? {} : { reason: 'not-in-sync' as const }) };
}

/** Pearson correlation of a[i] with b[i + lag] over the overlap. */
function laggedCorrelation(a: readonly number[], b: readonly number[], lag: number): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const j = i + lag;
    if (j >= 0 && j < b.length) {
      xs.push(a[i]!);
      ys.push(b[j]!);
    }
  }
  const n = xs.length;
  if (n < 3) return 0;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** Lip sync of the largest face in `analysis` against `speech`. */
export function lipSyncOfAnalysis(analysis: FaceAnalysis, speech: SpeechTrack | undefined): LipSyncResult {
  const mouth = analysis.frames.map((f) => largestFace(f.faces)?.measures?.mouthOpen);
  if (!speech) return lipSyncFromSeries(mouth, [], analysis.fps, 0);
  const probs = speechAtFrames(
    speech.probs,
    analysis.frames.map((f) => f.timeMs),
    analysis.fps,
  );
  return lipSyncFromSeries(mouth, probs, analysis.fps, speech.speechSec);
}

function largestFace<T extends { box: { width: number; height: number } }>(faces: readonly T[]): T | undefined {
  return faces.reduce<T | undefined>((b, f) => (!b || f.box.width * f.box.height > b.box.width * b.box.height ? f : b), undefined);
}

/**
 * Lip-sync check of a take or any talking video: the mouth of its largest face
 * against the speech VAD finds. Throws when the file has no video stream.
 */
export async function checkLipSync(file: string, opts: { fps?: number; signal?: AbortSignal } = {}): Promise<LipSyncResult> {
  const analysis = await analyseFaces(file, { fps: opts.fps ?? 25, signal: opts.signal });
  if (analysis.frames.length === 0)
    throw new KlappeError({
      code: 'NO_FRAMES',
      message: `no frames could be decoded from ${file}`,
      file,
      hint: 'Check that the file plays.',
    });
  return lipSyncOfAnalysis(analysis, await speechTrack(file, opts));
}
