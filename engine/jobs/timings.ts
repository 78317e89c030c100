/**
 * Learned time estimates. Every generation that finishes stores its measured
 * wall time with the backend, the output's pixel count and length (the
 * `timings` table of the jobs database). A backend's estimate for a shot is
 * then the running median of seconds per output second over its latest takes
 * of about the same pixel count (same power-of-two bucket), times the shot's
 * length; until there are MIN_SAMPLES of them it is the backend's documented
 * `estimate()`. The estimate says which it is, from how many takes, and how
 * widely they spread.
 */
import type { Db } from '../cache/database.js';
import type { EstimateConfidence } from '../common/cost.js';

/** Measured takes needed before the measurements replace the documented constants. */
export const MIN_SAMPLES = 3;
/** The latest takes the median is taken over (a running median: older ones stop counting). */
export const WINDOW = 50;

export interface TimingSample {
  backend: string;
  pixels: number;
  outputMs: number;
  wallMs: number;
  finishedAt?: number;
}

export interface StepSample {
  backend: string;
  provider: string;
  voxels: number;
  stepMs: number;
  loadMs: number;
  finishedAt?: number;
}

export interface LearnedEstimate {
  seconds: number;
  confidence: EstimateConfidence;
}

/** The [lo, hi) pixel range of the bucket `pixels` falls in (powers of two around it). */
export function pixelBucket(pixels: number): { lo: number; hi: number } {
  const b = Math.round(Math.log2(Math.max(1, pixels)));
  return { lo: Math.floor(2 ** (b - 0.5)), hi: Math.floor(2 ** (b + 0.5)) };
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export class TimingStore {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      insert: db.prepare(
        'INSERT INTO timings (backend, pixels, output_ms, wall_ms, finished_at) VALUES (@backend, @pixels, @outputMs, @wallMs, @finishedAt)',
      ),
      insertStep: db.prepare(
        'INSERT INTO step_timings (backend, provider, voxels, step_ms, load_ms, finished_at) VALUES (@backend, @provider, @voxels, @stepMs, @loadMs, @finishedAt)',
      ),
      recentSteps: db.prepare(
        'SELECT voxels, step_ms AS stepMs FROM step_timings WHERE backend = ? AND provider = ? ORDER BY finished_at DESC, id DESC LIMIT ?',
      ),
      recent: db.prepare(
        'SELECT output_ms AS outputMs, wall_ms AS wallMs FROM timings WHERE backend = ? AND pixels >= ? AND pixels < ? AND output_ms > 0 ORDER BY finished_at DESC, id DESC LIMIT ?',
      ),
    };
  }

  record(s: TimingSample): void {
    if (!(s.outputMs > 0) || !(s.wallMs >= 0)) return;
    this.q.insert.run({
      backend: s.backend,
      pixels: Math.round(s.pixels),
      outputMs: Math.round(s.outputMs),
      wallMs: Math.round(s.wallMs),
      finishedAt: s.finishedAt ?? Date.now(),
    });
  }

  /** A local pack's measured step time (from a take or `npm run bench local`). */
  recordSteps(s: StepSample): void {
    if (!(s.stepMs > 0) || !(s.voxels > 0)) return;
    this.q.insertStep.run({
      backend: s.backend,
      provider: s.provider,
      voxels: Math.round(s.voxels),
      stepMs: s.stepMs,
      loadMs: Math.round(s.loadMs),
      finishedAt: s.finishedAt ?? Date.now(),
    });
  }

  /**
   * Seconds one denoising step of `backend` takes on `provider` at `voxels`:
   * the median of its latest measured steps in the same size bucket, else the
   * median time per voxel of all its steps times `voxels`; undefined before the
   * first measurement (the backend's documented figure applies).
   */
  secondsPerStep(backend: string, provider: string, voxels: number): number | undefined {
    const rows = this.q.recentSteps.all(backend, provider, WINDOW) as Array<{ voxels: number; stepMs: number }>;
    if (!rows.length) return undefined;
    const { lo, hi } = pixelBucket(voxels);
    const near = rows.filter((r) => r.voxels >= lo && r.voxels < hi).map((r) => r.stepMs);
    if (near.length)
      return (
        quantile(
          [...near].sort((a, b) => a - b),
          0.5,
        ) / 1000
      );
    const perVoxel = rows.map((r) => r.stepMs / r.voxels).sort((a, b) => a - b);
    return (quantile(perVoxel, 0.5) * voxels) / 1000;
  }

  /** Seconds per output second of the latest takes of this backend and pixel bucket (newest first). */
  rates(backend: string, pixels: number): number[] {
    const { lo, hi } = pixelBucket(pixels);
    const rows = this.q.recent.all(backend, lo, hi, WINDOW) as Array<{ outputMs: number; wallMs: number }>;
    return rows.map((r) => r.wallMs / r.outputMs);
  }

  /** The estimate for `outputSeconds` of video at `pixels`: learned when there are enough takes, else `documented`. */
  estimate(backend: string, pixels: number, outputSeconds: number, documented: number): LearnedEstimate {
    const rates = this.rates(backend, pixels);
    if (rates.length < MIN_SAMPLES) return { seconds: documented, confidence: { source: 'documented', samples: rates.length } };
    const sorted = [...rates].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    const spread = median > 0 ? (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / median : 0;
    return {
      seconds: median * outputSeconds,
      confidence: { source: 'measured', samples: rates.length, spread: Math.round(spread * 1000) / 1000 },
    };
  }
}
