/**
 * Studio settings in the config folder: plain settings in settings.json,
 * secrets in secrets.json (mode 0600). Secrets are written, never read back
 * through the api: `view()` says only which ones are set.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { configDir } from '../util/paths.js';
import { SECRET_KEYS, type SecretKey, type SettingsView } from './contract.js';
import type { z } from 'zod';
import type { SettingsPatchSchema } from './contract.js';

type Plain = Omit<SettingsView, 'secretsSet'>;

const DEFAULTS: Plain = { comfyuiUrl: '', localModelDir: '', cacheBudgetGb: 20, defaultBackend: 'slate', creatorName: '' };

export class SettingsStore {
  constructor(private readonly dir = configDir()) {}

  private readJson<T>(name: string, fallback: T): T {
    const file = join(this.dir, name);
    if (!existsSync(file)) return fallback;
    try {
      return { ...fallback, ...JSON.parse(readFileSync(file, 'utf8')) };
    } catch (e) {
      throw inputError('SETTINGS_BAD_JSON', `${file}: ${(e as Error).message}`, { file, hint: 'Fix or delete the file; Klappe will write a new one.' });
    }
  }

  plain(): Plain {
    return this.readJson('settings.json', DEFAULTS);
  }

  /** A secret's value, for the engine only (backends). */
  secret(key: SecretKey): string | undefined {
    return this.readJson<Partial<Record<SecretKey, string>>>('secrets.json', {})[key];
  }

  view(): SettingsView {
    const secrets = this.readJson<Partial<Record<SecretKey, string>>>('secrets.json', {});
    const secretsSet = Object.fromEntries(SECRET_KEYS.map((k) => [k, !!secrets[k]])) as Record<SecretKey, boolean>;
    return { ...this.plain(), secretsSet };
  }

  update(patch: z.output<typeof SettingsPatchSchema>): SettingsView {
    mkdirSync(this.dir, { recursive: true });
    const { secrets, ...plain } = patch;
    const next = { ...this.plain() };
    for (const [k, v] of Object.entries(plain)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
    writeFileAtomic(join(this.dir, 'settings.json'), `${JSON.stringify(next, null, 2)}\n`);
    if (secrets) {
      const current = this.readJson<Partial<Record<SecretKey, string>>>('secrets.json', {});
      for (const [k, v] of Object.entries(secrets) as Array<[SecretKey, string | null | undefined]>) {
        if (v === null || v === '') delete current[k];
        else if (v !== undefined) current[k] = v;
      }
      const file = join(this.dir, 'secrets.json');
      writeFileAtomic(file, JSON.stringify(current));
      chmodSync(file, 0o600);
    }
    return this.view();
  }
}
