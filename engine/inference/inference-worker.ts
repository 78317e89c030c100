/**
 * The inference worker (a worker thread): holds the session cache and runs
 * pipeline jobs one at a time, so onnxruntime never blocks the host's event
 * loop. Messages in: `{type: 'run', id, job, cancel, budgetBytes}` (cancel is a
 * SharedArrayBuffer flag the host sets; the pipeline reads it between steps)
 * and `{type: 'unload'}`. Messages out: `progress`, `done` (the result) and
 * `error` (code, kind, message, hint).
 */
import { parentPort } from 'node:worker_threads';
import { isKlappeError } from '../common/errors.js';
import { SessionCache } from './session-cache.js';
import { runT2v, type T2vJob } from './wan-t2v.js';

export interface RunMessage {
  type: 'run';
  id: number;
  job: T2vJob;
  cancel: SharedArrayBuffer;
  budgetBytes: number;
}

export type WorkerReply =
  | { type: 'progress'; id: number; progress: import('./wan-t2v.js').T2vProgress }
  | { type: 'done'; id: number; result: import('./wan-t2v.js').T2vResult }
  | { type: 'error'; id: number; error: { code: string; kind: string; message: string; hint?: string } }
  | { type: 'unloaded'; id: number; files: string[] };

/** Started by the host's boot script inside the worker. */
export function serve(): void {
  const port = parentPort;
  if (!port) throw new Error('the inference worker runs in a worker thread');
  const sessions = new SessionCache(Infinity);
  let chain = Promise.resolve();
  port.on('message', (m: RunMessage | { type: 'unload'; id: number }) => {
    chain = chain.then(async () => {
      if (m.type === 'unload') {
        const files = sessions.files;
        await sessions.clear();
        port.postMessage({ type: 'unloaded', id: m.id, files } satisfies WorkerReply);
        return;
      }
      sessions.budgetBytes = m.budgetBytes;
      const flag = new Int32Array(m.cancel);
      try {
        const result = await runT2v(m.job, sessions, {
          cancelled: () => Atomics.load(flag, 0) !== 0,
          progress: (progress) => port.postMessage({ type: 'progress', id: m.id, progress } satisfies WorkerReply),
        });
        port.postMessage({ type: 'done', id: m.id, result } satisfies WorkerReply);
      } catch (e) {
        const error = isKlappeError(e)
          ? { code: e.code, kind: e.kind, message: e.message, ...(e.hint ? { hint: e.hint } : {}) }
          : { code: 'LOCAL_RUN_FAILED', kind: 'runtime', message: String((e as Error)?.message ?? e) };
        port.postMessage({ type: 'error', id: m.id, error } satisfies WorkerReply);
      }
    });
  });
}
