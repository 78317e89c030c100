/**
 * Model files the product ships in assets/models (or a pack installed), read
 * and checked against their sha256 before a session is created: a missing or
 * altered file is a runtime error naming it.
 */
import { readFileSync } from 'node:fs';
import { KlappeError } from '../common/errors.js';
import { sha256Hex } from '../util/hash.js';

export function readVerifiedModel(
  path: string,
  sha256: string,
  what: string,
  hint = 'Reinstall Klappe: the model ships with it.',
): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new KlappeError({ code: 'MODEL_MISSING', message: `the ${what} model ${path} is missing`, file: path, hint, cause: e });
  }
  const actual = sha256Hex(bytes);
  if (actual !== sha256)
    throw new KlappeError({
      code: 'MODEL_CHECKSUM',
      message: `the ${what} model ${path} has sha256 ${actual.slice(0, 16)}…, expected ${sha256.slice(0, 16)}…`,
      file: path,
      hint: `The file is damaged or was replaced. ${hint}`,
    });
  return bytes;
}
