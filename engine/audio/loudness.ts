/**
 * Loudness targets and the EBU R128 meter (ffmpeg ebur128 with true peak) the
 * master (master.ts) aims with and checks its result with.
 */
import { inputError } from '../common/errors.js';
import { runFfmpeg } from '../media/run.js';

export const LOUDNESS_TARGETS = { streaming: -14, podcast: -16, broadcast: -23 } as const;
export type LoudnessPreset = keyof typeof LOUDNESS_TARGETS;

/** The true-peak ceiling of every export, dBTP. */
export const TRUE_PEAK_CEILING = -1;
/** How far from its target a master may measure, LU; more gets a corrective pass, then fails. */
export const LOUDNESS_TOLERANCE = 0.5;

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

/** The project's saved export loudness (the dialog's choice) → target LUFS; 'off' → none. */
export function exportLoudnessTarget(choice: LoudnessPreset | 'off'): number | undefined {
  return choice === 'off' ? undefined : LOUDNESS_TARGETS[choice];
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
  return parseEbur128Summary(stderr);
}

/** The summary ebur128 (peak=true) prints at the end of its stderr. */
export function parseEbur128Summary(stderr: string): LoudnessReading {
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
