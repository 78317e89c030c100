/**
 * Signs MP4 bytes with a C2PA manifest (c2pa-wasm's Builder) and our own
 * COSE_Sign1 signer. Runs wherever it is called; `sign-in-worker.ts` calls it
 * off the main thread because it holds several copies of the file.
 */
import { webcrypto } from 'node:crypto';
import { KlappeError } from '../common/errors.js';
import { BytesBlob, c2pa } from './c2pa.js';
import { importPkcs8Pem, parseChainPem } from './certificates.js';
import { coseSign1 } from './cose.js';

export const SIGNATURE_RESERVE = 12_288;

export interface SignRequest {
  bytes: Uint8Array;
  manifest: Record<string, unknown>;
  chainPem: string;
  keyPem: string;
  format?: string;
}

export async function signAsset(req: SignRequest): Promise<Uint8Array> {
  const { WasmBuilder } = c2pa();
  const chain = parseChainPem(req.chainPem, 'signing chain');
  const key = await importPkcs8Pem(req.keyPem, 'signing key');
  const chainDer = chain.map((c) => new Uint8Array(c.rawData));
  const builder = WasmBuilder.fromJson(
    JSON.stringify(req.manifest),
    JSON.stringify({ verify: { verify_after_sign: false, remote_manifest_fetch: false, ocsp_fetch: false } }),
  );
  try {
    const signer = {
      alg: 'es256',
      reserveSize: SIGNATURE_RESERVE,
      sign: async (data: Uint8Array) =>
        (await coseSign1(data, key as webcrypto.CryptoKey, chainDer, SIGNATURE_RESERVE)) as Uint8Array<ArrayBuffer>,
    };
    const out = await builder.sign(signer, [], req.format ?? 'video/mp4', new BytesBlob(req.bytes) as unknown as Blob);
    return out;
  } catch (e) {
    throw new KlappeError({
      code: 'SIGNING_FAILED',
      message: `C2PA signing failed: ${e instanceof Error ? e.message : String(e)}`,
      cause: e,
    });
  } finally {
    builder.free();
  }
}
