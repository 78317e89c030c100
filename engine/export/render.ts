/**
 * Runs a render plan through ffmpeg into a temporary file next to the output
 * and renames it only when complete: a failed or cancelled render leaves no
 * partial file, and an existing file is kept unless `force`.
 */
import { existsSync, renameSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { inputError } from '../common/errors.js';
import { runFfmpeg } from '../media/run.js';
import { framesToMicros } from '../common/time.js';
import { fsyncDir, sweepAtomicTemps, tempPathFor } from '../util/atomic-file.js';
import { processAlive } from '../util/process-alive.js';
import { throwInjectedWriteFault, writeError } from '../util/write-errors.js';
import { buildFfmpegArgs, DEFAULT_ENCODE, type EncodeSettings, type GraphHooks } from '../render/ffmpeg-graph.js';
import type { RenderPlan } from '../render/plan.js';

export interface RenderProgress {
  fraction: number;
  /** Seconds left, estimated from the speed so far; undefined at the start. */
  etaSeconds?: number;
  frame: number;
}

export interface RenderOptions {
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: RenderProgress) => void;
  encode?: EncodeSettings;
  hooks?: GraphHooks;
  /** The loudness master (engine/audio/master.ts), copied in instead of mixing the plan's audio. */
  masteredAudio?: string;
  /** Runs on the finished temp file before it is renamed into place (signing). */
  finish?: (tempFile: string) => Promise<void>;
}

const TEMP_TAG = 'render';

export function checkOutputPath(output: string, force = false): void {
  if (existsSync(output) && !force) {
    throw inputError('OUTPUT_EXISTS', `${output} already exists`, {
      path: output,
      hint: 'Pass --force to overwrite it, or pick another name.',
    });
  }
  if (!existsSync(dirname(output)))
    throw inputError('OUTPUT_DIR_MISSING', `the folder ${dirname(output)} does not exist`, { path: output });
}

export async function renderPlan(plan: RenderPlan, output: string, opts: RenderOptions = {}): Promise<void> {
  checkOutputPath(output, opts.force);
  removeStaleTemps(output);
  const tmp = `${tempPathFor(output, TEMP_TAG)}.mp4`;
  const started = Date.now();
  const cleanup = () => {
    try {
      unlinkSync(tmp);
    } catch {
      /* never written */
    }
  };
  const onSignal = () => {
    cleanup();
  };
  process.once('exit', onSignal);
  try {
    await runFfmpeg(buildFfmpegArgs(plan, tmp, opts.encode ?? DEFAULT_ENCODE, opts.hooks, opts.masteredAudio), {
      signal: opts.signal,
      durationUs: framesToMicros(plan.frames, plan.rate),
      what: 'rendering the sequence',
      onProgress: (p) => {
        const fraction = p.fraction ?? 0;
        const elapsed = (Date.now() - started) / 1000;
        opts.onProgress?.({ fraction, frame: p.frame, etaSeconds: fraction > 0.02 ? (elapsed * (1 - fraction)) / fraction : undefined });
      },
    });
    throwInjectedWriteFault(output); // a disk that fills up during the render (tests only)
    if (opts.finish) await opts.finish(tmp);
    if (existsSync(output) && !opts.force)
      throw inputError('OUTPUT_EXISTS', `${output} appeared while rendering; not overwritten`, { path: output });
    renameSync(tmp, output);
    fsyncDir(dirname(output));
  } catch (e) {
    cleanup();
    throw writeError(e, output, 'the export');
  } finally {
    process.removeListener('exit', onSignal);
  }
}

/** Temp files of renders (of any output in that folder) whose process is gone (killed hard) are removed. */
export function removeStaleTemps(output: string): void {
  sweepAtomicTemps(dirname(output), processAlive);
}
