/**
 * What the signing worker runs: sign a file into `<file>.signing`. A plain MP4
 * goes the fast way (fast-sign.ts: c2pa-wasm signs a skeleton, the media is
 * hashed natively while it is copied); anything else through c2pa-wasm whole.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { bmffHashOfBytes } from './bmff-hash.js';
import { c2pa } from './c2pa.js';
import { signFileFast } from './fast-sign.js';
import type { SignFileRequest, SignFileResult } from './sign-types.js';
import { signAsset } from './sign-asset.js';

/** Loads c2pa-wasm in this thread from the module the parent compiled. */
export function initC2pa(module?: WebAssembly.Module): void {
  c2pa(module);
}

export async function runSignJob(job: SignFileRequest): Promise<SignFileResult> {
  const started = performance.now();
  const ingredients = (job.ingredientFiles ?? []).map((i) => ({ json: i.json, format: i.format, bytes: readFileSync(i.file) }));
  const out = `${job.file}.signing`;
  if (job.whole !== true) {
    const fast = await signFileFast({ ...job, out, ingredients });
    if (fast)
      return {
        bytesIn: fast.bytesIn,
        bytesOut: fast.bytesOut,
        ms: performance.now() - started,
        manifest: fast.manifest,
        contentHash: fast.contentHash,
        path: 'fast',
        timings: fast.timings,
      };
  }
  const bytes = readFileSync(job.file);
  const read = performance.now();
  const signed = await signAsset({ bytes, manifest: job.manifest, chainPem: job.chainPem, keyPem: job.keyPem, ingredients });
  const sign = performance.now();
  writeFileSync(out, signed.asset);
  const write = performance.now();
  const contentHash = (await bmffHashOfBytes(signed.asset)).toString('hex');
  const end = performance.now();
  return {
    bytesIn: bytes.length,
    bytesOut: signed.asset.length,
    ms: end - started,
    manifest: signed.manifest,
    contentHash,
    path: 'whole',
    timings: { read: read - started, sign: sign - read, write: write - sign, hash: end - write },
  };
}
