/** The invisible watermark's visibility mask: little residual on flat areas, more on texture. */
import { describe, expect, it } from 'vitest';
import {
  FLAT_GAIN,
  frameToTiles,
  residualToYuv,
  TEXTURE_GAIN,
  textureMask,
  TILES,
  workGeometry,
} from '../../engine/provenance/watermark-geometry.js';

const g = workGeometry(1280, 720);

function frame(pixel: (x: number, y: number) => number): Float32Array {
  const rgb = new Uint8Array(g.width * g.height * 3);
  for (let y = 0; y < g.height; y++)
    for (let x = 0; x < g.width; x++) rgb.fill(pixel(x, y), (y * g.width + x) * 3, (y * g.width + x) * 3 + 3);
  return frameToTiles(rgb, g);
}

/** Mean absolute deviation from 128 of a YUV plane. */
function amplitude(yuv: Uint8Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += Math.abs(yuv[i]! - 128);
  return s / (to - from);
}

describe('visibility mask of the invisible watermark', () => {
  it('is FLAT_GAIN on a flat picture and TEXTURE_GAIN on a textured one', () => {
    const flat = textureMask(
      frame(() => 150),
      g,
    );
    expect(Math.max(...flat)).toBeCloseTo(FLAT_GAIN, 5);
    expect(Math.min(...flat)).toBeCloseTo(FLAT_GAIN, 5);
    const textured = textureMask(
      frame((x, y) => (((x >> 1) + (y >> 1)) % 2 ? 90 : 170)),
      g,
    );
    expect(Math.min(...textured)).toBeCloseTo(TEXTURE_GAIN, 5);
  });

  it('rises near an edge of a flat picture and stays low away from it', () => {
    const mask = textureMask(
      frame((x) => (x < g.width / 2 ? 60 : 190)),
      g,
    );
    const row = 40 * g.width;
    expect(mask[row + g.width / 2]).toBeGreaterThan(FLAT_GAIN + 0.5);
    expect(mask[row + 10]).toBeCloseTo(FLAT_GAIN, 5);
  });

  it('puts less residual chroma on a flat picture than on a textured one for the same marked difference', () => {
    const n = TILES * 3 * g.tileW * g.tileH;
    const diff = new Float32Array(n);
    for (let i = 0; i < n; i++) diff[i] = 0.01 * Math.sin(i * 0.37);
    const withDiff = (o: Float32Array) => Float32Array.from(o, (v, i) => v + diff[i]!);
    const flat = frame(() => 150);
    const textured = frame((x, y) => (((x >> 1) + (y >> 1)) % 2 ? 90 : 170));
    const luma = g.width * g.height;
    const end = (luma * 3) / 2;
    const a = residualToYuv(withDiff(flat), flat, g, 2);
    const b = residualToYuv(withDiff(textured), textured, g, 2);
    expect(amplitude(a, luma, end)).toBeLessThan(amplitude(b, luma, end) / 2);
  });
});
