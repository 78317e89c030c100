/** What the signing worker runs: read the file, sign it, write `<file>.signing`. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { c2pa } from './c2pa.js';
import type { SignFileRequest, SignFileResult } from './sign-in-worker.js';
import { signAsset } from './sign-asset.js';

/** Loads c2pa-wasm in this thread from the module the parent compiled. */
export function initC2pa(module?: WebAssembly.Module): void {
  c2pa(module);
}

export async function runSignJob(job: SignFileRequest): Promise<SignFileResult> {
  const started = performance.now();
  const bytes = readFileSync(job.file);
  const ingredients = (job.ingredientFiles ?? []).map((i) => ({ json: i.json, format: i.format, bytes: readFileSync(i.file) }));
  const read = performance.now();
  const signed = await signAsset({ bytes, manifest: job.manifest, chainPem: job.chainPem, keyPem: job.keyPem, ingredients });
  const sign = performance.now();
  writeFileSync(`${job.file}.signing`, signed.asset);
  const write = performance.now();
  const sha256 = job.hashOutput ? createHash('sha256').update(signed.asset).digest('hex') : undefined;
  const end = performance.now();
  return {
    bytesIn: bytes.length,
    bytesOut: signed.asset.length,
    ms: end - started,
    manifest: signed.manifest,
    ...(sha256 ? { sha256 } : {}),
    timings: { read: read - started, sign: sign - read, write: write - sign, hash: end - write },
  };
}
