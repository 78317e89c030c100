/** A tiny Wan pack laid out for a web server: the files and a klappe-pack.json whose files have (relative) URLs. */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../engine/util/seeded-random.js';
import { buildTinyWanPack, type TinyWanManifest } from './tiny-wan-pack.js';

/** `extraBytes`: a seeded filler file of that size (role weights), to make the pack bigger than a small disk. */
export function servedTinyPack(dir: string, extraBytes = 0): TinyWanManifest {
  const { manifest } = buildTinyWanPack(dir, { hidden: 32, textLength: 16 });
  const files = [...manifest.files];
  if (extraBytes) {
    const bytes = new Uint8Array(extraBytes);
    const rand = seededRandom(7);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
    writeFileSync(join(dir, 'filler.bin'), bytes);
    files.push({ path: 'filler.bin', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), role: 'weights' });
  }
  const served = { ...manifest, files: files.map((f) => ({ ...f, url: f.path })) };
  writeFileSync(join(dir, 'klappe-pack.json'), `${JSON.stringify(served, null, 2)}\n`);
  return served;
}
