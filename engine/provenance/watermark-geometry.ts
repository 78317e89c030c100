/**
 * Where the invisible watermark works: every frame is scaled to a small
 * working size (long side 256) and split into 8 tiles; RivaGAN runs on those.
 * The size depends only on the aspect ratio, so a scaled copy decodes the same way.
 */
export interface WorkGeometry {
  width: number;
  height: number;
  tileW: number;
  tileH: number;
  cols: number;
  rows: number;
}

export const TILES = 8;
const LONG_SIDE = 256;

export function workGeometry(width: number, height: number): WorkGeometry {
  const landscape = width >= height;
  const long = landscape ? width : height;
  const short = landscape ? height : width;
  const shortSide = Math.max(128, Math.round((LONG_SIDE * short) / long / 16) * 16);
  const cols = landscape ? 4 : 2;
  const rows = TILES / cols;
  const w = landscape ? LONG_SIDE : shortSide;
  const h = landscape ? shortSide : LONG_SIDE;
  return { width: w, height: h, tileW: w / cols, tileH: h / rows, cols, rows };
}

/** rgb24 frame at the working size → the tiles, float32 [TILES,3,1,h,w] in [-1,1]. */
export function frameToTiles(rgb: Uint8Array, g: WorkGeometry, out = new Float32Array(TILES * 3 * g.tileH * g.tileW)): Float32Array {
  const { width: W, tileW: tw, tileH: th } = g;
  for (let b = 0; b < TILES; b++) {
    const ox = (b % g.cols) * tw;
    const oy = Math.floor(b / g.cols) * th;
    for (let c = 0; c < 3; c++) {
      const base = (b * 3 + c) * th * tw;
      for (let y = 0; y < th; y++) {
        const row = ((oy + y) * W + ox) * 3 + c;
        const o = base + y * tw;
        for (let x = 0; x < tw; x++) out[o + x] = rgb[row + x * 3]! / 127.5 - 1;
      }
    }
  }
  return out;
}

/**
 * (watermarked − original) tiles → a YUV 4:2:0 frame at the working size with
 * 128 as zero (BT.601 limited range, as ffmpeg converts RGB), for a
 * grain-merge blend onto the full-size video. The residual is weighted by the
 * picture's `textureMask`: its chroma blotches show on flat areas, not on texture.
 */
export function residualToYuv(
  marked: Float32Array,
  original: Float32Array,
  g: WorkGeometry,
  strength: number,
  out = new Uint8Array((g.width * g.height * 3) / 2),
): Uint8Array {
  const { width: W, height: H, tileW: tw, tileH: th } = g;
  const plane = th * tw;
  const k = 127.5 * strength;
  // each plane's difference at the working size, each tile's mean removed (plain loops: this runs a few times per
  // export, mostly before V8 optimizes it)
  const dY = new Float32Array(W * H);
  const dU = new Float32Array(W * H);
  const dV = new Float32Array(W * H);
  for (let b = 0; b < TILES; b++) {
    const ox = (b % g.cols) * tw;
    const oy = Math.floor(b / g.cols) * th;
    const base = b * 3 * plane;
    let sy = 0;
    let su = 0;
    let sv = 0;
    for (let y = 0; y < th; y++) {
      const row = (oy + y) * W + ox;
      for (let x = 0; x < tw; x++) {
        const i = base + y * tw + x;
        const r = (marked[i]! - original[i]!) * k;
        const gg = (marked[i + plane]! - original[i + plane]!) * k;
        const bl = (marked[i + 2 * plane]! - original[i + 2 * plane]!) * k;
        const vy = (0.299 * r + 0.587 * gg + 0.114 * bl) * (219 / 255);
        const vu = (-0.168736 * r - 0.331264 * gg + 0.5 * bl) * (224 / 255);
        const vv = (0.5 * r - 0.418688 * gg - 0.081312 * bl) * (224 / 255);
        dY[row + x] = vy;
        dU[row + x] = vu;
        dV[row + x] = vv;
        sy += Math.fround(vy);
        su += Math.fround(vu);
        sv += Math.fround(vv);
      }
    }
    const my = sy / plane;
    const mu = su / plane;
    const mv = sv / plane;
    for (let y = 0; y < th; y++) {
      const row = (oy + y) * W + ox;
      for (let x = 0; x < tw; x++) {
        dY[row + x] = dY[row + x]! - my;
        dU[row + x] = dU[row + x]! - mu;
        dV[row + x] = dV[row + x]! - mv;
      }
    }
  }
  // less residual where the picture is flat (there its soft colour blotches show), more near edges and texture
  const mask = textureMask(original, g);
  for (let i = 0; i < W * H; i++) {
    const m = mask[i]!;
    dY[i] = dY[i]! * m;
    dU[i] = dU[i]! * m;
    dV[i] = dV[i]! * m;
  }
  for (let i = 0; i < W * H; i++) out[i] = toByte(dY[i]!);
  const cw = W / 2;
  const ch = H / 2;
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) {
      const a = 2 * y * W + 2 * x;
      out[W * H + y * cw + x] = toByte((dU[a]! + dU[a + 1]! + dU[a + W]! + dU[a + W + 1]!) / 4);
      out[W * H + cw * ch + y * cw + x] = toByte((dV[a]! + dV[a + 1]! + dV[a + W]! + dV[a + W + 1]!) / 4);
    }
  return out;
}

