/**
 * What a farm server says about itself, from ComfyUI's documented routes:
 * `GET /system_stats` (devices: name, vram_total, vram_free), `GET /queue`
 * (queue_running, queue_pending) and `GET /models/{folder}` (model files),
 * each with a short timeout: a server that does not answer in time is down.
 */
import { redactSecrets } from '../../secrets/secret-store.js';
import { splitCredentials } from './http.js';

export interface ServerReport {
  gpu?: string;
  vramTotal?: number;
  vramFree?: number;
  /** Prompts running plus waiting in the server's own queue. */
  queue: number;
  /** Model files by folder (checkpoints, diffusion_models, vae, text_encoders, loras), where the server lists them. */
  models?: Record<string, string[]>;
}

export const MODEL_FOLDERS = ['checkpoints', 'diffusion_models', 'vae', 'text_encoders', 'loras'] as const;

/** `base` + a route, in the path (an address with a query keeps its query after the route). */
export function comfyRoute(base: string, route: string): string {
  const u = new URL(base);
  const [path, query] = route.split('?') as [string, string | undefined];
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
  if (query) for (const [k, v] of new URLSearchParams(query)) u.searchParams.set(k, v);
  return u.toString();
}

async function getJson(address: string, timeoutMs: number): Promise<unknown> {
  const { url, init } = splitCredentials(address);
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/** Probes one server; throws (with a message free of credentials) when it does not answer. */
export async function probeServer(base: string, opts: { timeoutMs?: number; models?: boolean } = {}): Promise<ServerReport> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  try {
    const [stats, queue] = (await Promise.all([
      getJson(comfyRoute(base, '/system_stats'), timeoutMs),
      getJson(comfyRoute(base, '/queue'), timeoutMs),
    ])) as [
      { devices?: Array<{ name?: string; vram_total?: number; vram_free?: number }> },
      { queue_running?: unknown[]; queue_pending?: unknown[] },
    ];
    const dev = stats.devices?.[0];
    const report: ServerReport = {
      ...(dev?.name ? { gpu: dev.name } : {}),
      ...(typeof dev?.vram_total === 'number' ? { vramTotal: dev.vram_total } : {}),
      ...(typeof dev?.vram_free === 'number' ? { vramFree: dev.vram_free } : {}),
      queue: (queue.queue_running?.length ?? 0) + (queue.queue_pending?.length ?? 0),
    };
    if (opts.models) {
      const models: Record<string, string[]> = {};
      await Promise.all(
        MODEL_FOLDERS.map(async (f) => {
          try {
            const list = await getJson(comfyRoute(base, `/models/${f}`), timeoutMs);
            if (Array.isArray(list)) models[f] = list.filter((x): x is string => typeof x === 'string');
          } catch {
            /* an older server without /models: unknown */
          }
        }),
      );
      if (Object.keys(models).length) report.models = models;
    }
    return report;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err.cause?.code ?? err.message);
    throw new Error(redactSecrets(String(why)), { cause: e });
  }
}

/** The model files a workflow names (inputs ending in a model extension). */
export function workflowModels(workflow: Record<string, { inputs?: Record<string, unknown> }>): string[] {
  const out = new Set<string>();
  for (const node of Object.values(workflow)) {
    for (const v of Object.values(node.inputs ?? {}))
      if (typeof v === 'string' && /\.(safetensors|ckpt|pt|pth|gguf|bin)$/i.test(v)) out.add(v);
  }
  return [...out];
}
