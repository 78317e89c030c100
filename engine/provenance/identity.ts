/**
 * The user's signing identity: made on first use (a local root CA and a P-256
 * signing certificate issued by it), or imported (own chain + PKCS#8 key).
 * Checked before any rendering starts, so a bad or expired certificate fails fast.
 */
import type { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { X509Certificate } from '@peculiar/x509';
import { inputError } from '../common/errors.js';
import { sha256Hex } from '../util/hash.js';
import {
  chainToPem,
  checkSigningChain,
  createRootCa,
  createSigningCert,
  exportPkcs8Pem,
  importPkcs8Pem,
  parseChainPem,
} from './certificates.js';
import { FileKeyStore, type KeyStore, type StoredIdentity } from './key-store.js';

export interface SigningIdentity {
  chain: X509Certificate[];
  key: webcrypto.CryptoKey;
  stored: StoredIdentity;
  location: string;
  /** File of the local root CA, for `klappe verify --trust`. */
  rootPath?: string;
}

export async function createLocalIdentity(name: string): Promise<StoredIdentity> {
  const root = await createRootCa(`Klappe local root (${name || 'user'})`);
  const leaf = await createSigningCert(root, name || 'Klappe user');
  return {
    chainPem: chainToPem([leaf.cert]),
    keyPem: await exportPkcs8Pem(leaf.keys.privateKey),
    rootPem: chainToPem([root.cert]),
    rootKeyPem: await exportPkcs8Pem(root.keys.privateKey),
    source: 'local',
  };
}

/** The identity to sign with: the stored one (checked), else a new local one saved in `store`. */
export async function loadSigningIdentity(opts: { store?: KeyStore; creatorName?: string; now?: Date } = {}): Promise<SigningIdentity> {
  const store = opts.store ?? new FileKeyStore();
  let stored = store.load();
  if (!stored) {
    stored = await createLocalIdentity(opts.creatorName ?? '');
    store.save(stored);
  }
  const what = `the signing identity in ${store.location}`;
  // every take and export signs: parsing and checking the same chain each time was tens of milliseconds of the
  // host's event loop (bench/soak.ts); a checked identity is reused for a few minutes while its files are unchanged
  const memoKey = opts.now ? undefined : sha256Hex(`${store.location}\n${stored.chainPem}\n${stored.keyPem}`);
  const memo = memoKey ? checkedIdentities.get(memoKey) : undefined;
  if (memo && Date.now() < memo.until)
    return { chain: memo.chain, key: memo.key, stored, location: store.location, rootPath: rootPathOf(store, stored) };
  const chain = parseChainPem(stored.chainPem, what);
  const key = await importPkcs8Pem(stored.keyPem, what);
  await checkSigningChain(chain, key, what, opts.now);
  if (memoKey) {
    const until = Math.min(Date.now() + IDENTITY_RECHECK_MS, ...chain.map((c) => c.notAfter.getTime()));
    checkedIdentities.clear(); // one identity in use at a time
    checkedIdentities.set(memoKey, { chain, key, until });
  }
  return { chain, key, stored, location: store.location, rootPath: rootPathOf(store, stored) };
}

/** How long a checked signing identity is reused before it is checked again (its expiry is always honoured). */
const IDENTITY_RECHECK_MS = 5 * 60_000;
const checkedIdentities = new Map<string, { chain: X509Certificate[]; key: webcrypto.CryptoKey; until: number }>();

/** Checks and stores a user's own chain and key; returns the identity now in use. */
export async function importIdentity(certFile: string, keyFile: string, store: KeyStore = new FileKeyStore()): Promise<SigningIdentity> {
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8');
    } catch (e) {
      throw inputError('FILE_NOT_FOUND', `cannot read ${f}: ${(e as Error).message}`, { file: f });
    }
  };
  const chainPem = read(certFile);
  const keyPem = read(keyFile);
  const chain = parseChainPem(chainPem, certFile);
  const key = await importPkcs8Pem(keyPem, keyFile);
  await checkSigningChain(chain, key, certFile);
  const stored: StoredIdentity = { chainPem: chainToPem(chain), keyPem, source: 'imported' };
  store.save(stored);
  return { chain, key, stored, location: store.location };
}

function rootPathOf(store: KeyStore, stored: StoredIdentity): string | undefined {
  return stored.rootPem && store instanceof FileKeyStore ? store.rootPath() : undefined;
}

export interface IdentitySummary {
  source: StoredIdentity['source'];
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  sha256: string;
  chainLength: number;
  location: string;
  rootCa?: string;
}

export async function describeIdentity(id: SigningIdentity): Promise<IdentitySummary> {
  const leaf = id.chain[0]!;
  const thumb = Buffer.from(await leaf.getThumbprint('SHA-256')).toString('hex');
  return {
    source: id.stored.source,
    subject: leaf.subject,
    issuer: leaf.issuer,
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
    sha256: thumb,
    chainLength: id.chain.length,
    location: id.location,
    ...(id.rootPath ? { rootCa: id.rootPath } : {}),
  };
}
