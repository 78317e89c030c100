/**
 * Small image operations for the face models, on packed RGB frames: an affine
 * warp (bilinear) into an NCHW float tensor with a per-channel normalisation,
 * the similarity transform that aligns 5 face keypoints, and grey thumbnails
 * for motion measures.
 */
import type { RgbFrame } from './frames.js';

export interface Point {
  x: number;
  y: number;
}

/** Maps output pixel (u, v) to source (a*u + b*v + c, d*u + e*v + f). */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export type ChannelOrder = 'rgb' | 'bgr';

export interface TensorLayout {
  size: number;
  order: ChannelOrder;
  /** value = (byte − mean[c]) / std[c], per output channel. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** Samples `frame` through `map` into a [1,3,size,size] tensor (outside the frame: edge pixels). */
export function warpToTensor(frame: RgbFrame, map: Affine, layout: TensorLayout): Float32Array {
  const { size } = layout;
  const out = new Float32Array(3 * size * size);
  const { width: w, height: h, data } = frame;
  const plane = size * size;
  const ch = layout.order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const sx = map.a * (u + 0.5) + map.b * (v + 0.5) + map.c - 0.5;
      const sy = map.d * (u + 0.5) + map.e * (v + 0.5) + map.f - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const xa = clamp(x0, 0, w - 1);
      const xb = clamp(x0 + 1, 0, w - 1);
      const ya = clamp(y0, 0, h - 1);
      const yb = clamp(y0 + 1, 0, h - 1);
      const i00 = (ya * w + xa) * 3;
      const i01 = (ya * w + xb) * 3;
      const i10 = (yb * w + xa) * 3;
      const i11 = (yb * w + xb) * 3;
      const o = v * size + u;
      for (let c = 0; c < 3; c++) {
        const s = ch[c]!;
        const top = data[i00 + s]! + (data[i01 + s]! - data[i00 + s]!) * fx;
        const bottom = data[i10 + s]! + (data[i11 + s]! - data[i10 + s]!) * fx;
        out[c * plane + o] = (top + (bottom - top) * fy - layout.mean[c]!) / layout.std[c]!;
      }
    }
  }
  return out;
}

/** The map that samples the axis-aligned square (x, y, side) of the frame into `size` pixels. */
export function squareCrop(x: number, y: number, side: number, size: number): Affine {
  const s = side / size;
  return { a: s, b: 0, c: x, d: 0, e: s, f: y };
}

/**
 * Least-squares similarity transform (rotation, uniform scale, shift) taking
 * `dst` template points to `src` frame points: the map for warpToTensor that
 * aligns a face to the template (Umeyama without reflection).
 */
export function similarityFromPoints(dst: readonly Point[], src: readonly Point[]): Affine {
  const n = dst.length;
  let mdx = 0;
  let mdy = 0;
  let msx = 0;
  let msy = 0;
  for (let i = 0; i < n; i++) {
    mdx += dst[i]!.x / n;
    mdy += dst[i]!.y / n;
    msx += src[i]!.x / n;
    msy += src[i]!.y / n;
  }
  let sxx = 0;
  let sxy = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const dx = dst[i]!.x - mdx;
    const dy = dst[i]!.y - mdy;
    const px = src[i]!.x - msx;
    const py = src[i]!.y - msy;
    sxx += dx * px + dy * py;
    sxy += dx * py - dy * px;
    norm += dx * dx + dy * dy;
  }
  const a = sxx / norm; // s·cosθ
  const b = sxy / norm; // s·sinθ
  return { a, b: -b, c: msx - a * mdx + b * mdy, d: b, e: a, f: msy - b * mdx - a * mdy };
}

/** A grey thumbnail (mean of each cell) of `frame`, cols×rows bytes, for motion measures. */
export function greyThumbnail(frame: RgbFrame, cols: number, rows: number): Uint8Array {
  const out = new Uint8Array(cols * rows);
  const { width: w, height: h, data } = frame;
  for (let r = 0; r < rows; r++) {
    const y0 = Math.floor((r * h) / rows);
    const y1 = Math.max(y0 + 1, Math.floor(((r + 1) * h) / rows));
    for (let c = 0; c < cols; c++) {
      const x0 = Math.floor((c * w) / cols);
      const x1 = Math.max(x0 + 1, Math.floor(((c + 1) * w) / cols));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        let i = (y * w + x0) * 3;
        for (let x = x0; x < x1; x++, i += 3) sum += data[i]! * 0.299 + data[i + 1]! * 0.587 + data[i + 2]! * 0.114;
      }
      out[r * cols + c] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return out;
}

/** Mean absolute difference of two equal-size grey images. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
