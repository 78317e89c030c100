/**
 * Signs a file in place in a worker thread (the signer holds about four copies
 * of the file; the main thread stays responsive). The signed bytes go to a
 * sibling temp file that replaces the input only when complete.
 *
 * One worker per process, kept warm between jobs (c2pa-wasm compiled once, its
 * code already optimized by earlier signings) and stopped after a while idle;
 * jobs run one at a time. A cancelled job stops the worker; the next job starts
 * a new one.
 *
 * A one-shot process (the CLI's `klappe render`) signs in its own thread
 * instead (`signInThisThread`): booting a worker costs it a second copy of the
 * TypeScript loader, the certificate code and c2pa-wasm's glue (about a second
 * of CPU), and a one-shot command has no interface to keep responsive.
 */
import { renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { KlappeError } from '../common/errors.js';
import { WORKER_IMPORT, workerModule } from '../util/worker-entry.js';

import type { SignFileRequest, SignFileResult } from './sign-types.js';

export type { IngredientFile, SignFileRequest, SignFileResult } from './sign-types.js';

const require = createRequire(import.meta.url);
/** A warm worker is stopped after this long without a job. */
const IDLE_MS = 20_000;

// the worker loads the signer (from source through tsx, or the bundled one); jobs arrive as messages
const BOOT = `${WORKER_IMPORT}
const { parentPort } = require('node:worker_threads');
const ready = loaded.then((m) => { m.initC2pa(workerData.wasm); return m; });
parentPort.on('message', ({ id, job }) => {
  ready.then((m) => m.runSignJob(job))
    .then((r) => parentPort.postMessage({ id, ok: true, result: r }))
    .catch((e) => parentPort.postMessage({ id, ok: false, error: { message: e && e.message || String(e), code: e && e.code, kind: e && e.kind } }));
});
`;

type Reply = { id: number; ok: boolean; result?: SignFileResult; error?: { message: string; code?: string; kind?: 'input' | 'runtime' } };

interface Pending {
  req: SignFileRequest;
  signal?: AbortSignal;
  resolve: (r: SignFileResult) => void;
  reject: (e: unknown) => void;
}

// the WebAssembly global (this project's TypeScript libs declare its types, not the value)
const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;
/** The worker, once asked for (one per process); cleared when it exits. */
let starting: Promise<Worker> | undefined;
let wasmModule: Promise<WebAssembly.Module> | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 0;
const queue: Pending[] = [];
let running = false;
let inThisThread = false;

/** Sign in this thread from now on (one-shot processes: no worker to start); see the header. */
export function signInThisThread(on = true): void {
  inThisThread = on;
}

/** c2pa-wasm compiled once per process (off the main thread); each worker instantiates the same module. */
function compiledWasm(): Promise<WebAssembly.Module> {
  wasmModule ??= import('node:fs/promises')
    .then((fs) => fs.readFile(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm')))
    .then((bytes) => wasmApi.compile(bytes));
  return wasmModule;
}

function startWorker(): Promise<Worker> {
  starting ??= (async () => {
    const { entry, tsx } = workerModule(new URL('./sign-job.ts', import.meta.url), 'sign-job');
    const w = new Worker(BOOT, { eval: true, workerData: { entry, tsx, wasm: await compiledWasm() } });
    w.on('exit', () => {
      if (starting === started) starting = undefined;
    });
    const started = Promise.resolve(w);
    starting = started;
    return w;
  })();
  const p = starting;
  p.catch(() => {
    if (starting === p) starting = undefined;
  });
  return p;
}

/** Starts the signing worker ahead of a signing (an export calls it when it begins), so its start-up overlaps the render. */
export function warmSigningWorker(): void {
  if (inThisThread || starting || running) return;
  void startWorker().then(
    (w) => {
      if (!running) idle(w);
    },
    () => {},
  );
}

function idle(w: Worker): void {
  if (running) return;
  w.unref();
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (!running) void w.terminate();
  }, IDLE_MS);
  idleTimer.unref();
}

/** Stops the warm worker now (tests, shutdown). */
export async function stopSigningWorker(): Promise<void> {
  clearTimeout(idleTimer);
  const w = starting;
  starting = undefined;
  await (await w?.catch(() => undefined))?.terminate();
}

async function pump(): Promise<void> {
  if (running) return;
  const p = queue.shift();
  if (!p) return;
  running = true;
  clearTimeout(idleTimer);
  try {
    if (p.signal?.aborted) throw cancelled();
    p.resolve(await runOne(p));
  } catch (e) {
    p.reject(e);
  } finally {
    running = false;
    if (queue.length) void pump();
    else void starting?.then(idle, () => {});
  }
}

function cancelled(): KlappeError {
  return new KlappeError({ code: 'CANCELLED', kind: 'cancelled', message: 'signing was cancelled' });
}

/**
 * The signing job in this thread: the same code the worker runs. A one-shot process signs once, at its end: it
 * compiles WebAssembly from then on with V8's baseline compiler only (c2pa-wasm is 9 MB; optimizing its hot functions
 * costs more CPU than one signing saves: 0.42 → 0.27 s of CPU for the sample's, docs/provenance.md).
 */
async function runHere(p: Pending): Promise<SignFileResult> {
  if (!wasmModule) setFlagsFromString('--liftoff-only');
  const job = await import('./sign-job.js');
  job.initC2pa(await compiledWasm());
  if (p.signal?.aborted) throw cancelled();
  return job.runSignJob(p.req);
}

async function runOne(p: Pending): Promise<SignFileResult> {
  if (inThisThread) return runHere(p);
  const w = await startWorker();
  w.ref();
  const id = ++nextId;
  return new Promise<SignFileResult>((resolvePromise, reject) => {
    const cleanup = () => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
      p.signal?.removeEventListener('abort', onAbort);
    };
    const onMessage = (m: Reply) => {
      if (m.id !== id) return;
      cleanup();
      if (m.ok) resolvePromise(m.result!);
      else
        reject(
          new KlappeError({
            code: m.error?.code ?? 'SIGNING_FAILED',
            kind: m.error?.kind === 'input' ? 'input' : 'runtime',
            message: m.error?.message ?? 'C2PA signing failed',
          }),
        );
    };
    const onError = (e: Error) => {
      cleanup();
      void w.terminate();
      reject(new KlappeError({ code: 'SIGNING_FAILED', message: `C2PA signing failed: ${e.message}`, cause: e }));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(
        p.signal?.aborted ? cancelled() : new KlappeError({ code: 'SIGNING_FAILED', message: `the signing worker stopped (exit ${code})` }),
      );
    };
    const onAbort = () => void w.terminate();
    w.on('message', onMessage);
    w.once('error', onError);
    w.once('exit', onExit);
    p.signal?.addEventListener('abort', onAbort, { once: true });
    w.postMessage({ id, job: p.req });
  });
}

export function signFileInWorker(req: SignFileRequest, opts: { signal?: AbortSignal } = {}): Promise<SignFileResult> {
  return new Promise<SignFileResult>((resolve, reject) => {
    queue.push({ req, signal: opts.signal, resolve, reject });
    void pump();
  })
    .then(
      (r) => r,
      (e: unknown) => {
        rmSync(`${req.file}.signing`, { force: true });
        throw e;
      },
    )
    .then((r) => {
      renameSync(`${req.file}.signing`, req.file);
      return r;
    });
}
