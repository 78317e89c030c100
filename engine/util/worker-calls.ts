/**
 * Calls into a module run by one long-lived worker thread, so that long
 * synchronous work (the previz physics simulation, Flite speech synthesis)
 * does not stall the host's event loop: `call('fn', args)` runs the module's
 * exported `fn(...args)` in the worker and resolves with its result
 * (structured-cloned). The worker starts on the first call and keeps the
 * process alive only while a call is pending, and a worker that dies fails its pending calls and
 * is started again on the next. Errors keep their code, kind and hint.
 */
import { Worker } from 'node:worker_threads';
import { KlappeError, type KlappeErrorInit } from '../common/errors.js';
import { WORKER_IMPORT, workerModule } from './worker-entry.js';

const BOOT = `${WORKER_IMPORT}
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, fn, args }) => {
  loaded.then((m) => m[fn](...args)).then(
    (result) => parentPort.postMessage({ id, ok: true, result }),
    (e) => parentPort.postMessage({ id, ok: false, error: { message: (e && e.message) || String(e), code: e && e.code, kind: e && e.kind, hint: e && e.hint, file: e && e.file, path: e && e.path, issues: e && e.issues } }),
  );
});
`;

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { message: string; code?: string } & Omit<KlappeErrorInit, 'code' | 'message' | 'cause'>;
}

export class WorkerCalls {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: unknown) => void }>();

  /** `source`: the module's TypeScript file (new URL('./x.ts', import.meta.url)); `bundledName`: its file in dist/engine. */
  constructor(
    private readonly source: URL,
    private readonly bundledName: string,
    private readonly what: string,
  ) {}

  call<T>(fn: string, args: unknown[]): Promise<T> {
    const w = this.start();
    const id = this.nextId++;
    w.ref(); // a pending call keeps the process alive; an idle worker does not
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      w.postMessage({ id, fn, args });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(BOOT, { eval: true, workerData: workerModule(this.source, this.bundledName) });
    w.unref();
    w.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (!this.pending.size) w.unref();
      if (m.ok) p.resolve(m.result);
      else
        p.reject(
          m.error?.code
            ? new KlappeError({ ...withoutUnset(m.error), code: m.error.code, message: m.error.message })
            : new Error(m.error?.message ?? 'the worker failed'),
        );
    });
    const fail = (why: string) => {
      if (this.worker === w) this.worker = undefined;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new KlappeError({ code: 'WORKER_STOPPED', message: `the ${this.what} worker stopped: ${why}`, hint: 'Try again.' }));
      }
    };
    w.on('error', (e) => fail(e.message));
    w.on('exit', (code) => fail(`exit ${code}`));
    this.worker = w;
    return w;
  }
}

/** The fields a structured clone carried as undefined or null left out. */
function withoutUnset<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
