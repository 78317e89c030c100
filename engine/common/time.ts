/**
 * Time in Klappe: integer frames at a rational frame rate, and integer audio
 * samples at 48 kHz. Every conversion between them lives here.
 */
import { inputError } from './errors.js';

export const AUDIO_RATE = 48000;

export interface Rate {
  /** Frames per `den` seconds: 24000/1001 is 23.976 fps. */
  num: number;
  den: number;
}

export const RATES = {
  '23.976': { num: 24000, den: 1001 },
  '24': { num: 24, den: 1 },
  '25': { num: 25, den: 1 },
  '29.97': { num: 30000, den: 1001 },
  '30': { num: 30, den: 1 },
  '50': { num: 50, den: 1 },
  '59.94': { num: 60000, den: 1001 },
  '60': { num: 60, den: 1 },
} as const satisfies Record<string, Rate>;

export function rateToString(rate: Rate): string {
  return rate.den === 1 ? `${rate.num}` : `${rate.num}/${rate.den}`;
}

/** Parses "24", "25", "30000/1001" or a name from RATES such as "29.97". */
export function parseRate(text: string): Rate {
  const named = (RATES as Record<string, Rate>)[text];
  if (named) return named;
  const m = /^(\d+)(?:\/(\d+))?$/.exec(text.trim());
  if (!m) throw inputError('BAD_RATE', `"${text}" is not a frame rate`, { hint: 'Use an integer like 24 or a ratio like 30000/1001.' });
  const rate = { num: Number(m[1]), den: Number(m[2] ?? 1) };
  if (rate.num <= 0 || rate.den <= 0) throw inputError('BAD_RATE', `"${text}" is not a positive frame rate`);
  return rate;
}

export function rateEquals(a: Rate, b: Rate): boolean {
  return a.num * b.den === b.num * a.den;
}

/** Nominal integer frames per second used by timecode (30 for 29.97). */
export function timecodeBase(rate: Rate): number {
  return Math.round(rate.num / rate.den);
}

/** Drop-frame timecode applies to the NTSC rates 30000/1001 and 60000/1001. */
export function isDropFrameRate(rate: Rate): boolean {
  return rate.den === 1001 && (rate.num === 30000 || rate.num === 60000);
}

/** The first audio sample of `frame`: ceil(frame × 48000 × den / num), so that sampleToFrame(frameToSample(f)) = f. */
export function frameToSample(frame: number, rate: Rate): number {
  assertInteger(frame, 'frame');
  return Math.ceil((frame * AUDIO_RATE * rate.den) / rate.num);
}

/** The frame that contains `sample`. */
export function sampleToFrame(sample: number, rate: Rate): number {
  assertInteger(sample, 'sample');
  return Math.floor((sample * rate.num) / (AUDIO_RATE * rate.den));
}

/** Number of samples spanned by `frames` frames starting at frame 0. */
export function framesToSamples(frames: number, rate: Rate): number {
  return frameToSample(frames, rate);
}

/** Frames needed to hold `samples` samples (rounded up). */
export function samplesToFramesCeil(samples: number, rate: Rate): number {
  assertInteger(samples, 'samples');
  return Math.ceil((samples * rate.num) / (AUDIO_RATE * rate.den));
}

/** Frames covering `ms` milliseconds (rounded to nearest) — for user input only. */
export function msToFrames(ms: number, rate: Rate): number {
  return Math.round((ms * rate.num) / (1000 * rate.den));
}

/** Seconds as a float, only for display and for ffmpeg arguments, never stored. */
export function framesToSeconds(frames: number, rate: Rate): number {
  return (frames * rate.den) / rate.num;
}

/** Exact duration string for ffmpeg: microseconds, rounded up to cover the last frame. */
export function framesToMicros(frames: number, rate: Rate): number {
  return Math.ceil((frames * rate.den * 1_000_000) / rate.num);
}

export function secondsToFramesRound(seconds: number, rate: Rate): number {
  return Math.round((seconds * rate.num) / rate.den);
}

/**
 * SMPTE timecode for a frame count. Drop-frame (`;` separator) for 29.97 and
 * 59.94: frame numbers 0 and 1 (0–3 at 59.94) are skipped at the start of every
 * minute except every tenth minute.
 */
export function framesToTimecode(frame: number, rate: Rate, opts: { dropFrame?: boolean } = {}): string {
  assertInteger(frame, 'frame');
  const base = timecodeBase(rate);
  const drop = opts.dropFrame ?? isDropFrameRate(rate);
  const sign = frame < 0 ? '-' : '';
  let f = Math.abs(frame);
  if (drop) {
    const dropPerMinute = Math.round(base / 15); // 2 at 30, 4 at 60
    const framesPer10Min = Math.round(base * 600 - dropPerMinute * 9);
    const framesPerMin = base * 60 - dropPerMinute;
    const tens = Math.floor(f / framesPer10Min);
    const rem = f % framesPer10Min;
    const extra = rem > dropPerMinute ? dropPerMinute * Math.floor((rem - dropPerMinute) / framesPerMin) : 0;
    f = f + dropPerMinute * 9 * tens + extra;
  }
  const ff = f % base;
  const totalSeconds = Math.floor(f / base);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600);
  const sep = drop ? ';' : ':';
  return `${sign}${pad2(hh)}:${pad2(mm)}:${pad2(ss)}${sep}${pad2(ff)}`;
}

/** Parses HH:MM:SS:FF (or HH:MM:SS;FF drop-frame) back to a frame count. */
export function timecodeToFrames(tc: string, rate: Rate): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})([:;.])(\d{2})$/.exec(tc);
  if (!m) throw inputError('BAD_TIMECODE', `"${tc}" is not a timecode`, { hint: 'Write HH:MM:SS:FF, or HH:MM:SS;FF for drop-frame.' });
  const [hh, mm, ss, ff] = [m[1], m[2], m[3], m[5]].map(Number) as [number, number, number, number];
  const base = timecodeBase(rate);
  const drop = m[4] === ';';
  if (ff >= base || ss >= 60 || mm >= 60)
    throw inputError('BAD_TIMECODE', `"${tc}" has a field out of range for ${rateToString(rate)} fps`);
  const totalMinutes = hh * 60 + mm;
  let frames = (hh * 3600 + mm * 60 + ss) * base + ff;
  if (drop) {
    const dropPerMinute = Math.round(base / 15);
    frames -= dropPerMinute * (totalMinutes - Math.floor(totalMinutes / 10));
  }
  return frames;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function assertInteger(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new TypeError(`${what} must be an integer, got ${n}`);
}

/** A frame position at rate `from` as the nearest frame at rate `to` (exact integer maths: no float seconds). */
export function rescaleFrames(frame: number, from: Rate, to: Rate): number {
  if (rateEquals(from, to)) return frame;
  const num = BigInt(frame) * BigInt(from.den) * BigInt(to.num);
  const den = BigInt(from.num) * BigInt(to.den);
  return Number((2n * num + den) / (2n * den));
}
