/**
 * The product's own copies of the RivaGAN watermark models (assets/models/watermark),
 * each checked against its sha256 before a session is created.
 */
import { readCheckedModel } from '../util/checked-model.js';
import { assetPath } from '../util/paths.js';

export const WATERMARK_MODELS = {
  /**
   * The encoder as int8 (QDQ, per-channel weights, calibrated on real frames) with 2-D convolutions
   * in place of RivaGAN's depth-1 3-D ones: 2.5× less CPU per embedded frame than the float
   * original, same payload recovery (scripts/quantize-rivagan.py makes it from the original).
   */
  encoder: { file: 'rivagan_encoder_int8.onnx', sha256: 'c2de22cb46c4fc288c4387e03c5f824a5c605487cfea9885ee3cd685050fb9f8' },
  decoder: { file: 'rivagan_decoder.onnx', sha256: '6b006690cf352fa50a91a0b6d6241dbcded0a9957969e2c0665cf9a7011b3880' },
} as const;

export type WatermarkModel = keyof typeof WATERMARK_MODELS;

/** Model bytes, verified; a missing or altered file is a runtime error naming it. */
export function readWatermarkModel(which: WatermarkModel, dir = assetPath('models', 'watermark')): Uint8Array {
  const { file, sha256 } = WATERMARK_MODELS[which];
  return readCheckedModel(`${dir}/${file}`, sha256, 'the watermark model');
}
