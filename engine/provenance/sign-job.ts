/** What the signing worker runs: read the file, sign it, write `<file>.signing`. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { SignFileRequest, SignFileResult } from './sign-in-worker.js';
import { signAsset } from './sign-asset.js';

export async function runSignJob(job: SignFileRequest): Promise<SignFileResult> {
  const started = performance.now();
  const bytes = readFileSync(job.file);
  const signed = await signAsset({ bytes, manifest: job.manifest, chainPem: job.chainPem, keyPem: job.keyPem });
  writeFileSync(`${job.file}.signing`, signed);
  return { bytesIn: bytes.length, bytesOut: signed.length, ms: performance.now() - started };
}
