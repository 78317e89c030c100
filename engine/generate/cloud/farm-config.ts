/**
 * Which ComfyUI servers make up the render farm. Two sources:
 * - settings.json `farm.servers`: id, label, slots and the name of the secret
 *   (`comfyui.<id>`) that holds the address, so an address with a password or
 *   token lives only in the secret store (engine/secrets), never in settings,
 *   projects, job rows or logs;
 * - `KLAPPE_COMFYUI_URLS` for scripts: comma-separated addresses, each with an
 *   optional fragment `#slots=2&label=gpu-a` (a fragment is never sent to the server).
 * Server ids are stable across processes (a job's resume state names its server).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../../common/errors.js';
import { secretStore, type SecretStore } from '../../secrets/secret-store.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { configDir } from '../../util/paths.js';

export interface FarmServerConfig {
  id: string;
  label: string;
  slots: number;
  /** Secret holding the address (settings servers); env servers have none. */
  secret?: `comfyui.${string}`;
}

export interface FarmServer extends FarmServerConfig {
  /** The address as the client uses it (may carry credentials: never print it, use `displayUrl`). */
  url: string;
  source: 'settings' | 'env';
}

export const FARM_ENV = 'KLAPPE_COMFYUI_URLS';

/** An address without user, password or query (tokens), for messages and the UI. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '(invalid address)';
  }
}

function checkUrl(url: string, where: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw inputError('BAD_COMFYUI_URL', `${where}: not an address (expected http://host:8188)`, {
      path: where,
      hint: 'Give the ComfyUI address, like http://gpu-a:8188.',
    });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw inputError('BAD_COMFYUI_URL', `${where}: the ComfyUI address must start with http:// or https://`, { path: where });
  return u;
}

function checkSlots(slots: number, where: string): number {
  if (!Number.isInteger(slots) || slots < 1 || slots > 64)
    throw inputError('BAD_SLOTS', `${where}: slots must be a whole number from 1 to 64, not ${slots}`, { path: where });
  return slots;
}

/** The servers named by KLAPPE_COMFYUI_URLS. */
export function envServers(value = process.env[FARM_ENV]): FarmServer[] {
  const out: FarmServer[] = [];
  for (const [i, raw] of (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .entries()) {
    const u = checkUrl(raw, `${FARM_ENV} entry ${i + 1}`);
    const opts = new URLSearchParams(u.hash.slice(1));
    u.hash = '';
    const url = u.toString().replace(/\/+$/, '');
    const slots = checkSlots(Number(opts.get('slots') ?? 1), `${FARM_ENV} entry ${i + 1} slots`);
    out.push({
      id: `e-${createHash('sha256').update(url).digest('hex').slice(0, 10)}`,
      label: opts.get('label') || u.host,
      slots,
      url,
      source: 'env',
    });
  }
  return out;
}

interface SettingsFile {
  farm?: { servers?: FarmServerConfig[] };
}

export class FarmConfig {
  constructor(
    private readonly dir = configDir(),
    private readonly secrets: SecretStore = secretStore(),
  ) {}

  private get file(): string {
    return join(this.dir, 'settings.json');
  }

  private readSettings(): SettingsFile & Record<string, unknown> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as SettingsFile & Record<string, unknown>;
    } catch (e) {
      throw inputError('SETTINGS_BAD_JSON', `${this.file}: ${(e as Error).message}`, {
        file: this.file,
        hint: 'Fix or delete the file; Klappe will write a new one.',
      });
    }
  }

  configured(): FarmServerConfig[] {
    return this.readSettings().farm?.servers ?? [];
  }

  private write(servers: FarmServerConfig[]): void {
    const all = this.readSettings();
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.file, `${JSON.stringify({ ...all, farm: { ...all.farm, servers } }, null, 2)}\n`);
  }

  /** Every server of the farm with its address: settings first, then KLAPPE_COMFYUI_URLS. */
  servers(): FarmServer[] {
    const fromSettings: FarmServer[] = [];
    for (const s of this.configured()) {
      const url = s.secret ? this.secrets.get(s.secret) : undefined;
      if (url) fromSettings.push({ ...s, url: url.replace(/\/+$/, ''), source: 'settings' });
    }
    const env = envServers();
    return [...fromSettings, ...env.filter((e) => !fromSettings.some((s) => s.url === e.url))];
  }

  add(url: string, opts: { slots?: number; label?: string } = {}): FarmServerConfig {
    const u = checkUrl(url, 'URL');
    const clean = u.toString().replace(/\/+$/, '');
    const servers = this.configured();
    if (servers.some((s) => s.secret && this.secrets.get(s.secret)?.replace(/\/+$/, '') === clean)) {
      throw inputError('FARM_SERVER_EXISTS', `${displayUrl(clean)} is already in the farm`, {
        path: 'URL',
        hint: 'See `klappe farm list`.',
      });
    }
    const label = opts.label?.trim() || u.host;
    if (servers.some((s) => s.label === label))
      throw inputError('FARM_LABEL_TAKEN', `a farm server is already called "${label}"`, {
        path: '--label',
        hint: 'Pick another --label.',
      });
    const id = `s-${randomUUID().slice(0, 8)}`;
    const server: FarmServerConfig = { id, label, slots: checkSlots(opts.slots ?? 1, '--slots'), secret: `comfyui.${id}` };
    this.secrets.set(server.secret!, clean);
    this.write([...servers, server]);
    return server;
  }

  /** Removes a server by id or label; its secret goes too. */
  remove(idOrLabel: string): FarmServerConfig {
    const servers = this.configured();
    const s = servers.find((x) => x.id === idOrLabel || x.label === idOrLabel);
    if (!s)
      throw inputError('FARM_SERVER_NOT_FOUND', `no farm server "${idOrLabel}" in the settings`, {
        path: 'ID',
        hint: `Servers: ${servers.map((x) => x.label).join(', ') || 'none'} (servers from ${FARM_ENV} are removed there).`,
      });
    this.write(servers.filter((x) => x !== s));
    if (s.secret) this.secrets.delete(s.secret);
    return s;
  }
}
