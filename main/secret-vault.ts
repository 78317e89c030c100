/**
 * The app's API keys at rest: each value sealed with Electron's safeStorage
 * (the OS keychain: Keychain, DPAPI, libsecret/kwallet) in
 * `secrets.sealed.json` (0600) in the config folder. The main process unseals
 * them for the engine host at start and seals what the host hands back.
 * Where the OS offers no real encryption (safeStorage's `basic_text` backend
 * on a Linux without a keyring) the vault is not used and the engine keeps
 * its 0600 file (engine/secrets), as the CLI does.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KlappeError } from '../engine/common/errors.js';
import { SECRET_NAMES, type SecretName } from '../engine/secrets/secret-store.js';
import { writeFileAtomic } from '../engine/util/atomic-file.js';
import { configDir } from '../engine/util/paths.js';

/** The part of Electron's safeStorage the vault uses. */
export interface Sealer {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export function isSecretName(name: unknown): name is SecretName {
  return typeof name === 'string' && ((SECRET_NAMES as readonly string[]).includes(name) || /^comfyui\.[a-z0-9-]{1,40}$/.test(name));
}

export class SecretVault {
  constructor(
    private readonly sealer: Sealer,
    readonly file = join(configDir(), 'secrets.sealed.json'),
  ) {}

  /** True when values can be sealed by the OS (not safeStorage's plain-text fallback). */
  usable(): boolean {
    return this.sealer.isEncryptionAvailable() && this.sealer.getSelectedStorageBackend?.() !== 'basic_text';
  }

  private readSealed(): Partial<Record<SecretName, string>> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Record<SecretName, string>>;
    } catch {
      throw new KlappeError({
        code: 'SECRETS_FILE_BAD',
        kind: 'input',
        file: this.file,
        message: `${this.file} is not valid JSON`,
        hint: 'Delete it and enter the keys again in Settings.',
      });
    }
  }

  /** Every stored secret, unsealed. One that cannot be unsealed (another user's keychain) is skipped and named. */
  load(): { values: Partial<Record<SecretName, string>>; unreadable: SecretName[] } {
    const values: Partial<Record<SecretName, string>> = {};
    const unreadable: SecretName[] = [];
    for (const [name, sealed] of Object.entries(this.readSealed())) {
      if (!isSecretName(name) || typeof sealed !== 'string') continue;
      try {
        values[name] = this.sealer.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        unreadable.push(name);
      }
    }
    return { values, unreadable };
  }

  /** Seals and stores a value; null removes it. */
  save(name: SecretName, value: string | null): void {
    const all = this.readSealed();
    if (value === null) delete all[name];
    else all[name] = this.sealer.encryptString(value).toString('base64');
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.file, JSON.stringify(all, null, 2), 0o600);
    chmodSync(this.file, 0o600);
  }
}
