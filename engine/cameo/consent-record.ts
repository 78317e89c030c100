/**
 * The signed consent record of a cameo: who owns the likeness, who may use
 * it, until when, and the history of every grant and revocation, signed by
 * the owner's key (ES256, the provenance signing identity). Anyone holding the
 * owner's certificate can check it; the record carries that certificate, so it
 * travels between machines as one file. Each change signs a new record with a
 * higher version.
 */
import { createPublicKey, verify as verifySignature, webcrypto, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { CAMEO_KINDS, CAMEO_PERMISSIONS } from '../common/cameo-view.js';
import { inputError } from '../common/errors.js';
import type { SigningIdentity } from '../provenance/identity.js';
import { canonicalJson } from '../util/hash.js';
import { spkiSha256, type IdentityRef } from './identity-ref.js';

export const CONSENT_FORMAT = 'klappe.cameo-consent/1';

const IdentitySchema = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), name: z.string().max(200) });
const iso = z.iso.datetime({ offset: true });

export const CONSENT_ACTIONS = ['created', 'granted', 'ungranted', 'permission', 'expiry', 'revoked', 'deleted'] as const;

export const ConsentBodySchema = z
  .object({
    format: z.literal(CONSENT_FORMAT),
    cameoId: z.string().regex(/^cameo-[0-9a-f]{16}$/),
    version: z.number().int().min(1),
    owner: IdentitySchema,
    cameo: z.object({
      kind: z.enum(CAMEO_KINDS),
      displayName: z.string().min(1).max(80),
      /** sha256 of the recording the references were derived from. */
      recordingSha256: z.string().regex(/^[0-9a-f]{64}$/),
      /** The derived references (face crops, embedding, voice sample) by file name, with their sha256. */
      references: z.array(z.object({ name: z.string().regex(/^[\w.-]+$/), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).max(32),
    }),
    permission: z.enum(CAMEO_PERMISSIONS),
    approved: z.array(IdentitySchema.extend({ grantedAt: iso })).max(1000),
    expiresAt: iso.optional(),
    revokedAt: iso.optional(),
    deletedAt: iso.optional(),
    history: z
      .array(
        z.object({
          at: iso,
          action: z.enum(CONSENT_ACTIONS),
          identity: IdentitySchema.optional(),
          detail: z.string().max(2000).optional(),
        }),
      )
      .max(10_000),
    signedAt: iso,
  })
  .strict();
export type ConsentBody = z.infer<typeof ConsentBodySchema>;

export const SignedConsentSchema = z
  .object({
    body: ConsentBodySchema,
    /** The owner's certificate chain (PEM), signing certificate first. */
    certificate: z.string().min(1).max(100_000),
    /** ES256 signature (r‖s, base64) of the canonical JSON of `body`. */
    signature: z.string().min(1).max(200),
  })
  .strict();
export type SignedConsent = z.infer<typeof SignedConsentSchema>;

/** Signs `body` with the owner's identity (its id must be the identity's key). */
export async function signConsent(body: Omit<ConsentBody, 'signedAt' | 'format'>, identity: SigningIdentity): Promise<SignedConsent> {
  const full: ConsentBody = ConsentBodySchema.parse({ ...body, format: CONSENT_FORMAT, signedAt: new Date().toISOString() });
  const leaf = new X509Certificate(identity.stored.chainPem);
  if (spkiSha256(leaf) !== full.owner.id)
    throw inputError('CAMEO_NOT_OWNER', `cameo ${full.cameoId} belongs to ${full.owner.name}; only its owner can change its consent`, {
      hint: 'Ask the owner to grant or revoke it, and import the record they send (klappe cameo import FILE).',
    });
  const sig = await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, identity.key, new TextEncoder().encode(canonicalJson(full)));
  return { body: full, certificate: identity.stored.chainPem, signature: Buffer.from(sig).toString('base64') };
}

/**
 * Checks a record read from `file`: its shape, that the certificate's key is
 * the owner's, that the signature covers exactly this body, and (when the
 * owner's certificate is known) that it was signed by that owner.
 * CONSENT_SIGNATURE_INVALID (input) for an altered or forged record.
 */
export function verifyConsent(input: unknown, file: string, opts: { owner?: IdentityRef } = {}): SignedConsent {
  const parsed = SignedConsentSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw inputError(
      'CONSENT_INVALID',
      `${file}: not a Klappe cameo consent record: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      {
        file,
        path: issue.path.join('.'),
      },
    );
  }
  const rec = parsed.data;
  const forged = (why: string) =>
    inputError('CONSENT_SIGNATURE_INVALID', `${file}: the consent record of cameo ${rec.body.cameoId} is refused: ${why}`, {
      file,
      path: 'signature',
      hint: 'The record was altered after it was signed, or signed by someone else than the owner. Ask the owner for a fresh export (klappe cameo export).',
    });
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(rec.certificate);
  } catch {
    throw forged('its certificate cannot be read');
  }
  const now = new Date();
  if (new Date(cert.validTo) < now) throw forged(`the owner's certificate expired on ${new Date(cert.validTo).toISOString()}`);
  if (spkiSha256(cert) !== rec.body.owner.id) throw forged('the certificate is not the owner’s');
  if (opts.owner && opts.owner.id !== rec.body.owner.id)
    throw forged(`it is signed by ${rec.body.owner.name}, not by the known owner ${opts.owner.name}`);
  const ok = verifySignature(
    'sha256',
    Buffer.from(canonicalJson(rec.body)),
    { key: createPublicKey(cert.publicKey.export({ type: 'spki', format: 'pem' })), dsaEncoding: 'ieee-p1363' },
    Buffer.from(rec.signature, 'base64'),
  );
  if (!ok) throw forged('the signature does not match its contents');
  return rec;
}