/** Residual gain on flat areas of the picture (local luma deviation 0). */
export const FLAT_GAIN = 0.4;
/** Residual gain where the picture has texture (local luma deviation ≥ TEXTURE_REF). */
export const TEXTURE_GAIN = 2;
/** Local standard deviation of luma (0–255, 7×7 working pixels) that counts as texture. */
export const TEXTURE_REF = 10;
const MASK_RADIUS = 3;

/**
 * A visibility mask at the working size, from the original tiles: the residual's
 * gain at each pixel, FLAT_GAIN where the picture is flat rising linearly to
 * TEXTURE_GAIN where the local luma deviation reaches TEXTURE_REF (texture hides
 * the mark, a flat wall shows it).
 */
export function textureMask(original: Float32Array, g: WorkGeometry): Float32Array {
  const { width: W, height: H, tileW: tw, tileH: th } = g;
  const plane = th * tw;
  const luma = new Float32Array(W * H);
  for (let b = 0; b < TILES; b++) {
    const ox = (b % g.cols) * tw;
    const oy = Math.floor(b / g.cols) * th;
    const base = b * 3 * plane;
    for (let y = 0; y < th; y++)
      for (let x = 0, i = base + y * tw; x < tw; x++, i++)
        luma[(oy + y) * W + ox + x] = 127.5 * (1 + 0.299 * original[i]! + 0.587 * original[i + plane]! + 0.114 * original[i + 2 * plane]!);
  }
  // integral images of luma and luma² (one extra row and column of zeros)
  const S = W + 1;
  const s1 = new Float64Array(S * (H + 1));
  const s2 = new Float64Array(S * (H + 1));
  for (let y = 0; y < H; y++) {
    let r1 = 0;
    let r2 = 0;
    for (let x = 0; x < W; x++) {
      const v = luma[y * W + x]!;
      r1 += v;
      r2 += v * v;
      s1[(y + 1) * S + x + 1] = s1[y * S + x + 1]! + r1;
      s2[(y + 1) * S + x + 1] = s2[y * S + x + 1]! + r2;
    }
  }
  const mask = new Float32Array(W * H);
  const slope = (TEXTURE_GAIN - FLAT_GAIN) / TEXTURE_REF;
  for (let y = 0; y < H; y++) {
    const a = Math.max(0, y - MASK_RADIUS) * S;
    const c = Math.min(H, y + MASK_RADIUS + 1) * S;
    const rows = c / S - a / S;
    for (let x = 0; x < W; x++) {
      const x0 = Math.max(0, x - MASK_RADIUS);
      const x1 = Math.min(W, x + MASK_RADIUS + 1);
      const n = (x1 - x0) * rows;
      const sum = s1[c + x1]! - s1[a + x1]! - s1[c + x0]! + s1[a + x0]!;
      const sq = s2[c + x1]! - s2[a + x1]! - s2[c + x0]! + s2[a + x0]!;
      const mean = sum / n;
      const sd = Math.sqrt(Math.max(0, sq / n - mean * mean));
      mask[y * W + x] = sd >= TEXTURE_REF ? TEXTURE_GAIN : FLAT_GAIN + slope * sd;
    }
  }
  return mask;
}

/** A difference → its code value around 128, clamped to 0–255. */
function toByte(v: number): number {
  return Math.max(0, Math.min(255, Math.round(128 + v)));
}

/** Where a cropped copy may have sat in the frame it was cut from: its size (share of each side) and its anchor. */
export interface CropGuess {
  scale: number;
  /** 0 = left/top, 0.5 = centre, 1 = right/bottom. */
  ax: number;
  ay: number;
}

/** The crops `klappe verify` tries when the frame as it is carries no mark: 10 % off each side's length, centred or at a corner. */
export const CROP_GUESSES: readonly CropGuess[] = [
  { scale: 0.9, ax: 0.5, ay: 0.5 },
  { scale: 0.9, ax: 0, ay: 0 },
  { scale: 0.9, ax: 1, ay: 0 },
  { scale: 0.9, ax: 0, ay: 1 },
  { scale: 0.9, ax: 1, ay: 1 },
];

/**
 * An rgb24 frame at the working size that is a crop → where it sat in the
 * uncropped frame: shrunk by `scale` (bilinear) and placed at its anchor on
 * mid grey, so the tiles line up with the ones the watermark was embedded in.
 */
export function uncrop(rgb: Uint8Array, g: WorkGeometry, guess: CropGuess): Uint8Array {
  const { width: W, height: H } = g;
  const out = new Uint8Array(W * H * 3).fill(128);
  const w = W * guess.scale;
  const h = H * guess.scale;
  const x0 = (W - w) * guess.ax;
  const y0 = (H - h) * guess.ay;
  for (let y = Math.ceil(y0); y < Math.min(H, y0 + h); y++) {
    const sy = Math.min(H - 1, Math.max(0, (y - y0) / guess.scale));
    const iy = Math.min(H - 2, Math.floor(sy));
    const fy = sy - iy;
    for (let x = Math.ceil(x0); x < Math.min(W, x0 + w); x++) {
      const sx = Math.min(W - 1, Math.max(0, (x - x0) / guess.scale));
      const ix = Math.min(W - 2, Math.floor(sx));
      const fx = sx - ix;
      for (let c = 0; c < 3; c++) {
        const at = (xx: number, yy: number) => rgb[(yy * W + xx) * 3 + c]!;
        const v = (at(ix, iy) * (1 - fx) + at(ix + 1, iy) * fx) * (1 - fy) + (at(ix, iy + 1) * (1 - fx) + at(ix + 1, iy + 1) * fx) * fy;
        out[(y * W + x) * 3 + c] = Math.round(v);
      }
    }
  }
  return out;
}
