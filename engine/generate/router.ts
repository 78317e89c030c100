/**
 * Picks the backend for a shot (DESIGN.md "Generation"): what the user chose
 * (--backend, else the shot's own `backend`), else a local model if one is
 * present, else a configured cloud service, else the embedded default. When
 * the user's choice cannot run, the router falls back and says why; the
 * reason is recorded on the take as `fallbackReason`.
 */
import type { Shot } from '../model/schema.js';
import { secretStore, type SecretStore } from '../secrets/secret-store.js';
import type { Backend } from './backend.js';
import { createFarmBackend, farmConfigured } from './cloud/comfyui-pool.js';
import { createVeoBackend } from './cloud/veo.js';
import { defaultLocalProbe, localBackend, type LocalProbe } from './local-models.js';
import { DEFAULT_BACKEND_ID, getBackend, listBackends } from './registry.js';

export interface Route {
  backend: Backend;
  /** Why the backend the user chose is not the one that runs. */
  fallbackReason?: string;
  /** How the router decided (for logs and `jobs list`). */
  reason: string;
}

export type { LocalProbe } from './local-models.js';

export const noLocalModels: LocalProbe = () => ({ available: false, reason: 'no local model pack is installed' });

const CLOUD: Record<string, { make: () => Backend; secret: 'gemini' | 'comfyui'; missing: string; configured?: () => boolean }> = {
  veo: {
    make: () => createVeoBackend(),
    secret: 'gemini',
    missing: 'no Gemini API key is set (KLAPPE_GEMINI_API_KEY or `klappe keys set gemini`)',
  },
  comfyui: {
    make: () => createFarmBackend(),
    secret: 'comfyui',
    missing: 'no ComfyUI server is set (KLAPPE_COMFYUI_URL, KLAPPE_COMFYUI_URLS, `klappe keys set comfyui` or `klappe farm add`)',
    configured: farmConfigured,
  },
};
const LOCAL_IDS = new Set(['onnx', 'local']);
const cloudInstances = new Map<string, Backend>();

export interface RouteOptions {
  /** The user's choice for this run (--backend); wins over the shot's own. */
  backendId?: string;
  secrets?: SecretStore;
  local?: LocalProbe;
}

/** Any backend by id, cloud ones included (they read their keys when they run). */
export function resolveBackend(id: string): Backend {
  if (id.startsWith('local:')) {
    const b = localBackend(id);
    if (b) return b;
  }
  const cloud = CLOUD[id];
  if (cloud) {
    let b = cloudInstances.get(id);
    if (!b) cloudInstances.set(id, (b = cloud.make()));
    return b;
  }
  return getBackend(id);
}

export function knownBackendIds(): string[] {
  return [...new Set([...listBackends().map((b) => b.id), ...Object.keys(CLOUD), 'onnx'])];
}

export function routeShot(shot: Pick<Shot, 'backend'>, opts: RouteOptions = {}): Route {
  const secrets = opts.secrets ?? secretStore();
  const local = opts.local ?? defaultLocalProbe;
  const wanted = opts.backendId ?? shot.backend;
  let fallbackReason: string | undefined;
  if (wanted) {
    if (LOCAL_IDS.has(wanted) || wanted.startsWith('local:')) {
      const probe = local(wanted.startsWith('local:') ? wanted.slice(6) : undefined);
      if (probe.available && probe.backend) return { backend: probe.backend, reason: `chosen: ${wanted}` };
      fallbackReason = `${wanted} chosen but ${probe.reason}`;
    } else if (CLOUD[wanted]) {
      if (secrets.get(CLOUD[wanted].secret) || CLOUD[wanted].configured?.())
        return { backend: resolveBackend(wanted), reason: `chosen: ${wanted}` };
      fallbackReason = `${wanted} chosen but ${CLOUD[wanted].missing}`;
    } else {
      return { backend: getBackend(wanted), reason: `chosen: ${wanted}` };
    }
  }
  const probe = local();
  if (probe.available && probe.backend) return { backend: probe.backend, fallbackReason, reason: 'local model present' };
  for (const [id, c] of Object.entries(CLOUD)) {
    if (id !== wanted && (secrets.get(c.secret) || c.configured?.()))
      return { backend: resolveBackend(id), fallbackReason, reason: `${probe.reason}; ${id} is configured` };
  }
  return { backend: getBackend(DEFAULT_BACKEND_ID), fallbackReason, reason: `${probe.reason}; no cloud service configured` };
}
