/**
 * Execution providers: which ones this onnxruntime-node build and machine
 * offer, in the order Klappe tries them (CUDA → DirectML → CoreML → CPU), and
 * the memory of the device each one runs on. A provider that fails to start a
 * session is skipped with its reason (see session-cache.ts), so a run always
 * says which provider ran and why the better ones did not.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freemem, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';

export type ProviderId = 'cuda' | 'dml' | 'coreml' | 'cpu';
export const PROVIDER_ORDER: readonly ProviderId[] = ['cuda', 'dml', 'coreml', 'cpu'];

export const PROVIDER_LABEL: Record<ProviderId, string> = {
  cuda: 'CUDA',
  dml: 'DirectML',
  coreml: 'CoreML',
  cpu: 'CPU',
};

export interface ProviderOffer {
  id: ProviderId;
  /** False: not tried, with the reason. */
  offered: boolean;
  reason?: string;
}

const require = createRequire(import.meta.url);

/** The folder of onnxruntime-node's native binding for this platform (where its provider libraries go). */
export function ortBinaryDir(): string | undefined {
  try {
    return join(dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

/** CUDA needs onnxruntime's CUDA provider library next to the binding (its install script downloads it; skipped offline). */
function cudaLibraryMissing(): string | undefined {
  const dir = ortBinaryDir();
  if (!dir || !existsSync(dir)) return undefined;
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return existsSync(join(dir, lib))
    ? undefined
    : `onnxruntime's CUDA libraries are not installed (${lib} is missing; reinstall onnxruntime-node with its install script)`;
}

/** The providers in Klappe's order, each said to be offered here or not (and why). */
export function providerOffers(platform: NodeJS.Platform = process.platform): ProviderOffer[] {
  let listed: string[] = ['cpu'];
  try {
    listed = ort.listSupportedBackends().map((b) => b.name);
  } catch {
    /* older builds: CPU only */
  }
  const forced = process.env.KLAPPE_ONNX_PROVIDERS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return PROVIDER_ORDER.map((id): ProviderOffer => {
    if (forced && !forced.includes(id)) return { id, offered: false, reason: 'not in KLAPPE_ONNX_PROVIDERS' };
    if (id === 'cpu') return { id, offered: true };
    if (id === 'dml' && platform !== 'win32') return { id, offered: false, reason: 'DirectML runs on Windows only' };
    if (id === 'coreml' && platform !== 'darwin') return { id, offered: false, reason: 'CoreML runs on macOS only' };
    if (id === 'cuda' && platform === 'darwin') return { id, offered: false, reason: 'CUDA does not run on macOS' };
    if (!listed.includes(id)) return { id, offered: false, reason: `this onnxruntime-node build has no ${PROVIDER_LABEL[id]} provider` };
    const missing = id === 'cuda' ? cudaLibraryMissing() : undefined;
    if (missing) return { id, offered: false, reason: missing };
    return { id, offered: true };
  });
}

/** The providers to try, in order. */
export function providersToTry(): ProviderId[] {
  return providerOffers()
    .filter((o) => o.offered)
    .map((o) => o.id);
}

export interface DeviceMemory {
  /** 'gpu' for CUDA/DirectML/CoreML, 'host' for the CPU. */
  kind: 'gpu' | 'host';
  name: string;
  totalBytes: number;
  freeBytes: number;
}

let gpuMemo: DeviceMemory | null | undefined;

/** The first NVIDIA GPU's memory (nvidia-smi), or null when there is none. */
export function nvidiaMemory(): DeviceMemory | null {
  if (gpuMemo !== undefined) return gpuMemo;
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name,memory.total,memory.free', '--format=csv,noheader,nounits'], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [name, total, free] = out
      .split('\n')[0]!
      .split(',')
      .map((s) => s.trim());
    const mib = 2 ** 20;
    gpuMemo = { kind: 'gpu', name: name ?? 'NVIDIA GPU', totalBytes: Number(total) * mib, freeBytes: Number(free) * mib };
    if (!(gpuMemo.totalBytes > 0)) gpuMemo = null;
  } catch {
    gpuMemo = null;
  }
  return gpuMemo;
}

/**
 * The memory a provider's runs have: the GPU's for CUDA (nvidia-smi), the
 * machine's for the CPU. `KLAPPE_DEVICE_MEMORY` (bytes, or with G/M) overrides
 * it, for a smaller share of a shared GPU or for tests.
 */
export function deviceMemory(provider: ProviderId): DeviceMemory {
  const env = process.env.KLAPPE_DEVICE_MEMORY;
  if (env) {
    const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(env.trim());
    const unit = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[(m?.[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
    const bytes = m ? Math.round(Number(m[1]) * unit) : NaN;
    if (bytes > 0) return { kind: provider === 'cpu' ? 'host' : 'gpu', name: 'KLAPPE_DEVICE_MEMORY', totalBytes: bytes, freeBytes: bytes };
  }
  if (provider === 'cuda') {
    const gpu = nvidiaMemory();
    if (gpu) return gpu;
  }
  if (provider === 'cpu') return { kind: 'host', name: 'this machine', totalBytes: totalmem(), freeBytes: freemem() };
  // DirectML / CoreML: no portable query; the unified or shared memory of the machine is the bound
  return { kind: 'gpu', name: PROVIDER_LABEL[provider], totalBytes: totalmem(), freeBytes: freemem() };
}
