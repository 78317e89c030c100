/**
 * A JSON document signed with a signing identity (identity.ts): the payload,
 * the signer's certificate chain (PEM) and an ES256 signature over the
 * payload's canonical JSON with a purpose string in front, so a signature made
 * for one kind of document (an opt-out list) is not valid for another.
 * Verifying checks the signature with the chain's leaf key, the chain's links
 * and validity dates; an altered payload or a swapped certificate fails.
 */
import { webcrypto } from 'node:crypto';
import { inputError } from '../common/errors.js';
import { canonicalJson, sha256Hex } from '../util/hash.js';
import { chainToPem, parseChainPem } from './certificates.js';
import type { SigningIdentity } from './identity.js';

export interface SignedJson<T = unknown> {
  /** The kind of document ("klappe-optouts/1"); part of what is signed. */
  purpose: string;
  payload: T;
  signer: { chainPem: string };
  /** base64 of the ES256 signature (IEEE P1363, r‖s) over `purpose` + NUL + canonical JSON of `payload`. */
  signature: string;
}

export interface SignerSummary {
  subject: string;
  issuer: string;
  /** sha256 of the leaf certificate (DER), hex. */
  sha256: string;
}

function toSign(purpose: string, payload: unknown): Uint8Array {
  return new TextEncoder().encode(`${purpose}\u0000${canonicalJson(payload)}`);
}

export async function signJson<T>(purpose: string, payload: T, identity: Pick<SigningIdentity, 'chain' | 'key'>): Promise<SignedJson<T>> {
  const sig = await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, identity.key, toSign(purpose, payload));
  return { purpose, payload, signer: { chainPem: chainToPem(identity.chain) }, signature: Buffer.from(sig).toString('base64') };
}

/**
 * Checks a signed document read from `file`; returns its payload and signer.
 * Throws SIGNATURE_INVALID (input) naming what failed: the purpose, the
 * signature, the chain or its dates.
 */
export async function verifySignedJson<T>(
  doc: unknown,
  purpose: string,
  file: string,
  now = new Date(),
): Promise<{ payload: T; signer: SignerSummary }> {
  const bad = (message: string, path?: string) =>
    inputError('SIGNATURE_INVALID', `${file}: ${message}`, {
      file,
      ...(path ? { path } : {}),
      hint: 'The file was changed after it was signed, or was not signed by its sender: ask for a fresh copy.',
    });
  const d = doc as Partial<SignedJson<T>> | null;
  if (!d || typeof d !== 'object' || typeof d.signature !== 'string' || typeof d.signer?.chainPem !== 'string' || !('payload' in d))
    throw bad('not a signed document (it needs purpose, payload, signer.chainPem and signature)');
  if (d.purpose !== purpose) throw bad(`signed for "${String(d.purpose)}", not "${purpose}"`, 'purpose');
  const chain = parseChainPem(d.signer.chainPem, file);
  const leaf = chain[0]!;
  for (const [i, c] of chain.entries())
    if (c.notBefore > now || c.notAfter < now)
      throw bad(
        `certificate ${i + 1} (${c.subject}) is not valid now (${c.notBefore.toISOString()} … ${c.notAfter.toISOString()})`,
        `signer.chain[${i}]`,
      );
  for (let i = 0; i + 1 < chain.length; i++)
    if (!(await chain[i]!.verify({ publicKey: chain[i + 1]!, signatureOnly: true })))
      throw bad(`certificate ${i + 1} is not signed by certificate ${i + 2}`, `signer.chain[${i}]`);
  const key = await leaf.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify']);
  let ok: boolean;
  try {
    ok = await webcrypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key as webcrypto.CryptoKey,
      Buffer.from(d.signature, 'base64'),
      toSign(purpose, d.payload),
    );
  } catch {
    ok = false;
  }
  if (!ok) throw bad('the signature does not match the content', 'signature');
  return {
    payload: d.payload as T,
    signer: { subject: leaf.subject, issuer: leaf.issuer, sha256: sha256Hex(new Uint8Array(leaf.rawData)) },
  };
}
