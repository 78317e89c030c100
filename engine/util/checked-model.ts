/**
 * Model files the product ships (assets/models/…) or a pack installed: read
 * and checked against their sha256 before a session is created; a missing or
 * altered file is a runtime error naming it. The one check every model load uses.
 */
import { readFileSync } from 'node:fs';
import { KlappeError } from '../common/errors.js';
import { sha256Hex } from './hash.js';

/** The bytes of `path`, verified; `what` names the model in errors ("the face model"); `hint` says how to get it back. */
export function readCheckedModel(
  path: string,
  sha256: string,
  what: string,
  hint = 'Reinstall Klappe: the model ships with it.',
): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new KlappeError({
      code: 'MODEL_MISSING',
      message: `${what} ${path} is missing`,
      file: path,
      hint,
      cause: e,
    });
  }
  const actual = sha256Hex(bytes);
  if (actual !== sha256)
    throw new KlappeError({
      code: 'MODEL_CHECKSUM',
      message: `${what} ${path} has sha256 ${actual.slice(0, 16)}…, expected ${sha256.slice(0, 16)}…`,
      file: path,
      hint: `The file is damaged or was replaced. ${hint}`,
    });
  return bytes;
}
