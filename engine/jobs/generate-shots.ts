/**
 * Generate shots of one project through the queue and wait for them: what
 * `klappe generate` and the export's "make missing takes" step both do.
 */
import { KlappeError } from '../common/errors.js';
import { isTerminal, type Job, type JobEvent, type JobOptions } from './job.js';
import { JobQueue, type QueueOptions } from './queue.js';

export interface GenerateShotsOptions extends JobOptions {
  signal?: AbortSignal;
  onEvent?: (e: JobEvent) => void;
  queue?: JobQueue;
  queueOptions?: QueueOptions;
}

export interface GenerateShotsResult {
  jobs: Job[];
  /** Jobs where a backend ran (not served from the cache). */
  generated: Job[];
  failed: Job[];
  cancelled: Job[];
}

export async function generateShots(projectFile: string, shotIds: string[], opts: GenerateShotsOptions = {}): Promise<GenerateShotsResult> {
  const queue = opts.queue ?? new JobQueue(opts.queueOptions);
  const off = opts.onEvent ? queue.on('job', opts.onEvent) : undefined;
  const jobs = queue.enqueue(projectFile, shotIds, opts);
  const ids = [...new Set(jobs.map((j) => j.id))];
  const mine = new Set(ids);
  const onAbort = () => {
    for (const id of ids) queue.cancel(id);
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    queue.start({ filter: (j) => mine.has(j.id) });
    if (opts.signal?.aborted) onAbort();
    const done = await queue.waitFor(ids);
    await queue.stop();
    return {
      jobs: done,
      generated: done.filter((j) => j.state === 'succeeded' && !j.fromCache),
      failed: done.filter((j) => j.state === 'failed'),
      cancelled: done.filter((j) => j.state === 'cancelled'),
    };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    off?.();
    if (!opts.queue) await queue.stop({ abort: true });
  }
}

/** The first failure of a run as an error (for callers that need every take, like export). */
export function firstFailure(result: GenerateShotsResult): KlappeError | undefined {
  const f = result.failed[0];
  if (f?.error) {
    return new KlappeError({
      code: f.error.code,
      message: `shot ${f.shotId}: ${f.error.message}`,
      kind: f.error.kind === 'input' ? 'input' : 'runtime',
      path: f.error.path,
      hint: f.error.hint ?? `See klappe jobs list; retry with klappe jobs retry ${f.id}.`,
    });
  }
  const c = result.cancelled[0];
  if (c) return new KlappeError({ code: 'CANCELLED', kind: 'cancelled', message: `generating shot ${c.shotId} was cancelled` });
  return undefined;
}

export { isTerminal };
