/**
 * Master loudness: targets, two-pass loudnorm (measure with print_format=json,
 * then linear=true with the measured values) under a true-peak ceiling, and
 * an EBU R128 meter (ffmpeg ebur128 with true peak) for checking results.
 */
import { inputError, KlappeError } from '../common/errors.js';
import { buildAudioMixArgs } from '../render/ffmpeg-graph.js';
import type { RenderPlan } from '../render/plan.js';
import { runFfmpeg } from '../media/run.js';

export const LOUDNESS_TARGETS = { streaming: -14, podcast: -16, broadcast: -23 } as const;
export type LoudnessPreset = keyof typeof LOUDNESS_TARGETS;

/** The true-peak ceiling of every export, dBTP. */
export const TRUE_PEAK_CEILING = -1;
/**
 * What loudnorm aims at: half a dB under the ceiling, because the AAC encoder
 * adds a little overshoot on its own.
 */
const TRUE_PEAK_AIM = TRUE_PEAK_CEILING - 0.5;
const LRA = 11;

/** "streaming" | "broadcast" | "podcast" | a number of LUFS ("-14", "-18.5") → target LUFS. */
export function parseLoudnessTarget(text: string): number {
  const key = text.trim().toLowerCase();
  if (key in LOUDNESS_TARGETS) return LOUDNESS_TARGETS[key as LoudnessPreset];
  const n = Number(key.replace(/\s*lufs$/, ''));
  if (key !== '' && Number.isFinite(n) && n >= -40 && n <= -5) return n;
  throw inputError('BAD_LOUDNESS', `loudness target "${text}" is not a preset or a level between −40 and −5 LUFS`, {
    path: '--loudness',
    hint: 'Use streaming (−14 LUFS), podcast (−16), broadcast (−23) or a number like -18.',
  });
}

export interface LoudnormMeasurement {
  input_i: string;
  input_tp: string;
  input_lra: string;
  input_thresh: string;
  target_offset: string;
}

/** The last JSON object loudnorm printed on stderr. */
export function parseLoudnormJson(stderr: string): LoudnormMeasurement {
  const start = stderr.lastIndexOf('{');
  const end = stderr.lastIndexOf('}');
  if (start < 0 || end < start)
    throw new KlappeError({ code: 'LOUDNESS_MEASURE_FAILED', message: 'ffmpeg loudnorm printed no measurement' });
  return JSON.parse(stderr.slice(start, end + 1)) as LoudnormMeasurement;
}

function firstPass(target: number): string {
  return `loudnorm=I=${target}:TP=${TRUE_PEAK_AIM}:LRA=${LRA}:print_format=json`;
}

/** First pass: measures the mix of a render plan. */
export async function measurePlanLoudness(plan: RenderPlan, target: number, signal?: AbortSignal): Promise<LoudnormMeasurement> {
  const { stderr } = await runFfmpeg(buildAudioMixArgs(plan, ['-f', 'null', '-'], { audio: [firstPass(target)] }), {
    signal,
    what: 'measuring the loudness of the mix',
  });
  return parseLoudnormJson(stderr);
}

/**
 * Second pass filters for the audio hook: linear gain to the target with the
 * true-peak limit, back to 48 kHz (loudnorm works at 192 kHz). Silence (no
 * measurable loudness) is left alone.
 */
export function loudnessFilters(m: LoudnormMeasurement, target: number): string[] {
  const inputI = Number(m.input_i);
  if (!Number.isFinite(inputI) || inputI < -70) return [];
  return [
    `loudnorm=I=${target}:TP=${TRUE_PEAK_AIM}:LRA=${LRA}:measured_I=${m.input_i}:measured_TP=${m.input_tp}:measured_LRA=${m.input_lra}:measured_thresh=${m.input_thresh}:offset=${m.target_offset}:linear=true:print_format=none`,
    // back to 48 kHz stereo explicitly: with no encoder after it (a measuring pass to null) ffmpeg cannot pick a layout on its own
    'aresample=48000',
    'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo',
  ];
}

export interface LoudnessReading {
  /** Integrated loudness, LUFS. */
  integrated: number;
  /** Loudness range, LU. */
  range: number;
  /** True peak, dBTP. */
  truePeak: number;
}

/** EBU R128 integrated loudness and true peak of a file's audio (ffmpeg ebur128, peak=true). */
export async function measureLoudness(file: string, signal?: AbortSignal): Promise<LoudnessReading> {
  const { stderr } = await runFfmpeg(['-nostats', '-i', file, '-vn', '-af', 'ebur128=peak=true', '-f', 'null', '-'], {
    signal,
    what: `measuring the loudness of ${file}`,
  });
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const num = (re: RegExp): number => {
    const m = re.exec(summary);
    return m ? (m[1] === '-inf' ? -Infinity : Number(m[1])) : NaN;
  };
  return {
    integrated: num(/I:\s+(-?[\d.]+|-inf) LUFS/),
    range: num(/LRA:\s+(-?[\d.]+) LU/),
    truePeak: num(/Peak:\s+(-?[\d.]+|-inf) dBFS/),
  };
}
