/**
 * The loudness master of an export. The mix is measured with the same EBU R128
 * meter that checks the result (ffmpeg ebur128, true peak), brought to the
 * target by a plain gain, and held under the true-peak ceiling by a lookahead
 * limiter only when the gain would push the peaks over it. The master is encoded to AAC as the
 * export will carry it (the render copies that stream) and measured again: a
 * miss of more than 0.5 LU or a peak over the ceiling gets one corrective pass,
 * and a second miss fails with both numbers.
 *
 * Why not ffmpeg's loudnorm: with `linear=true` it silently falls back to its
 * dynamic mode when the measured loudness range exceeds its LRA setting or the
 * gain would cross the peak target, and the dynamic mode's 3 s window does not
 * converge on short programs with silences (the sample measured −19.3 LUFS for
 * a −23 target). Its own meter also disagrees with ebur128 by ~0.7 LU there.
 */
import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { KlappeError } from '../common/errors.js';
import { runFfmpeg } from '../media/run.js';
import { aacArgs, buildAudioMixArgs } from '../render/ffmpeg-graph.js';
import type { RenderPlan } from '../render/plan.js';
import { LOUDNESS_TOLERANCE, measureLoudness, parseEbur128Summary, TRUE_PEAK_CEILING, type LoudnessReading } from './loudness.js';

/** Where the limiter holds the peaks before the AAC encode, dBTP: the encoder overshoots a little on its own. */
const LIMIT_AIM = TRUE_PEAK_CEILING - 0.8;
/** At or below this a mix has no measurable programme loudness (ebur128's absolute gate is −70 LUFS; it reads −70.0 for silence and for a mix shorter than one 400 ms block). */
const SILENT_BELOW = -70;
/** How close the aiming steps on the float mix get before the AAC encode, LU. */
const AIM_TOLERANCE = 0.2;
/** The limiter never goes lower than this (alimiter's own floor is −24 dB). */
const LIMIT_FLOOR_DB = -20;

export interface MasterOptions {
  /** Target integrated loudness, LUFS. */
  target: number;
  /** AAC bitrate of the master, as the export encodes it. */
  audioBitrate: string;
  signal?: AbortSignal;
  /** The meter (tests force a miss with their own). */
  measure?: (file: string, signal?: AbortSignal) => Promise<LoudnessReading>;
}

export interface MasterResult {
  /** The master's measurement, on the encoded file. */
  reading: LoudnessReading;
  /** The mix before the master. */
  mix: LoudnessReading;
  /** Gain applied, dB. */
  gainDb: number;
  /** Limiter ceiling, dBTP, when the limiter ran. */
  limitDb?: number;
  /** 1, or 2 with the corrective pass. */
  passes: number;
  /** The mix is silent: no target can apply, the master is the mix as it is. */
  silent: boolean;
}

/**
 * Gain, then (when asked) a lookahead limiter. It works on samples at 48 kHz
 * (4× oversampling cost 5× the time on a 10-minute mix); the peaks between
 * samples are caught by measuring the true peak after it and lowering its
 * ceiling by the overshoot.
 */
export function masterFilters(gainDb: number, limitDb?: number): string[] {
  const filters = [`volume=${gainDb.toFixed(2)}dB`];
  if (limitDb !== undefined) filters.push(`alimiter=limit=${Math.pow(10, limitDb / 20).toFixed(5)}:attack=5:release=100:level=false`);
  filters.push('aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo');
  return filters;
}

/** Does a reading meet the target under the ceiling? */
export function meetsTarget(r: LoudnessReading, target: number): boolean {
  return Math.abs(r.integrated - target) <= LOUDNESS_TOLERANCE && r.truePeak <= TRUE_PEAK_CEILING;
}

/**
 * Masters the plan's mix to `outFile` (AAC in MP4, 48 kHz stereo) at the
 * target. The mix is rendered once (32-bit float WAV next to `outFile`, measured
 * on the way); when the limiter has to work, the gain is found on that file
 * (the limiter takes loudness with the peaks, so a few measured steps); then
 * the AAC master is encoded and measured. A miss gets one corrective pass; a
 * second miss throws LOUDNESS_MISSED.
 */
