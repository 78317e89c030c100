/**
 * Studio settings in the config folder: plain settings in settings.json;
 * secrets go to the engine's secret store (engine/secrets) and are never read
 * back through the api: `view()` says only which ones are set.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { inputError } from '../common/errors.js';
import { localModelProbe } from '../generate/local-models.js';
import { secretStore, type SecretStore } from '../secrets/secret-store.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { configDir } from '../util/paths.js';
import { SECRET_KEYS, type SecretKey, type SettingsPatchSchema, type SettingsView } from './contract.js';

type Plain = Omit<SettingsView, 'secretsSet' | 'localModels'>;

/** defaultBackend '' = the router decides; KLAPPE_DEFAULT_BACKEND overrides the default (tests use the fast slate). */
const defaults = (): Plain => ({
  localModelDir: '',
  cacheBudgetGb: 20,
  defaultBackend: process.env.KLAPPE_DEFAULT_BACKEND ?? '',
  creatorName: '',
  firstFilm: 'new',
  prices: {},
});

export class SettingsStore {
  constructor(
    private readonly dir = configDir(),
    private readonly secrets: SecretStore = secretStore(),
  ) {}

  private get file(): string {
    return join(this.dir, 'settings.json');
  }

  plain(): Plain {
    if (!existsSync(this.file)) return defaults();
    try {
      return { ...defaults(), ...JSON.parse(readFileSync(this.file, 'utf8')) };
    } catch (e) {
      throw inputError('SETTINGS_BAD_JSON', `${this.file}: ${(e as Error).message}`, {
        file: this.file,
        hint: 'Fix or delete the file; Klappe will write a new one.',
      });
    }
  }

  view(): SettingsView {
    const secretsSet = Object.fromEntries(SECRET_KEYS.map((k) => [k, !!this.secrets.get(k)])) as Record<SecretKey, boolean>;
    const plain = this.plain();
    return { ...plain, secretsSet, localModels: localModelProbe(() => plain.localModelDir)().reason };
  }

  update(patch: z.output<typeof SettingsPatchSchema>): SettingsView {
    const { secrets, ...plain } = patch;
    if (plain.localModelDir && !isDirectory(plain.localModelDir)) {
      throw inputError('NOT_A_FOLDER', `local model folder: ${plain.localModelDir} is not a folder`, {
        path: 'params.patch.localModelDir',
        hint: 'Pick an existing folder, or leave it empty.',
      });
    }
    const next = { ...this.plain() };
    for (const [k, v] of Object.entries(plain)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    for (const [k, v] of Object.entries(secrets ?? {}) as Array<[SecretKey, string | null | undefined]>) {
      if (v === null || v === '') this.secrets.delete(k);
      else if (v !== undefined) this.secrets.set(k, v);
    }
    return this.view();
  }
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
