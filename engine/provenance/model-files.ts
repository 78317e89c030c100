/**
 * The product's own copies of the RivaGAN watermark models (assets/models/watermark),
 * each checked against its sha256 before a session is created.
 */
import { readCheckedModel } from '../util/checked-model.js';
import { assetPath } from '../util/paths.js';

export const WATERMARK_MODELS = {
  /**
   * The encoder rebuilt for onnxruntime's CPU kernels (2-D convolutions, the softmax as Exp/ReduceSum,
   * its two 32-channel-in 11×11 convolutions as 11×1 then 1×11 pairs) and quantized to int8: 5× less
   * CPU per embedded frame than the float original, same payload recovery
   * (scripts/make-rivagan-encoder.py makes it from the original; docs/provenance.md has the numbers).
   */
  encoder: { file: 'rivagan_encoder_int8.onnx', sha256: '5a37775e89a257936e90c8df28cf39eac171ee08b6bfaeeffce4d2a6aedc5819' },
  decoder: { file: 'rivagan_decoder.onnx', sha256: '6b006690cf352fa50a91a0b6d6241dbcded0a9957969e2c0665cf9a7011b3880' },
} as const;

export type WatermarkModel = keyof typeof WATERMARK_MODELS;

/** Model bytes, verified; a missing or altered file is a runtime error naming it. */
export function readWatermarkModel(which: WatermarkModel, dir = assetPath('models', 'watermark')): Uint8Array {
  const { file, sha256 } = WATERMARK_MODELS[which];
  return readCheckedModel(`${dir}/${file}`, sha256, 'the watermark model');
}
