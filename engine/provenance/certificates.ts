/**
 * Signing certificates (P-256, ES256) with @peculiar/x509: a local root CA and
 * a user certificate with what C2PA validators require (not a CA, critical
 * keyUsage digitalSignature, EKU emailProtection + documentSigning, SKI/AKI);
 * and the checks an imported chain must pass before anything is rendered.
 */
import { webcrypto } from 'node:crypto';
import './reflect-metadata.js';
import * as x509 from '@peculiar/x509';
import { inputError } from '../common/errors.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const EC_ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const EKU_EMAIL = '1.3.6.1.5.5.7.3.4';
const EKU_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';
const DAY = 86_400_000;

export interface IssuedCert {
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(12)))
    .toString('hex')
    .replace(/^./, '1');
}

export async function createRootCa(commonName: string, opts: { notBefore?: Date; notAfter?: Date } = {}): Promise<IssuedCert> {
  const keys = (await webcrypto.subtle.generateKey(EC_ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${escapeDn(commonName)}, O=Klappe`,
    notBefore: opts.notBefore ?? new Date(now - DAY),
    notAfter: opts.notAfter ?? new Date(now + 3650 * DAY),
    signingAlgorithm: EC_ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

export async function createSigningCert(
  issuer: IssuedCert,
  commonName: string,
  opts: { notBefore?: Date; notAfter?: Date } = {},
): Promise<IssuedCert> {
  const keys = (await webcrypto.subtle.generateKey(EC_ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${escapeDn(commonName)}, O=Klappe`,
    issuer: issuer.cert.subject,
    notBefore: opts.notBefore ?? new Date(now - DAY),
    notAfter: opts.notAfter ?? new Date(now + 2 * 365 * DAY),
    signingAlgorithm: EC_ALG,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([EKU_EMAIL, EKU_DOCUMENT_SIGNING], false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return { cert, keys };
}

function escapeDn(s: string): string {
  return (s || 'Klappe user').replace(/[,+"\\<>;=]/g, ' ').trim() || 'Klappe user';
}

export function chainToPem(chain: x509.X509Certificate[]): string {
  return chain.map((c) => c.toString('pem')).join('\n') + '\n';
}

export function parseChainPem(pem: string, file: string): x509.X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks?.length)
    throw inputError('CERT_INVALID', `${file} holds no PEM certificate`, {
      file,
      hint: 'Give a PEM file that starts with -----BEGIN CERTIFICATE-----, signing certificate first.',
    });
  return blocks.map((b, i) => {
    try {
      return new x509.X509Certificate(b);
    } catch (e) {
      throw inputError('CERT_INVALID', `${file}: certificate ${i + 1} cannot be read: ${(e as Error).message}`, {
        file,
        path: `certificate[${i}]`,
      });
    }
  });
}

export async function importPkcs8Pem(pem: string, file: string): Promise<webcrypto.CryptoKey> {
  const m = pem.match(/-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/);
  if (!m)
    throw inputError('KEY_INVALID', `${file} holds no PKCS#8 private key`, {
      file,
      hint: 'Give a PEM file with -----BEGIN PRIVATE KEY----- (convert with: openssl pkcs8 -topk8 -nocrypt).',
    });
  try {
    return (await webcrypto.subtle.importKey(
      'pkcs8',
      Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'),
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['sign'],
    )) as webcrypto.CryptoKey;
  } catch (e) {
    throw inputError('KEY_INVALID', `${file}: the key is not a P-256 (ES256) PKCS#8 key: ${(e as Error).message}`, { file });
  }
}

export async function exportPkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
}

/**
 * Throws a KlappeError (input) naming the first thing that makes `chain` unfit
 * for C2PA signing with `key`: expired or not yet valid, wrong key type, a CA
 * leaf, missing digitalSignature or EKU, a chain that does not link up, a key
 * that does not match.
 */
export async function checkSigningChain(
  chain: x509.X509Certificate[],
  key: webcrypto.CryptoKey,
  file: string,
  now = new Date(),
): Promise<void> {
  const leaf = chain[0];
  const bad = (path: string, message: string, hint?: string) => inputError('CERT_INVALID', `${file}: ${message}`, { file, path, hint });
  if (!leaf) throw bad('certificate[0]', 'no certificate');
  chain.forEach((c, i) => {
    if (c.notAfter < now)
      throw inputError('CERT_EXPIRED', `${file}: certificate ${i + 1} (${c.subject}) expired on ${c.notAfter.toISOString()}`, {
        file,
        path: `certificate[${i}].notAfter`,
        hint: 'Renew the certificate, or run `klappe identity reset` to go back to the local one.',
      });
    if (c.notBefore > now)
      throw bad(`certificate[${i}].notBefore`, `certificate ${i + 1} (${c.subject}) is not valid before ${c.notBefore.toISOString()}`);
  });
  const alg = leaf.publicKey.algorithm as webcrypto.EcKeyAlgorithm;
  if (alg.name !== 'ECDSA' || alg.namedCurve !== 'P-256')
    throw bad(
      'certificate[0].publicKey',
      `the signing certificate has a ${alg.name} ${alg.namedCurve ?? ''} key; Klappe signs with ES256 (P-256)`,
    );
  const bc = leaf.getExtension(x509.BasicConstraintsExtension);
  if (bc?.ca)
    throw bad(
      'certificate[0].basicConstraints',
      'the signing certificate is a CA certificate',
      'C2PA needs an end-entity signing certificate.',
    );
  const ku = leaf.getExtension(x509.KeyUsagesExtension);
  if (!ku || !(ku.usages & x509.KeyUsageFlags.digitalSignature))
    throw bad('certificate[0].keyUsage', 'the signing certificate lacks keyUsage digitalSignature');
  const eku = leaf.getExtension(x509.ExtendedKeyUsageExtension);
  if (
    !eku ||
    !eku.usages.some((u) => [EKU_EMAIL, EKU_DOCUMENT_SIGNING, '1.3.6.1.5.5.7.3.8', '1.3.6.1.4.1.62558.2.1'].includes(String(u)))
  ) {
    throw bad(
      'certificate[0].extendedKeyUsage',
      'the signing certificate has no extended key usage C2PA accepts',
      'Use emailProtection, documentSigning or timeStamping.',
    );
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!(await chain[i]!.verify({ publicKey: chain[i + 1]!.publicKey, signatureOnly: true })))
      throw bad(
        `certificate[${i}]`,
        `certificate ${i + 1} is not signed by certificate ${i + 2}`,
        'Order the PEM file: signing certificate first, then each issuer.',
      );
  }
  const probe = new TextEncoder().encode('klappe key check');
  const sig = await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, probe);
  const pub = await leaf.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify']);
  if (!(await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pub as webcrypto.CryptoKey, sig, probe)))
    throw inputError('KEY_MISMATCH', `${file}: the private key does not belong to the signing certificate`, { file, path: 'key' });
}
