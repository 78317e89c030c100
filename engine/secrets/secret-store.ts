/**
 * API keys and service addresses behind one interface. The CLI reads them from
 * the environment or a 0600 file in the config folder; the Electron app backs
 * the same interface with safeStorage. Values never go into logs, errors,
 * projects or job rows: `redactSecrets` scrubs any text that might carry one.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KlappeError, inputError } from '../common/errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { configDir } from '../util/paths.js';

export type KeyName = 'gemini' | 'comfyui';
/** A key, or the address of one farm server (`comfyui.<server id>`, engine/generate/cloud/farm-config.ts). */
export type SecretName = KeyName | `comfyui.${string}`;

export const SECRET_NAMES: readonly KeyName[] = ['gemini', 'comfyui'];

/** Environment variable that overrides each key. */
export const SECRET_ENV: Record<KeyName, string> = {
  gemini: 'KLAPPE_GEMINI_API_KEY',
  comfyui: 'KLAPPE_COMFYUI_URL',
};

export interface SecretStore {
  get(name: SecretName): string | undefined;
  set(name: SecretName, value: string): void;
  delete(name: SecretName): void;
  /** Where a secret comes from ('env KLAPPE_…', 'file …', 'safeStorage'), without its value. */
  source(name: SecretName): string | undefined;
}

const known = new Set<string>();

/** Remembers a key so redactSecrets can scrub it from any text (a server address is not a key). */
function remember(value: string | undefined, name?: SecretName): string | undefined {
  if (value && value.length >= 6 && name !== 'comfyui' && !name?.startsWith('comfyui.')) known.add(value);
  return value;
}

/** URL query parameters that carry credentials. */
const SECRET_PARAMS =
  /([?&#](?:key|api[_-]?key|apikey|token|access[_-]?token|auth|password|passwd|pass|secret|sig|signature|session)=)[^&#\s"'<>]+/gi;
/** `scheme://user:password@host` or `scheme://token@host`. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s"'<>@]+@/gi;

/** Replaces every known secret value, credentials in URLs (user:password@, ?token=, ?key=…) with "[redacted]". */
export function redactSecrets(text: string): string {
  let out = text;
  for (const v of known) out = out.split(v).join('[redacted]');
  return out.replace(URL_USERINFO, '$1[redacted]@').replace(SECRET_PARAMS, '$1[redacted]');
}

export function parseSecretName(name: string | undefined): KeyName {
  if (name && (SECRET_NAMES as readonly string[]).includes(name)) return name as KeyName;
  throw inputError('UNKNOWN_SECRET', `no secret called "${name ?? ''}"`, { path: 'NAME', hint: `One of: ${SECRET_NAMES.join(', ')}` });
}

/** The 0600 JSON file `secrets.json` in the config folder. */
export class FileSecretStore implements SecretStore {
  constructor(readonly file = join(configDir(), 'secrets.json')) {}

  private read(): Partial<Record<SecretName, string>> {
    if (!existsSync(this.file)) return {};
    const mode = statSync(this.file).mode & 0o777;
    if (mode & 0o077) {
      throw new KlappeError({
        code: 'SECRETS_FILE_OPEN',
        kind: 'input',
        file: this.file,
        message: `${this.file} can be read by other users (mode ${mode.toString(8)})`,
        hint: `Run: chmod 600 ${this.file}`,
      });
    }
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Record<SecretName, string>>;
    } catch {
      throw new KlappeError({
        code: 'SECRETS_FILE_BAD',
        kind: 'input',
        file: this.file,
        message: `${this.file} is not valid JSON`,
        hint: 'Delete it and set the keys again with `klappe keys set`.',
      });
    }
  }

  get(name: SecretName): string | undefined {
    return remember(this.read()[name], name);
  }

  set(name: SecretName, value: string): void {
    const all = { ...this.read(), [name]: value };
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.file, JSON.stringify(all, null, 2), 0o600);
    chmodSync(this.file, 0o600);
    remember(value, name);
  }

  delete(name: SecretName): void {
    const all = this.read();
    delete all[name];
    writeFileAtomic(this.file, JSON.stringify(all, null, 2), 0o600);
  }

  source(name: SecretName): string | undefined {
    return this.read()[name] ? `file ${this.file}` : undefined;
  }
}

/** Environment first, then another store (the file for the CLI, safeStorage in the app). */
export class EnvSecretStore implements SecretStore {
  constructor(
    readonly fallback: SecretStore = new FileSecretStore(),
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get(name: SecretName): string | undefined {
    const env = envName(name);
    return remember((env && this.env[env]) || undefined, name) ?? this.fallback.get(name);
  }

  set(name: SecretName, value: string): void {
    this.fallback.set(name, value);
  }

  delete(name: SecretName): void {
    this.fallback.delete(name);
  }

  source(name: SecretName): string | undefined {
    const env = envName(name);
    return env && this.env[env] ? `env ${env}` : this.fallback.source(name);
  }
}

function envName(name: SecretName): string | undefined {
  return (SECRET_NAMES as readonly string[]).includes(name) ? SECRET_ENV[name as KeyName] : undefined;
}

let defaultStore: SecretStore | undefined;

/** The store this process uses (the Electron main process replaces it with its safeStorage store). */
export function secretStore(): SecretStore {
  return (defaultStore ??= new EnvSecretStore());
}

export function setSecretStore(store: SecretStore): void {
  defaultStore = store;
}
