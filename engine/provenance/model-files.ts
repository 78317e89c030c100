/**
 * The product's own copies of the RivaGAN watermark models (assets/models/watermark),
 * each checked against its sha256 before a session is created.
 */
import { readFileSync } from 'node:fs';
import { KlappeError } from '../common/errors.js';
import { sha256Hex } from '../util/hash.js';
import { assetPath } from '../util/paths.js';

export const WATERMARK_MODELS = {
  encoder: { file: 'rivagan_encoder.onnx', sha256: '66bc7814fadac7d686105c8ab26c6cf2cc8e40deb83e67bb6ef5b9de9b8ece0d' },
  decoder: { file: 'rivagan_decoder.onnx', sha256: '6b006690cf352fa50a91a0b6d6241dbcded0a9957969e2c0665cf9a7011b3880' },
} as const;

export type WatermarkModel = keyof typeof WATERMARK_MODELS;

/** Model bytes, verified; a missing or altered file is a runtime error naming it. */
export function readWatermarkModel(which: WatermarkModel, dir = assetPath('models', 'watermark')): Uint8Array {
  const { file, sha256 } = WATERMARK_MODELS[which];
  const path = `${dir}/${file}`;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new KlappeError({
      code: 'MODEL_MISSING',
      message: `the watermark model ${path} is missing`,
      file: path,
      hint: 'Reinstall Klappe: the model ships with it.',
      cause: e,
    });
  }
  const actual = sha256Hex(bytes);
  if (actual !== sha256)
    throw new KlappeError({
      code: 'MODEL_CHECKSUM',
      message: `the watermark model ${path} has sha256 ${actual.slice(0, 16)}…, expected ${sha256.slice(0, 16)}…`,
      file: path,
      hint: 'The file is damaged or was replaced: reinstall Klappe.',
    });
  return bytes;
}
