/** A tiny Wan pack laid out for a web server: the files and a klappe-pack.json whose files have (relative) URLs. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTinyWanPack, type TinyWanManifest } from './tiny-wan-pack.js';

export function servedTinyPack(dir: string): TinyWanManifest {
  const { manifest } = buildTinyWanPack(dir, { hidden: 32, textLength: 16 });
  const served = { ...manifest, files: manifest.files.map((f) => ({ ...f, url: f.path })) };
  writeFileSync(join(dir, 'klappe-pack.json'), `${JSON.stringify(served, null, 2)}\n`);
  return served;
}
