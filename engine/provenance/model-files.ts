/**
 * The product's own copies of the RivaGAN watermark models (assets/models/watermark),
 * each checked against its sha256 before a session is created.
 */
import { readCheckedModel } from '../util/checked-model.js';
import { assetPath } from '../util/paths.js';

export const WATERMARK_MODELS = {
  encoder: { file: 'rivagan_encoder.onnx', sha256: '66bc7814fadac7d686105c8ab26c6cf2cc8e40deb83e67bb6ef5b9de9b8ece0d' },
  decoder: { file: 'rivagan_decoder.onnx', sha256: '6b006690cf352fa50a91a0b6d6241dbcded0a9957969e2c0665cf9a7011b3880' },
} as const;

export type WatermarkModel = keyof typeof WATERMARK_MODELS;

/** Model bytes, verified; a missing or altered file is a runtime error naming it. */
export function readWatermarkModel(which: WatermarkModel, dir = assetPath('models', 'watermark')): Uint8Array {
  const { file, sha256 } = WATERMARK_MODELS[which];
  return readCheckedModel(`${dir}/${file}`, sha256, 'the watermark model');
}
