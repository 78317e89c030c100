/**
 * The keys of the local /v1 videos API (`klappe api-keys create|list|revoke`):
 * a 0600 JSON file in the config folder holding each key's id, name, creation
 * time and sha256 hash. A key is shown once, when it is made; only its hash is
 * stored, and a check compares hashes in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inputError, KlappeError } from '../../common/errors.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { sha256Hex } from '../../util/hash.js';
import { configDir } from '../../util/paths.js';

export interface ApiKeyInfo {
  id: string;
  name: string;
  createdAt: string;
  revokedAt?: string;
  /** The first characters of the key, to tell keys apart (never enough to use it). */
  prefix: string;
}

interface StoredKey extends ApiKeyInfo {
  sha256: string;
}

export const KEY_PREFIX = 'sk-klappe-';

export function apiKeysPath(): string {
  return join(configDir(), 'api-keys.json');
}

export class ApiKeyStore {
  /** The file as last read, with the mtime and size it had: re-read only when it changed. */
  private cached: { stamp: string; keys: StoredKey[] } | undefined;

  constructor(readonly file = apiKeysPath()) {}

  private read(): StoredKey[] {
    if (!existsSync(this.file)) return [];
    try {
      const st = statSync(this.file);
      const stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
      if (this.cached?.stamp === stamp) return this.cached.keys.map((k) => ({ ...k }));
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as { keys?: StoredKey[] };
      const keys = Array.isArray(data.keys) ? data.keys : [];
      this.cached = { stamp, keys };
      return keys.map((k) => ({ ...k }));
    } catch (e) {
      throw new KlappeError({
        code: 'API_KEYS_DAMAGED',
        message: `${this.file} is not valid JSON: ${(e as Error).message}`,
        file: this.file,
        hint: 'Move the file away and create new keys (klappe api-keys create).',
      });
    }
  }

  private write(keys: StoredKey[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileAtomic(this.file, JSON.stringify({ keys }, null, 2), 0o600);
  }

  /** A new key: the only time its value is seen. */
  create(name = ''): { id: string; key: string; info: ApiKeyInfo } {
    const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const id = `key_${randomBytes(6).toString('hex')}`;
    const info: ApiKeyInfo = {
      id,
      name: name.slice(0, 80),
      createdAt: new Date().toISOString(),
      prefix: key.slice(0, KEY_PREFIX.length + 4),
    };
    this.write([...this.read(), { ...info, sha256: sha256Hex(key) }]);
    return { id, key, info };
  }

  list(): ApiKeyInfo[] {
    return this.read().map(({ sha256: _hash, ...info }) => info);
  }

  revoke(id: string): ApiKeyInfo {
    const keys = this.read();
    const k = keys.find((x) => x.id === id);
    if (!k)
      throw inputError('API_KEY_NOT_FOUND', `no API key with id "${id}"`, { path: 'ID', hint: 'See the ids with `klappe api-keys list`.' });
    k.revokedAt ??= new Date().toISOString();
    this.write(keys);
    const { sha256: _hash, ...info } = k;
    return info;
  }

  /** The id of the live key `key` is, or undefined (unknown or revoked). Reads the file each time, so a revoke applies at once. */
  check(key: string): string | undefined {
    if (!key) return undefined;
    const given = Buffer.from(sha256Hex(key), 'hex');
    let found: string | undefined;
    for (const k of this.read()) {
      const stored = Buffer.from(k.sha256, 'hex');
      if (stored.length === given.length && timingSafeEqual(stored, given) && !k.revokedAt) found = k.id;
    }
    return found;
  }
}
