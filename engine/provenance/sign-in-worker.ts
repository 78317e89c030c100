/**
 * Signs a file in place in a worker thread (the signer holds about four copies
 * of the file; the main thread stays responsive). The signed bytes go to a
 * sibling temp file that replaces the input only when complete.
 */
import { renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KlappeError } from '../common/errors.js';

export interface SignFileRequest {
  file: string;
  manifest: Record<string, unknown>;
  chainPem: string;
  keyPem: string;
}

export interface SignFileResult {
  bytesIn: number;
  bytesOut: number;
  ms: number;
}

const require = createRequire(import.meta.url);

// the worker loads tsx first so it can import the TypeScript signer (no build step)
const BOOT = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); })
  .then((m) => m.runSignJob(workerData.job))
  .then((r) => parentPort.postMessage({ ok: true, result: r }))
  .catch((e) => parentPort.postMessage({ ok: false, error: { message: e && e.message || String(e), code: e && e.code, kind: e && e.kind } }));
`;

export function signFileInWorker(req: SignFileRequest, opts: { signal?: AbortSignal } = {}): Promise<SignFileResult> {
  const entry = new URL('./sign-job.ts', import.meta.url).href;
  // resolved here: the worker's own bare imports would resolve from the current folder, not from Klappe
  // (require.resolve gives the CommonJS build; its ES module sibling is the one that registers the loader)
  const tsx = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(BOOT, { eval: true, workerData: { entry, tsx, job: req } });
    const onAbort = () => void worker.terminate();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    worker.once(
      'message',
      (m: { ok: boolean; result?: SignFileResult; error?: { message: string; code?: string; kind?: 'input' | 'runtime' } }) => {
        settled = true;
        if (m.ok) resolvePromise(m.result!);
        else
          reject(
            new KlappeError({
              code: m.error?.code ?? 'SIGNING_FAILED',
              kind: m.error?.kind === 'input' ? 'input' : 'runtime',
              message: m.error?.message ?? 'C2PA signing failed',
            }),
          );
        void worker.terminate();
      },
    );
    worker.once('error', (e) => {
      settled = true;
      reject(new KlappeError({ code: 'SIGNING_FAILED', message: `C2PA signing failed: ${e.message}`, cause: e }));
    });
    worker.once('exit', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (!settled)
        reject(
          opts.signal?.aborted
            ? new KlappeError({ code: 'CANCELLED', kind: 'cancelled', message: 'signing was cancelled' })
            : new KlappeError({ code: 'SIGNING_FAILED', message: `the signing worker stopped (exit ${code})` }),
        );
    });
  })
    .then(
      (r) => r as SignFileResult,
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
