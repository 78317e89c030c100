/**
 * The studio's view of the persistent job queue (engine/jobs): jobs of the
 * open project as the api's JobInfo, with progress, ETA, cancel and retry.
 *
 * The queue reads the shots from the open document and hands each finished
 * take to the open session, which records it (not an undoable edit); the
 * studio then adds a thumbnail for the storyboard. Nothing here reads or
 * writes the project file.
 */
import type { MediaStore } from '../cache/media-store.js';
import { inputError } from '../common/errors.js';
import type { Job, JobOptions } from '../jobs/job.js';
import { JobQueue, type QueueOptions } from '../jobs/queue.js';
import { findShot } from '../model/lookup.js';
import { framesToSeconds } from '../common/time.js';
import { shotTitle } from '../common/shot-title.js';
import type { JobInfo, JobStatus } from './contract.js';
import type { ProjectSession } from './project-session.js';
import { makeThumbnail } from './thumbnail.js';

/** Shots queued per event-loop turn by enqueueInSteps. */
const ENQUEUE_STEP = 16;

export interface QueueHost {
  /** The open project's session, or undefined. */
  session(): Pick<ProjectSession, 'file' | 'doc' | 'recordTake' | 'applyOutsideHistory'> | undefined;
  onProgress(job: JobInfo): void;
  onDone(job: JobInfo): void;
}

