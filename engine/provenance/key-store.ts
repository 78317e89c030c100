/**
 * Where the signing identity lives. `KeyStore` is the seam: the CLI uses
 * files in the config folder (0600); the Electron app can back it with
 * safeStorage (the key encrypted at rest) without touching the signer.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import { configDir } from '../util/paths.js';

export interface StoredIdentity {
  /** PEM certificates, signing certificate first, then its issuers. */
  chainPem: string;
  /** PEM PKCS#8 private key of the signing certificate. */
  keyPem: string;
  /** The local root CA (PEM) when Klappe made the identity; users trust it with `klappe verify --trust`. */
  rootPem?: string;
  /** The local root's key, kept to issue a new signing certificate later. */
  rootKeyPem?: string;
  source: 'local' | 'imported';
}

export interface KeyStore {
  /** Human description of where it lives (shown by `klappe identity show`). */
  readonly location: string;
  load(): StoredIdentity | undefined;
  save(identity: StoredIdentity): void;
}

const FILES = {
  chain: 'signing-chain.pem',
  key: 'signing-key.pem',
  root: 'root-ca.pem',
  rootKey: 'root-ca-key.pem',
  meta: 'identity.json',
} as const;

export class FileKeyStore implements KeyStore {
  constructor(readonly dir = join(configDir(), 'identity')) {}

  get location(): string {
    return this.dir;
  }

  load(): StoredIdentity | undefined {
    const p = (f: string) => join(this.dir, f);
    if (!existsSync(p(FILES.chain)) || !existsSync(p(FILES.key))) return undefined;
    const read = (f: string) => (existsSync(p(f)) ? readFileSync(p(f), 'utf8') : undefined);
    const meta = JSON.parse(read(FILES.meta) ?? '{}') as { source?: StoredIdentity['source'] };
    return {
      chainPem: read(FILES.chain)!,
      keyPem: read(FILES.key)!,
      rootPem: read(FILES.root),
      rootKeyPem: read(FILES.rootKey),
      source: meta.source ?? 'imported',
    };
  }

  save(identity: StoredIdentity): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    const write = (f: string, text: string | undefined, secret: boolean) => {
      const path = join(this.dir, f);
      if (text === undefined) return;
      writeFileAtomic(path, text);
      chmodSync(path, secret ? 0o600 : 0o644);
    };
    write(FILES.key, identity.keyPem, true);
    write(FILES.rootKey, identity.rootKeyPem, true);
    write(FILES.chain, identity.chainPem, false);
    write(FILES.root, identity.rootPem, false);
    write(FILES.meta, `${JSON.stringify({ source: identity.source }, null, 2)}\n`, false);
  }

  /** Path of the local root CA certificate (for `klappe verify --trust`). */
  rootPath(): string {
    return join(this.dir, FILES.root);
  }
}
