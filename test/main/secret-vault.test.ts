/**
 * API keys in the app: sealed by safeStorage in main (a stand-in sealer here:
 * the Electron binary does not install in this environment), unsealed for the
 * engine host, whose store relays every change back to be sealed.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretVault, type Sealer } from '../../main/secret-vault.js';
import { RelayedSecretStore } from '../../engine/secrets/relayed-secret-store.js';
import { EnvSecretStore, type SecretName } from '../../engine/secrets/secret-store.js';
import { tempDir } from '../support/env.js';

/** Like safeStorage: opaque bytes, and unsealing fails for bytes it did not seal. */
function fakeSealer(backend = 'gnome_libsecret'): Sealer {
  const magic = Buffer.from('SEALED1');
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => Buffer.concat([magic, Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]),
    decryptString(sealed) {
      if (!sealed.subarray(0, magic.length).equals(magic))
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString');
      return Buffer.from(sealed.subarray(magic.length).map((b) => b ^ 0x5a)).toString('utf8');
    },
  };
}

const t = tempDir('klappe-vault-');
afterAll(t.cleanup);

describe('secret vault (main) and relayed store (engine host)', () => {
  it('seals values at rest (0600, no plain text), unseals them for the host, and stores what the host hands back', () => {
    const file = join(t.dir, 'cfg', 'secrets.sealed.json');
    const vault = new SecretVault(fakeSealer(), file);
    expect(vault.usable()).toBe(true);
    vault.save('gemini', 'AIza-very-secret-key');
    expect(readFileSync(file, 'utf8')).not.toContain('very-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const { values } = vault.load();
    expect(values).toEqual({ gemini: 'AIza-very-secret-key' });

    // the host's store: reads from memory, relays changes to main
    const relayed: Array<[SecretName, string | null]> = [];
    const host = new EnvSecretStore(
      new RelayedSecretStore(values, (name, value) => {
        relayed.push([name, value]);
        vault.save(name, value);
      }),
      {},
    );
    expect(host.get('gemini')).toBe('AIza-very-secret-key');
    expect(host.source('gemini')).toBe('safeStorage');
    host.set('comfyui', 'http://127.0.0.1:8188');
    host.delete('gemini');
    expect(relayed).toEqual([
      ['comfyui', 'http://127.0.0.1:8188'],
      ['gemini', null],
    ]);
    expect(vault.load().values).toEqual({ comfyui: 'http://127.0.0.1:8188' });
    // the environment still wins, as in the CLI
    expect(new EnvSecretStore(new RelayedSecretStore({}, () => {}), { KLAPPE_GEMINI_API_KEY: 'from-env-123' }).get('gemini')).toBe(
      'from-env-123',
    );
  });

  it('skips and names a value it cannot unseal; refuses plain-text fallback; reports a broken file with its path', () => {
    const file = join(t.dir, 'other', 'secrets.sealed.json');
    const vault = new SecretVault(fakeSealer(), file);
    vault.save('comfyui', 'http://host:8188');
    const all = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...all, gemini: Buffer.from('sealed elsewhere').toString('base64'), bogus: 'x' }));
    expect(vault.load()).toEqual({ values: { comfyui: 'http://host:8188' }, unreadable: ['gemini'] });
    expect(new SecretVault(fakeSealer('basic_text'), file).usable()).toBe(false);
    writeFileSync(file, '{ not json');
    expect(() => vault.load()).toThrow(expect.objectContaining({ code: 'SECRETS_FILE_BAD', file }));
  });
});