const STATUS: Record<Job['state'], JobStatus> = {
  queued: 'queued',
  running: 'running',
  succeeded: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

export class GenerationQueue {
  readonly queue: JobQueue;

  constructor(
    private readonly store: MediaStore,
    private readonly host: QueueHost,
    queueOptions: QueueOptions = {},
  ) {
    this.queue = new JobQueue({
      store,
      ...queueOptions,
      projects: {
        doc: (file) => this.open(file)?.doc,
        recordTake: (file, shotId, entry, opts) => {
          const s = this.open(file);
          if (!s) throw inputError('NO_PROJECT', `${file} is not open`);
          return s.recordTake(shotId, entry, opts);
        },
      },
    });
    this.queue.on('job', (e) => {
      const open = this.host.session();
      if (!open || e.job.projectFile !== open.file) return;
      if (e.type === 'job.done') void this.adopt(e.job).finally(() => this.host.onDone(this.info(e.job)));
      else if (e.type === 'job.failed' || e.type === 'job.cancelled') this.host.onDone(this.info(e.job));
      else this.host.onProgress(this.info(e.job));
    });
  }

  private open(file: string) {
    const s = this.host.session();
    return s && s.file === file ? s : undefined;
  }

  /** Runs the open project's jobs (and resumes those a crash left behind). */
  start(): void {
    this.queue.start({ filter: (j) => j.projectFile === this.host.session()?.file });
  }

  async stop(): Promise<void> {
    await this.queue.stop({ abort: true });
  }

  list(): JobInfo[] {
    const open = this.host.session();
    if (!open) return [];
    return this.queue
      .list()
      .filter((j) => j.projectFile === open.file)
      .map((j) => this.info(j))
      .reverse();
  }

  /**
   * Cancels the open project's waiting and running jobs whose shot is no
   * longer in the document (deleted): their take would belong to nothing.
   * The studio calls it after each change of the scenes.
   */
  cancelJobsOfRemovedShots(): JobInfo[] {
    const open = this.host.session();
    if (!open) return [];
    const out: JobInfo[] = [];
    for (const j of this.queue.list()) {
      if (j.projectFile !== open.file || (j.state !== 'queued' && j.state !== 'running')) continue;
      if (findShot(open.doc, j.shotId)) continue;
      out.push(this.info(this.queue.cancel(j.id)));
    }
    return out;
  }

  /** The learned timings (estimates before a run). */
  get timings() {
    return this.queue.timings;
  }

  /**
   * Queues many shots a few at a time, letting the event loop run between steps: building a shot's request and
   * cache key and writing its job is a few milliseconds, so all shots of a long film in one go would stall every
   * other client for a second or more (bench/soak.ts). Every id is checked first: a bad one queues nothing.
   */
  async enqueueInSteps(shotIds: string[], backendId?: string, options: Omit<JobOptions, 'backendId'> = {}): Promise<string[]> {
    const open = this.host.session();
    if (!open) throw inputError('NO_PROJECT', 'no project is open');
    for (const id of shotIds)
      if (!findShot(open.doc, id)) throw inputError('NOT_FOUND', `no shot with id "${id}"`, { path: 'params.shotIds' });
    const ids: string[] = [];
    for (let i = 0; i < shotIds.length; i += ENQUEUE_STEP) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      ids.push(...this.enqueue(shotIds.slice(i, i + ENQUEUE_STEP), backendId, options));
    }
    return [...new Set(ids)];
  }

  enqueue(shotIds: string[], backendId?: string, options: Omit<JobOptions, 'backendId'> = {}): string[] {
    const open = this.host.session();
    if (!open) throw inputError('NO_PROJECT', 'no project is open');
    for (const id of shotIds)
      if (!findShot(open.doc, id)) throw inputError('NOT_FOUND', `no shot with id "${id}"`, { path: 'params.shotIds' });
    const jobs = this.queue.enqueue(open.file, shotIds, { ...options, ...(backendId ? { backendId } : {}) });
    for (const j of jobs) {
      if (j.state === 'succeeded') void this.adopt(j).finally(() => this.host.onDone(this.info(j)));
      else this.host.onProgress(this.info(j));
    }
    this.start();
    return [...new Set(jobs.map((j) => j.id))];
  }

  cancel(jobId: string): JobInfo {
    return this.info(this.queue.cancel(jobId));
  }

  retry(jobId: string): JobInfo {
    const j = this.queue.retry(jobId);
    this.start();
    return this.info(j);
  }

  /** Resolves when every job has finished and its take is in the open document. */
  async waitFor(jobIds: string[], signal?: AbortSignal): Promise<JobInfo[]> {
    const onAbort = () => {
      for (const id of jobIds) this.queue.cancel(id);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const jobs = await this.queue.waitFor(jobIds);
      for (const j of jobs) if (j.state === 'succeeded') await this.adopt(j);
      return jobs.map((j) => this.info(j));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Each job's shot title while its shot was there, for the job of a deleted shot. */
  private readonly titles = new Map<string, { number: string; title: string }>();

  private info(j: Job): JobInfo {
    const doc = this.host.session()?.doc;
    const loc = doc ? findShot(doc, j.shotId) : undefined;
    if (loc && doc) {
      const names = new Map(doc.characters.map((c) => [c.id, c.name]));
      const props = new Map(loc.scene.props.map((p) => [p.id, p.name]));
      this.titles.set(j.id, {
        number: `${loc.scene.number}/${loc.shot.number}`,
        title: shotTitle(loc.scene.number, loc.shot, (id) => names.get(id) ?? props.get(id)),
      });
    }
    const known = this.titles.get(j.id);
    const cost = j.takeId && !j.fromCache ? doc?.takes.find((t) => t.id === j.takeId)?.cost : undefined;
    return {
      id: j.id,
      shotId: j.shotId,
      shotNumber: known?.number ?? '?',
      shotTitle: known?.title ?? 'A deleted shot',
      ...(loc ? {} : { shotDeleted: true }),
      backend: j.backend,
      ...(j.fallbackReason ? { fallbackReason: j.fallbackReason } : {}),
      ...(j.server && j.state === 'running' ? { server: j.server } : {}),
      status: STATUS[j.state],
      progress: j.state === 'succeeded' ? 1 : j.progress,
      ...(j.etaSeconds !== undefined && j.state === 'running'
        ? { etaSeconds: Math.round(j.etaSeconds) }
        : j.state === 'queued' && j.estimateSeconds !== undefined
          ? { etaSeconds: Math.round(j.estimateSeconds) }
          : {}),
      ...(j.stage ? { stage: j.stage } : {}),
      ...(j.takeId ? { takeId: j.takeId } : {}),
      ...(j.error ? { error: { code: j.error.code, message: j.error.message, ...(j.error.hint ? { hint: j.error.hint } : {}) } } : {}),
      createdAt: new Date(j.createdAt).toISOString(),
      ...(cost ? { cost: { usd: cost.usd, wallMs: cost.wallMs } } : {}),
    };
  }

  /** Adds a thumbnail to the take the queue recorded in the open document. */
  private readonly adopting = new Map<string, Promise<void>>();
  private adopt(j: Job): Promise<void> {
    const key = `${j.id}:${j.takeId}`;
    let p = this.adopting.get(key);
    if (!p) {
      p = this.adoptNow(j).catch(() => {});
      this.adopting.set(key, p);
    }
    return p;
  }

  private async adoptNow(j: Job): Promise<void> {
    const open = this.host.session();
    if (!open || open.file !== j.projectFile || !j.takeId) return;
    const take = open.doc.takes.find((t) => t.id === j.takeId);
    if (!take) return;
    if (!take.media.thumbnail && take.media.video && this.store.has(take.media.video)) {
      const rate = open.doc.sequence.rate;
      const thumbnail = await makeThumbnail(this.queue.index, take.media.video, Math.min(0.5, framesToSeconds(take.duration, rate) / 3));
      const now = this.host.session();
      const current = now === open ? now.doc.takes.find((t) => t.id === take.id) : undefined;
      if (current && !current.media.thumbnail)
        open.applyOutsideHistory({ type: 'take.update', takeId: take.id, patch: { media: { ...current.media, thumbnail } } });
    }
  }
}
