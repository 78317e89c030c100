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

/** An ingredient whose asset is read by the builder, so the asset's own manifest (if any) becomes the ingredient's manifest. */
export interface IngredientAsset {
  /** Ingredient definition (title, relationship, instance_id…); takes precedence over what the asset says. */
  json: Record<string, unknown>;
  bytes: Uint8Array;
  format: string;
}

export interface SignRequest {
  bytes: Uint8Array;
  manifest: Record<string, unknown>;
  chainPem: string;
  keyPem: string;
  format?: string;
  ingredients?: IngredientAsset[];
}

export interface SignedAsset {
  /** The signed file's bytes. */
  asset: Uint8Array;
  /** The manifest store alone (JUMBF, `application/c2pa`): what the local manifest store keeps. */
  manifest: Uint8Array;
}

/**
 * Builder settings: no network, no verification of the result, and no trust
 * check of ingredient signers (a cloud generator's certificate is not in the
 * user's anchors; trust is for the one who reads the export to decide).
 */
const BUILDER_CONTEXT = JSON.stringify({
  verify: { verify_after_sign: false, verify_trust: false, remote_manifest_fetch: false, ocsp_fetch: false },
});

export async function signAsset(req: SignRequest): Promise<SignedAsset> {
  const { WasmBuilder } = c2pa();
  const chain = parseChainPem(req.chainPem, 'signing chain');
  const key = await importPkcs8Pem(req.keyPem, 'signing key');
  const chainDer = chain.map((c) => new Uint8Array(c.rawData));
  const builder = WasmBuilder.fromJson(JSON.stringify(req.manifest), BUILDER_CONTEXT);
  try {
    for (const ing of req.ingredients ?? [])
      await builder.addIngredientFromBlob(JSON.stringify(ing.json), ing.format, new BytesBlob(ing.bytes) as unknown as Blob);
    const signer = {
      alg: 'es256',
      reserveSize: SIGNATURE_RESERVE,
      sign: async (data: Uint8Array) =>
        (await coseSign1(data, key as webcrypto.CryptoKey, chainDer, SIGNATURE_RESERVE)) as Uint8Array<ArrayBuffer>,
    };
    const out = (await builder.signAndGetManifestBytes(
      signer,
      [],
      req.format ?? 'video/mp4',
      new BytesBlob(req.bytes) as unknown as Blob,
    )) as { asset: Uint8Array; manifest: Uint8Array };
    return { asset: out.asset, manifest: out.manifest };
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
