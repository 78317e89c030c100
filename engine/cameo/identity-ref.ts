/**
 * Who someone is to the cameo library: the signing identity of the provenance
 * work (engine/provenance), named by the sha256 of its certificate's public
 * key (SPKI). The id stays the same when the certificate is renewed with the
 * same key, and anyone holding the certificate can compute it.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { inputError } from '../common/errors.js';
import { FileKeyStore, type KeyStore } from '../provenance/key-store.js';

export interface IdentityRef {
  /** sha256 (hex) of the certificate's SubjectPublicKeyInfo. */
  id: string;
  /** The certificate's common name. */
  name: string;
}

/** The identity of the first certificate in a PEM chain; CERT_INVALID naming `what` when there is none. */
export function identityOfCertificate(pem: string, what = 'the certificate'): IdentityRef {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw inputError('CERT_INVALID', `${what} holds no readable PEM certificate: ${(e as Error).message}`, {
      hint: 'Give the person\'s certificate (PEM, "-----BEGIN CERTIFICATE-----"), e.g. their signing-chain.pem from `klappe identity show`.',
    });
  }
  return { id: spkiSha256(cert), name: commonName(cert.subject) };
}

export function spkiSha256(cert: X509Certificate): string {
  return createHash('sha256')
    .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function commonName(subject: string): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1]?.trim() || subject.split('\n')[0] || 'unnamed';
}

/** The current user's identity, read from the key store without creating one; undefined before the first signing. */
export function currentIdentity(store: KeyStore = new FileKeyStore()): IdentityRef | undefined {
  const stored = store.load();
  return stored ? identityOfCertificate(stored.chainPem, `the signing identity in ${store.location}`) : undefined;
}

/** An identity id as the user may type it: 64 hex digits (a prefix of at least 8 is matched by callers). */
export function looksLikeIdentityId(s: string): boolean {
  return /^[0-9a-f]{8,64}$/i.test(s);
}
