/**
 * A character's reference images: a picked image file is checked (PNG, JPEG or WebP, by its bytes), copied into the
 * project folder under `images/references/` named by its content, and described as the project's media entry that
 * `character.addReference` records. The same picture added twice is one file and one entry.
 */
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../common/errors.js';
import type { Media } from '../model/schema.js';
import { tempPathFor } from '../util/atomic-file.js';
import { sha256File } from '../util/hash.js';

export const REFERENCES_FOLDER = join('images', 'references');
/** The largest reference image taken (a full-size camera JPEG fits). */
export const MAX_REFERENCE_BYTES = 50 * 2 ** 20;

/** The image type of a file's first bytes, or undefined. */
export function imageTypeOf(head: Uint8Array): 'png' | 'jpg' | 'webp' | undefined {
  const at = (i: number, bytes: number[]) => bytes.every((b, j) => head[i + j] === b);
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (at(0, [0xff, 0xd8, 0xff])) return 'jpg';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'webp';
  return undefined;
}

/** Copies `file` into the project's reference folder (once per content); the media entry for it. `name`: how to call the file in errors. */
export async function importReferenceImage(projectDir: string, file: string, name = file): Promise<Media & { kind: 'image' }> {
  if (!existsSync(file) || !statSync(file).isFile())
    throw inputError('NOT_FOUND', `${name}: no such image file`, { path: 'path', hint: 'Pick a PNG, JPEG or WebP image.' });
  const bytes = statSync(file).size;
  if (bytes > MAX_REFERENCE_BYTES)
    throw inputError('IMAGE_TOO_LARGE', `${name} is ${Math.round(bytes / 2 ** 20)} MiB (a reference image is at most 50 MiB)`, {
      path: 'path',
      hint: 'Use a smaller copy of the picture.',
    });
  const head = new Uint8Array(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const type = imageTypeOf(head);
  if (!type)
    throw inputError('NOT_AN_IMAGE', `${name} is not a PNG, JPEG or WebP image`, {
      path: 'path',
      hint: 'Reference images are PNG, JPEG or WebP pictures of the character.',
    });
  const sha256 = await sha256File(file);
  const rel = join(REFERENCES_FOLDER, `${sha256.slice(0, 16)}.${type}`);
  const dest = join(projectDir, rel);
  if (!existsSync(dest)) {
    mkdirSync(join(projectDir, REFERENCES_FOLDER), { recursive: true });
    const tmp = tempPathFor(dest);
    copyFileSync(file, tmp);
    renameSync(tmp, dest);
  }
  return { id: `image-${sha256.slice(0, 12)}`, path: rel.split('\\').join('/'), kind: 'image', sha256 };
}
