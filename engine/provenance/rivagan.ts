/**
 * RivaGAN (ShieldMnt/invisible-watermark) through onnxruntime-node on the CPU:
 * encode 32 bits into an RGB tile, decode 32 scores from one. Tiles are
 * float32 NCHW in [-1, 1] with a time axis of 1: [B, 3, 1, H, W].
 */
import * as ort from 'onnxruntime-node';
import { readWatermarkModel, type WatermarkModel } from './model-files.js';

export const RIVAGAN_BITS = 32;
/** Score above which a decoded bit is 1 (reference implementation). */
export const RIVAGAN_THRESHOLD = 0.52;

const sessions = new Map<WatermarkModel, Promise<ort.InferenceSession>>();

/**
 * The int8 encoder runs faster without onnxruntime's layout optimizations ('all' adds them): 33 instead of 41 ms of
 * CPU per frame, and its session is made in a third of the time (docs/provenance.md). The float decoder is the same
 * either way.
 */
const OPTIMIZATION: Record<WatermarkModel, 'extended' | 'all'> = { encoder: 'extended', decoder: 'all' };

function session(which: WatermarkModel): Promise<ort.InferenceSession> {
  let s = sessions.get(which);
  if (!s) {
    s = ort.InferenceSession.create(readWatermarkModel(which), {
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      executionProviders: ['cpu'],
      graphOptimizationLevel: OPTIMIZATION[which],
      // waiting threads sleep instead of spinning: CPU time is what a watermarked export costs on a laptop
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    sessions.set(which, s);
  }
  return s;
}

/** `tiles` holds `batch` tiles of h×w; returns the watermarked tiles (same layout). */
export async function rivaganEncode(
  tiles: Float32Array,
  batch: number,
  h: number,
  w: number,
  bits: ArrayLike<number>,
): Promise<Float32Array> {
  const s = await session('encoder');
  const data = new Float32Array(batch * RIVAGAN_BITS);
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < RIVAGAN_BITS; i++) data[b * RIVAGAN_BITS + i] = bits[(b * RIVAGAN_BITS + i) % bits.length]!;
  const out = await s.run({
    frame: new ort.Tensor('float32', tiles, [batch, 3, 1, h, w]),
    data: new ort.Tensor('float32', data, [batch, RIVAGAN_BITS]),
  });
  return out[s.outputNames[0]!]!.data as Float32Array;
}

/** Scores (≈0..1, bit = score > threshold) for each of `batch` tiles: batch × 32. */
export async function rivaganDecode(tiles: Float32Array, batch: number, h: number, w: number): Promise<Float32Array> {
  const s = await session('decoder');
  const out = await s.run({ frame: new ort.Tensor('float32', tiles, [batch, 3, 1, h, w]) });
  return out[s.outputNames[0]!]!.data as Float32Array;
}
