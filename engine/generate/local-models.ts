/**
 * Local generation: the router asks whether a local model pack can run a
 * shot. The studio's settings name the folder packs are installed in (else
 * `KLAPPE_MODEL_DIR`, else `<data>/models`); each pack is a sub-folder with a
 * `klappe-pack.json`. A text-to-video pack (`wan2.1-t2v`) with a valid
 * manifest is runnable: its backend is `local:<pack id>`, on the first
 * execution provider this machine offers. Otherwise the probe says precisely
 * why local generation is unavailable, and the router records that reason on
 * the take when it falls back.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { modelRoot } from '../inference/model-root.js';
import { listModelPacks, PACK_MANIFEST, packBytes, readPackManifest } from '../inference/pack-manifest.js';
import { PROVIDER_LABEL, providersToTry } from '../inference/providers.js';
import type { Backend } from './backend.js';
import { createLocalBackend, type LocalBackendOptions } from './onnx/local-backend.js';

/** What the router asks about local generation: any runnable pack, or the one named (`local:<pack>`). */
export interface LocalProbe {
  (pack?: string): { available: boolean; reason: string; backend?: Backend };
}

/** The local model folder: the one set in Settings, else KLAPPE_MODEL_DIR, else `<data>/models`. */
export const localModelFolder = modelRoot;

let folderOfProcess: () => string = () => localModelFolder();
const backends = new Map<string, { key: string; backend: Backend }>();
let backendOptions: LocalBackendOptions = {};

/** Options for the local backends this process makes (the learned step time; tests: faults). */
export function setLocalBackendOptions(opts: LocalBackendOptions): void {
  backendOptions = opts;
  backends.clear();
}

/** The backend of one pack folder (cached while its manifest is unchanged). */
function backendOf(dir: string): Backend {
  const key = `${dir}:${statSync(join(dir, PACK_MANIFEST)).mtimeMs}`;
  const hit = backends.get(dir);
  if (hit && hit.key === key) return hit.backend;
  const backend = createLocalBackend(dir, backendOptions);
  backends.set(dir, { key, backend });
  return backend;
}

export interface LocalPack {
  id: string;
  dir: string;
  backend: Backend;
}

/** The runnable text-to-video packs in `dir`, and why the others are not. */
export function runnablePacks(dir: string): { packs: LocalPack[]; problems: string[] } {
  const packs: LocalPack[] = [];
  const problems: string[] = [];
  for (const p of listModelPacks(dir)) {
    if (!p.ok) problems.push(`${p.folder}: ${p.error.message}`);
    else if (p.manifest.pipeline !== 'wan2.1-t2v') continue;
    else {
      try {
        packs.push({ id: p.manifest.id, dir: p.dir, backend: backendOf(p.dir) });
      } catch (e) {
        problems.push(`${p.folder}: ${(e as Error).message}`);
      }
    }
  }
  return { packs, problems };
}

/** The probe of the default folder, for callers that set none (it does not register a folder). */
export const defaultLocalProbe: LocalProbe = (pack) => localModelProbe(() => '', { register: false })(pack);

/** The backend `local:<pack>` of the process's model folder, if that pack is installed. */
export function localBackend(id: string): Backend | undefined {
  const pack = id.startsWith('local:') ? id.slice(6) : id;
  const dir = folderOfProcess();
  if (!dir || !existsSync(dir)) return undefined;
  return runnablePacks(dir).packs.find((p) => p.id === pack)?.backend;
}

/** A pack this big runs on a CPU only when asked for by name (it would take hours): 2 GB, or KLAPPE_LOCAL_CPU_MAX_BYTES. */
function cpuLimitBytes(): number {
  const env = Number(process.env.KLAPPE_LOCAL_CPU_MAX_BYTES);
  return env > 0 ? env : 2 * 2 ** 30;
}

/**
 * The probe of the model folder `folder()` names (empty: the default folder).
 * `register` (default true) makes it the folder `local:<pack>` backends are
 * resolved from in this process (the queue resolves a job's backend by id).
 */
export function localModelProbe(folder: () => string, opts: { register?: boolean } = {}): LocalProbe {
  const resolved = () => localModelFolder(folder());
  if (opts.register !== false) folderOfProcess = resolved;
  return (pack?: string) => {
    const dir = resolved();
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      return { available: false, reason: `the local model folder ${dir} does not exist (Settings → Local model folder)` };
    const found = runnablePacks(dir);
    const { problems } = found;
    let packs = found.packs;
    const first = providersToTry()[0] ?? 'cpu';
    const device = PROVIDER_LABEL[first];
    if (!pack && first === 'cpu') {
      // only a GPU makes a full-size pack the automatic choice; a small one (the test pack) runs on the CPU
      const big = packs.filter((p) => packBytes(readPackManifest(p.dir)) > cpuLimitBytes());
      for (const p of big)
        problems.push(`${p.id} needs a GPU (only the CPU is available here); choose --backend local:${p.id} to run it on the CPU anyway`);
      packs = packs.filter((p) => !big.includes(p));
    }
    if (pack) {
      const hit = packs.find((p) => p.id === pack);
      if (hit) return { available: true, reason: `model pack ${hit.id} on ${device}`, backend: hit.backend };
      const bad = problems.find((p) => p.startsWith(`${pack}:`));
      return {
        available: false,
        reason: bad ?? `no text-to-video model pack "${pack}" in ${dir} (installed: ${packs.map((p) => p.id).join(', ') || 'none'})`,
      };
    }
    if (packs.length) return { available: true, reason: `model pack ${packs[0]!.id} on ${device}`, backend: packs[0]!.backend };
    if (problems.length) return { available: false, reason: `no runnable pack in ${dir}: ${problems.join('; ')}` };
    return { available: false, reason: `no local model pack in ${dir} (a pack is a folder with ${PACK_MANIFEST})` };
  };
}
