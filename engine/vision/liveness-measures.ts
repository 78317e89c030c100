/**
 * Measures over the frames of a face analysis that tell a live recording from
 * a still, a freeze or a loop, and count blinks. Pure functions.
 *
 * - Identical frames: grey 32×24 thumbnails whose mean difference is under
 *   0.05 grey levels (a repeated frame re-encoded stays under 0.01; adjacent
 *   frames of a real camera differ by ≥ 0.15 from sensor noise alone).
 * - Loops: a stretch of ≥ 0.4 s whose frames match the frames a fixed lag
 *   (≥ 0.4 s) earlier much better than adjacent frames match each other. Two
 *   copies of one frame differ only by re-encoding noise; two real frames
 *   differ by noise and motion. On the GRID clips real video scores ≥ 1.6
 *   (mean matched difference over the median adjacent difference), loops made
 *   from them and re-encoded 0.52–0.77, frames of pure noise (no motion, no
 *   loop) 1.0 ± 0.02: the cut-off is 0.85.
 * - Blinks: eye openness under 75% of its local level (80th percentile over
 *   ±1 s) for at most 0.5 s, open before and after.
 */
import { meanAbsDiff } from './image.js';

export interface MotionMeasures {
  /** Median difference of adjacent frames (grey levels). */
  motion: number;
  /** Share of frames identical to the one before. */
  frozenShare: number;
  /** Longest run of identical frames, seconds. */
  longestFreezeSec: number;
  /** Longest stretch that repeats earlier frames, seconds (0 when none), and the lag. */
  loopSec: number;
  loopLagSec: number;
  /** Lowest mean difference of a moving window against the same window at a lag ≥ 0.4 s, over `motion` (loops < 0.85 ≤ real video). */
  loopRatio: number;
}

export const IDENTICAL_DIFF = 0.05;
export const LOOP_RATIO = 0.85;
const LOOP_MIN_SEC = 0.4;

export function motionMeasures(thumbs: readonly Uint8Array[], fps: number): MotionMeasures {
  const n = thumbs.length;
  if (n < 2) return { motion: 0, frozenShare: 0, longestFreezeSec: 0, loopSec: 0, loopLagSec: 0, loopRatio: 0 };
  const adj: number[] = [];
  for (let i = 1; i < n; i++) adj.push(meanAbsDiff(thumbs[i]!, thumbs[i - 1]!));
  const motion = median(adj);
  let frozen = 0;
  let run = 0;
  let longest = 0;
  for (const d of adj) {
    if (d < IDENTICAL_DIFF) {
      frozen++;
      run++;
      longest = Math.max(longest, run);
    } else run = 0;
  }
  const loop = motion < IDENTICAL_DIFF ? { frames: 0, lag: 0, ratio: 0 } : findLoop(thumbs, adj, motion, fps);
  return {
    motion,
    frozenShare: frozen / adj.length,
    longestFreezeSec: longest / fps,
    loopSec: loop.frames / fps,
    loopLagSec: loop.lag / fps,
    loopRatio: loop.ratio,
  };
}

function findLoop(
  thumbs: readonly Uint8Array[],
  adj: readonly number[],
  motion: number,
  fps: number,
): { frames: number; lag: number; ratio: number } {
  const n = thumbs.length;
  const win = Math.max(3, Math.round(LOOP_MIN_SEC * fps));
  const minLag = Math.max(2, Math.round(LOOP_MIN_SEC * fps));
  const cut = LOOP_RATIO * motion;
  let best = { frames: 0, lag: 0 };
  let ratio = Infinity;
  for (let lag = minLag; lag <= n - win; lag++) {
    // d[t]: frame t+lag against frame t; a window of `win` frames repeats when its mean is under the cut
    // and its frames move (a freeze is not a loop); the loop is the longest stretch covered by such windows
    const d: number[] = [];
    for (let t = 0; t + lag < n; t++) d.push(meanAbsDiff(thumbs[t]!, thumbs[t + lag]!));
    const covered = new Array<boolean>(d.length).fill(false);
    for (let t = 0; t + win <= d.length; t++) {
      let sum = 0;
      let still = 0;
      for (let k = t; k < t + win; k++) {
        sum += d[k]!;
        if (k > 0 && adj[k - 1]! < IDENTICAL_DIFF) still++;
      }
      if (still < win / 2) ratio = Math.min(ratio, sum / win / motion);
      if (sum / win < cut && still < win / 2) for (let k = t; k < t + win; k++) covered[k] = true;
    }
    let run = 0;
    for (const c of covered) {
      run = c ? run + 1 : 0;
      if (run > best.frames) best = { frames: run, lag };
    }
  }
  return { ...best, ratio: Number.isFinite(ratio) ? ratio : 0 };
}

/** Blinks in a series of eye openness (undefined where no face was measured). */
export function countBlinks(eyeOpen: readonly (number | undefined)[], fps: number): { blinks: number; closedFrames: number[] } {
  const n = eyeOpen.length;
  const win = Math.max(2, Math.round(fps));
  const maxLen = Math.max(1, Math.round(0.5 * fps));
  const closed: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const v = eyeOpen[i];
    if (v === undefined) {
      closed.push(false);
      continue;
    }
    const around: number[] = [];
    for (let j = Math.max(0, i - win); j <= Math.min(n - 1, i + win); j++) if (eyeOpen[j] !== undefined) around.push(eyeOpen[j]!);
    around.sort((a, b) => a - b);
    const level = around[Math.min(around.length - 1, Math.floor(around.length * 0.8))]!;
    closed.push(v < 0.75 * level);
  }
  let blinks = 0;
  const closedFrames: number[] = [];
  for (let i = 0; i < n;) {
    if (!closed[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && closed[j]) j++;
    const openBefore = i > 0 && eyeOpen[i - 1] !== undefined;
    const openAfter = j < n && eyeOpen[j] !== undefined;
    if (j - i <= maxLen && openBefore && openAfter) {
      blinks++;
      for (let k = i; k < j; k++) closedFrames.push(k);
    }
    i = j;
  }
  return { blinks, closedFrames };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The p-quantile (0..1) of a list, by nearest rank. */
export function quantile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))]!;
}