export async function masterAudio(plan: RenderPlan, outFile: string, opts: MasterOptions): Promise<MasterResult> {
  const measure = opts.measure ?? measureLoudness;
  const { signal, target } = opts;
  const mixFile = join(dirname(outFile), `${basename(outFile)}.mix.wav`);
  try {
    const { stderr } = await runFfmpeg(
      buildAudioMixArgs(plan, ['-nostats', '-c:a', 'pcm_f32le', '-f', 'wav', mixFile], { audio: ['ebur128=peak=true'] }),
      { signal, what: 'rendering the mix for the loudness master' },
    );
    const mix = parseEbur128Summary(stderr);
    const encode = async (filters: string[]) => {
      await runFfmpeg(['-y', '-nostats', '-i', mixFile, '-af', filters.join(','), ...aacArgs(opts), '-f', 'mp4', outFile], {
        signal,
        what: 'encoding the loudness master',
      });
      return measure(outFile, signal);
    };
    if (!(mix.integrated > SILENT_BELOW)) {
      const reading = await encode(masterFilters(0));
      return { reading, mix, gainDb: 0, passes: 1, silent: true };
    }
    let { gainDb, limitDb } = await aim(mixFile, mix, target, signal);
    let reading = await encode(masterFilters(gainDb, limitDb));
    if (meetsTarget(reading, target)) return { reading, mix, gainDb, limitDb, passes: 1, silent: false };

    // corrective pass: the encoder added some peak, or the limiter took some loudness
    const first = reading;
    gainDb += target - reading.integrated;
    if (reading.truePeak > TRUE_PEAK_CEILING || limitDb !== undefined) {
      const over = Math.max(0, reading.truePeak - TRUE_PEAK_CEILING);
      limitDb = Math.max(LIMIT_FLOOR_DB, (limitDb ?? LIMIT_AIM) - (over > 0 ? over + 0.3 : 0));
    }
    reading = await encode(masterFilters(gainDb, limitDb));
    if (meetsTarget(reading, target)) return { reading, mix, gainDb, limitDb, passes: 2, silent: false };
    throw new KlappeError({
      code: 'LOUDNESS_MISSED',
      message:
        `the master measures ${fmt(reading.integrated)} LUFS, true peak ${fmt(reading.truePeak)} dBTP ` +
        `(first pass ${fmt(first.integrated)} LUFS, ${fmt(first.truePeak)} dBTP); the target is ${target} LUFS ±${LOUDNESS_TOLERANCE} LU ` +
        `with a true peak ≤ ${TRUE_PEAK_CEILING} dBTP. Nothing was written.`,
      hint: 'The mix cannot reach this loudness under the peak ceiling: pick a lower target, or lower the loudest moments of the mix.',
    });
  } finally {
    rmSync(mixFile, { force: true });
  }
}

/** Measured steps on the float mix at most. */
const AIM_STEPS = 4;

/**
 * Gain (and limiter ceiling) that bring the float mix to the target. A plain
 * gain is exact; with the limiter each step measures the limited mix and moves
 * the gain along the measured slope (secant).
 */
async function aim(
  mixFile: string,
  mix: LoudnessReading,
  target: number,
  signal?: AbortSignal,
): Promise<{ gainDb: number; limitDb?: number }> {
  let gainDb = target - mix.integrated;
  if (mix.truePeak + gainDb <= LIMIT_AIM) return { gainDb };
  let limitDb = LIMIT_AIM;
  let prev: { gainDb: number; integrated: number } | undefined;
  for (let step = 0; step < AIM_STEPS; step++) {
    const { stderr } = await runFfmpeg(
      ['-nostats', '-i', mixFile, '-af', [...masterFilters(gainDb, limitDb), 'ebur128=peak=true'].join(','), '-f', 'null', '-'],
      { signal, what: 'aiming the loudness master' },
    );
    const r = parseEbur128Summary(stderr);
    // the limiter's own overshoot: hold it lower next time
    if (r.truePeak > LIMIT_AIM) limitDb = Math.max(LIMIT_FLOOR_DB, limitDb - (r.truePeak - LIMIT_AIM) - 0.1);
    const miss = target - r.integrated;
    if (Math.abs(miss) <= AIM_TOLERANCE && r.truePeak <= LIMIT_AIM) break;
    const slope = prev && gainDb !== prev.gainDb ? (r.integrated - prev.integrated) / (gainDb - prev.gainDb) : 1;
    prev = { gainDb, integrated: r.integrated };
    gainDb += miss / Math.min(1, Math.max(0.1, slope));
  }
  return { gainDb, limitDb };
}

function fmt(n: number): string {
  return Number.isFinite(n) ? n.toFixed(1) : String(n);
}
