/**
 * Inference sessions, created on the first provider that starts (CUDA →
 * DirectML → CoreML → CPU), cached by graph file and released least recently
 * used first when loading another would exceed the memory budget. Runs in the
 * inference worker (never on the host's main thread).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { KlappeError } from '../common/errors.js';
import { PROVIDER_LABEL, providersToTry, type ProviderId } from './providers.js';

export interface LoadedSession {
  session: ort.InferenceSession;
  provider: ProviderId;
  bytes: number;
  loadMs: number;
  /** True when it came from the cache (no load this time). */
  cached: boolean;
}

interface Entry {
  session: ort.InferenceSession;
  provider: ProviderId;
  bytes: number;
  loadMs: number;
  lastUse: number;
}

/** Words onnxruntime and the CUDA/DirectML runtimes use when an allocation fails. */
const OOM =
  /out of memory|failed to allocate|bad_alloc|cudaErrorMemoryAllocation|CUBLAS_STATUS_ALLOC_FAILED|E_OUTOFMEMORY|insufficient memory/i;

export function isOutOfMemory(e: unknown): boolean {
  return OOM.test(String((e as Error)?.message ?? e));
}

/** An out-of-memory error as the job's reason (input: the user picks a smaller size; no fallback run). */
export function outOfMemoryError(what: string, e: unknown): KlappeError {
  return new KlappeError({
    code: 'LOCAL_OUT_OF_MEMORY',
    kind: 'input',
    message: `${what} ran out of memory: ${String((e as Error)?.message ?? e).split('\n')[0]}`,
    hint: 'Generate at a smaller size or fewer frames, close other GPU programs, or pick a cloud backend.',
    cause: e,
  });
}

/** The bytes a graph takes once loaded: its file and the external data files named after it (`model.onnx.data`, `model.onnx_data`). */
export function graphBytes(file: string): number {
  const name = basename(file);
  let n = 0;
  for (const f of readdirSync(dirname(file)))
    if (f === name || f.startsWith(`${name}.`) || f.startsWith(`${name}_`)) n += statSync(join(dirname(file), f)).size;
  return n;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Why providers earlier in the order were not used (once per provider and process). */
  readonly skipped = new Map<ProviderId, string>();

  constructor(
    public budgetBytes: number,
    private readonly providers: () => ProviderId[] = providersToTry,
  ) {}

  get loadedBytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.bytes;
    return n;
  }

  get files(): string[] {
    return [...this.entries.keys()];
  }

  /** The session of `file`, loading it (and releasing others to stay under the budget) when needed. */
  async get(file: string): Promise<LoadedSession> {
    const hit = this.entries.get(file);
    if (hit) {
      hit.lastUse = performance.now();
      return { session: hit.session, provider: hit.provider, bytes: hit.bytes, loadMs: hit.loadMs, cached: true };
    }
    const bytes = graphBytes(file);
    await this.makeRoom(bytes, file);
    const t0 = performance.now();
    let lastError: unknown;
    for (const provider of this.providers()) {
      if (this.skipped.has(provider)) continue;
      try {
        const session = await ort.InferenceSession.create(file, {
          executionProviders: [provider],
          graphOptimizationLevel: 'all',
        });
        const loadMs = performance.now() - t0;
        this.entries.set(file, { session, provider, bytes, loadMs, lastUse: performance.now() });
        return { session, provider, bytes, loadMs, cached: false };
      } catch (e) {
        lastError = e;
        if (isOutOfMemory(e)) throw outOfMemoryError(`loading ${file}`, e);
        if (provider === 'cpu') break;
        // a provider that fails to start is skipped from now on, with the reason
        this.skipped.set(provider, `${PROVIDER_LABEL[provider]} failed to start: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
      }
    }
    throw new KlappeError({
      code: 'LOCAL_SESSION_FAILED',
      message: `no execution provider could load ${file}: ${String((lastError as Error)?.message ?? lastError).split('\n')[0]}`,
      file,
      hint: 'The graph may be damaged or need a newer onnxruntime: verify the pack (`klappe models verify`).',
      cause: lastError,
    });
  }

  private async makeRoom(bytes: number, file: string): Promise<void> {
    const byAge = [...this.entries.entries()].sort((a, b) => a[1].lastUse - b[1].lastUse);
    for (const [key, e] of byAge) {
      if (this.loadedBytes + bytes <= this.budgetBytes) break;
      this.entries.delete(key);
      await e.session.release();
    }
    if (bytes > this.budgetBytes)
      throw outOfMemoryError(`loading ${file}`, `the graph needs ${bytes} bytes, over the session budget of ${this.budgetBytes} bytes`);
  }

  /** Releases every session. */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const e of all) await e.session.release();
  }
}
