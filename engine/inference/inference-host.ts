/**
 * The host side of the inference worker: one worker thread per process,
 * started on the first run and kept while it holds sessions (loading a model
 * is the slow part); jobs run one after another in it. Cancel sets a shared
 * flag the pipeline reads before every step and decode chunk. A worker that
 * dies (a native crash) fails the jobs it held with that reason; the next run
 * starts a new one, and nothing else in the queue is touched.
 */
import { Worker } from 'node:worker_threads';
import { KlappeError, type ErrorKind } from '../common/errors.js';
import { WORKER_IMPORT, workerModule } from '../util/worker-entry.js';
import type { WorkerReply } from './inference-worker.js';
import type { T2vJob, T2vProgress, T2vResult } from './wan-t2v.js';

// the worker loads its module (from source through tsx, or the bundled one), like sign-in-worker.ts
const BOOT = `${WORKER_IMPORT}
loaded.then((m) => m.serve());
`;

interface Pending {
  settled: Promise<unknown>;
  resolve: (r: T2vResult) => void;
  reject: (e: unknown) => void;
  onProgress?: (p: T2vProgress) => void;
  cancel?: Int32Array;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: T2vProgress) => void;
  /** Bytes of sessions the worker keeps loaded (least recently used released first). */
  budgetBytes: number;
}

export class InferenceHost {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly unloads = new Map<number, (files: string[]) => void>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(BOOT, {
      eval: true,
      workerData: workerModule(new URL('./inference-worker.ts', import.meta.url), 'inference-worker'),
    });
    w.on('message', (m: WorkerReply) => this.onMessage(m));
    const fail = (why: string) => {
      if (this.worker === w) this.worker = undefined;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(
          new KlappeError({
            code: 'LOCAL_WORKER_CRASHED',
            message: `the inference worker stopped: ${why}`,
            hint: 'Try again; if it repeats, verify the pack.',
          }),
        );
      }
      for (const [id, done] of this.unloads) {
        this.unloads.delete(id);
        done([]);
      }
    };
    w.on('error', (e) => fail(e.message));
    w.on('exit', (code) => fail(`exit ${code}`));
    this.worker = w;
    return w;
  }

  private onMessage(m: WorkerReply): void {
    if (m.type === 'unloaded') {
      this.unloads.get(m.id)?.(m.files);
      this.unloads.delete(m.id);
      this.idle();
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') {
      p.onProgress?.(m.progress);
      return;
    }
    this.pending.delete(m.id);
    this.idle();
    if (m.type === 'done') p.resolve(m.result);
    else
      p.reject(
        new KlappeError({
          code: m.error.code,
          kind: m.error.kind as ErrorKind,
          message: m.error.message,
          ...(m.error.hint ? { hint: m.error.hint } : {}),
        }),
      );
  }

  /** A worker with nothing to do does not keep the process alive. */
  private idle(): void {
    if (!this.pending.size && !this.unloads.size) this.worker?.unref();
  }

  /** Runs a text-to-video job in the worker. */
  run(job: T2vJob, opts: RunOptions): Promise<T2vResult> {
    const w = this.start();
    w.ref();
    const id = this.nextId++;
    const cancelBuffer = new SharedArrayBuffer(4);
    const cancel = new Int32Array(cancelBuffer);
    let settle: () => void = () => {};
    const settled = new Promise<void>((r) => (settle = r));
    return new Promise<T2vResult>((resolve, reject) => {
      const onAbort = () => Atomics.store(cancel, 0, 1);
      if (opts.signal?.aborted) onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        opts.signal?.removeEventListener('abort', onAbort);
        settle();
      };
      this.pending.set(id, {
        settled,
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        cancel,
      });
      w.postMessage({ type: 'run', id, job, cancel: cancelBuffer, budgetBytes: opts.budgetBytes });
    });
  }

  /** Releases every cached session (the Models screen's "unload", tests); the graphs that were loaded. */
  unload(): Promise<string[]> {
    if (!this.worker) return Promise.resolve([]);
    const w = this.worker;
    w.ref();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.unloads.set(id, resolve);
      w.postMessage({ type: 'unload', id });
    });
  }

  /**
   * Stops the worker: running jobs are cancelled (between steps: a thread is
   * never terminated inside a native run) and awaited, then the thread ends.
   */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    const running = [...this.pending.values()];
    for (const p of running) if (p.cancel) Atomics.store(p.cancel, 0, 1);
    await Promise.allSettled(running.map((p) => p.settled));
    this.worker = undefined;
    await w.terminate();
  }
}

let shared: InferenceHost | undefined;

/** The process's inference host. */
export function inferenceHost(): InferenceHost {
  return (shared ??= new InferenceHost());
}
