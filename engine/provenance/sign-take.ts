/**
 * Signs a freshly made take's video with its own manifest (take-manifest.ts),
 * in place, before it goes into the media cache. A file that arrives already
 * signed (a cloud generator such as Veo on Vertex signs its outputs) keeps its
 * manifest: it becomes the take's manifest, and the export's ingredient manifest.
 */
import { hasC2paBox } from './bmff.js';
import { loadSigningIdentity, type SigningIdentity } from './identity.js';
import type { KeyStore } from './key-store.js';
import { signFileInWorker } from './sign-in-worker.js';
import { buildTakeManifest, type TakeManifestInput } from './take-manifest.js';

export type TakeSigning = 'signed' | 'kept' | 'skipped';

export interface SignTakeOptions {
  /** The identity to sign with, loaded and checked before the generation (default: loaded here). */
  identity?: SigningIdentity;
  keyStore?: KeyStore;
  creatorName?: string;
  signal?: AbortSignal;
}

/** `kept` when the file carries a manifest already, `skipped` when it is not an MP4/MOV; else signs it (`signed`). */
export async function signTakeFile(file: string, take: TakeManifestInput, opts: SignTakeOptions = {}): Promise<TakeSigning> {
  if (!/\.(mp4|mov|m4v)$/i.test(file)) return 'skipped';
  if (hasC2paBox(file)) return 'kept';
  const identity = opts.identity ?? (await loadSigningIdentity({ store: opts.keyStore, creatorName: opts.creatorName }));
  await signFileInWorker(
    { file, manifest: buildTakeManifest(take), chainPem: identity.stored.chainPem, keyPem: identity.stored.keyPem },
    { signal: opts.signal },
  );
  return 'signed';
}
