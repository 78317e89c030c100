/**
 * Iterative back-projection for a ×3 upscale: the upscaled plane is made
 * consistent with the small one it came from. Each pass shrinks the estimate
 * (3×3 box average, what an area downscale does), takes the difference to
 * the source and adds it back, resampled bicubically. Removes the model's
 * bias on smooth areas and keeps its detail on edges.
 */

/** Keys cubic weights for a sample at fractional offset t (a = -0.5). */
function cubic(x: number): number {
  const a = -0.5;
  const ax = Math.abs(x);
  if (ax <= 1) return (a + 2) * ax ** 3 - (a + 3) * ax ** 2 + 1;
  if (ax < 2) return a * ax ** 3 - 5 * a * ax ** 2 + 8 * a * ax - 4 * a;
  return 0;
}

/** The 4 taps (source offsets −1..2 from floor) for each of the 3 phases of a ×3 upsample with pixel centres aligned. */
const PHASES = [0, 1, 2].map((p) => {
  const pos = (p + 0.5) / 3 - 0.5; // output pixel centre in source pixels, relative to the source pixel
  const base = Math.floor(pos);
  const frac = pos - base;
  return { base, w: [-1, 0, 1, 2].map((k) => cubic(k - frac)) };
});

/** Bicubic ×3 upsample of a float plane. */
export function upsample3(src: Float32Array, w: number, h: number): Float32Array {
  const W = w * 3;
  const tmp = new Float32Array(W * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++)
      for (let p = 0; p < 3; p++) {
        const { base, w: k } = PHASES[p]!;
        let s = 0;
        for (let i = 0; i < 4; i++) {
          const sx = Math.min(w - 1, Math.max(0, x + base + i - 1));
          s += src[row + sx]! * k[i]!;
        }
        tmp[y * W + x * 3 + p] = s;
      }
  }
  const out = new Float32Array(W * h * 3);
  for (let y = 0; y < h; y++)
    for (let p = 0; p < 3; p++) {
      const { base, w: k } = PHASES[p]!;
      const o = (y * 3 + p) * W;
      for (let x = 0; x < W; x++) {
        let s = 0;
        for (let i = 0; i < 4; i++) {
          const sy = Math.min(h - 1, Math.max(0, y + base + i - 1));
          s += tmp[sy * W + x]! * k[i]!;
        }
        out[o + x] = s;
      }
    }
  return out;
}

/** 3×3 box average of a plane 3w×3h to w×h. */
export function downsample3(src: Float32Array, w: number, h: number): Float32Array {
  const W = w * 3;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let dy = 0; dy < 3; dy++) {
        const r = (y * 3 + dy) * W + x * 3;
        s += src[r]! + src[r + 1]! + src[r + 2]!;
      }
      out[y * w + x] = s / 9;
    }
  return out;
}

/** Refines `up` (3w×3h bytes) against `small` (w×h bytes) in place. */
export function backProject(up: Uint8Array, small: Uint8Array, w: number, h: number, passes = 2): Uint8Array {
  const est = Float32Array.from(up);
  for (let p = 0; p < passes; p++) {
    const down = downsample3(est, w, h);
    for (let i = 0; i < down.length; i++) down[i] = small[i]! - down[i]!;
    const corr = upsample3(down, w, h);
    for (let i = 0; i < est.length; i++) est[i] = est[i]! + corr[i]!;
  }
  for (let i = 0; i < est.length; i++) {
    const v = est[i]! + 0.5;
    up[i] = v <= 0 ? 0 : v >= 255 ? 255 : v;
  }
  return up;
}
