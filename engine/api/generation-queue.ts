/**
 * The studio's view of the persistent job queue (engine/jobs): jobs of the
 * open project as the api's JobInfo, with progress, ETA, cancel and retry.
 *
 * The job queue records finished takes in the project file; the studio holds
 * the document in memory, so it saves before it enqueues (the queue reads
 * the shots from the file) and adopts each recorded take into the open
 * document (not an undoable edit), adding a thumbnail for the storyboard.
 */
import type { MediaStore } from '../cache/media-store.js';
import { inputError } from '../common/errors.js';
import type { Job } from '../jobs/job.js';
import { JobQueue, type QueueOptions } from '../jobs/queue.js';
import { findShot } from '../model/lookup.js';
import { loadProject } from '../model/project-file.js';
import type { Project, Take } from '../model/schema.js';
import { framesToSeconds } from '../common/time.js';
import type { JobInfo, JobStatus } from './contract.js';
import { makeThumbnail } from './thumbnail.js';

export interface QueueHost {
  /** The open project: its file and document now, or undefined. */
  project(): { file: string; doc: Project } | undefined;
  /** Saves the open project so the queue reads what the user sees. */
  save(): void;
  /** Applies a command outside the undo history (a recorded take, its thumbnail). */
  applyOutside(command: unknown): void;
  onProgress(job: JobInfo): void;
  onDone(job: JobInfo): void;
}

const STATUS: Record<Job['state'], JobStatus> = { queued: 'queued', running: 'running', succeeded: 'done', failed: 'failed', cancelled: 'cancelled' };

export class GenerationQueue {
  readonly queue: JobQueue;

  constructor(private readonly store: MediaStore, private readonly host: QueueHost, queueOptions: QueueOptions = {}) {
    this.queue = new JobQueue({ store, ...queueOptions });
    this.queue.on('job', (e) => {
      const open = this.host.project();
      if (!open || e.job.projectFile !== open.file) return;
      if (e.type === 'job.done') void this.adopt(e.job).finally(() => this.host.onDone(this.info(e.job)));
      else if (e.type === 'job.failed' || e.type === 'job.cancelled') this.host.onDone(this.info(e.job));
      else this.host.onProgress(this.info(e.job));
    });
  }

  /** Runs the open project's jobs (and resumes those a crash left behind). */
  start(): void {
    this.queue.start({ filter: (j) => j.projectFile === this.host.project()?.file });
  }

  async stop(): Promise<void> {
    await this.queue.stop({ abort: true });
  }

  list(): JobInfo[] {
    const open = this.host.project();
    if (!open) return [];
    return this.queue.list().filter((j) => j.projectFile === open.file).map((j) => this.info(j)).reverse();
  }

  enqueue(shotIds: string[], backendId?: string): string[] {
    const open = this.host.project();
    if (!open) throw inputError('NO_PROJECT', 'no project is open');
    for (const id of shotIds) if (!findShot(open.doc, id)) throw inputError('NOT_FOUND', `no shot with id "${id}"`, { path: 'params.shotIds' });
    this.host.save();
    const jobs = this.queue.enqueue(open.file, shotIds, backendId ? { backendId } : {});
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
    const onAbort = () => { for (const id of jobIds) this.queue.cancel(id); };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const jobs = await this.queue.waitFor(jobIds);
      for (const j of jobs) if (j.state === 'succeeded') await this.adopt(j);
      return jobs.map((j) => this.info(j));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private info(j: Job): JobInfo {
    const doc = this.host.project()?.doc;
    const loc = doc ? findShot(doc, j.shotId) : undefined;
    return {
      id: j.id, shotId: j.shotId, shotNumber: loc ? `${loc.scene.number}/${loc.shot.number}` : j.shotId, backend: j.backend, ...(j.fallbackReason ? { fallbackReason: j.fallbackReason } : {}), status: STATUS[j.state],
      progress: j.state === 'succeeded' ? 1 : j.progress, ...(j.etaSeconds !== undefined && j.state === 'running' ? { etaSeconds: Math.round(j.etaSeconds) } : j.state === 'queued' && j.estimateSeconds !== undefined ? { etaSeconds: Math.round(j.estimateSeconds) } : {}),
      ...(j.stage ? { stage: j.stage } : {}), ...(j.takeId ? { takeId: j.takeId } : {}),
      ...(j.error ? { error: { code: j.error.code, message: j.error.message, ...(j.error.hint ? { hint: j.error.hint } : {}) } } : {}),
      createdAt: new Date(j.createdAt).toISOString(),
    };
  }

  /** Brings the take the queue recorded in the file into the open document, with a thumbnail. */
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
    const open = this.host.project();
    if (!open || !j.takeId) return;
    let take: Take | undefined = open.doc.takes.find((t) => t.id === j.takeId);
    if (!take) {
      take = loadProject(open.file).doc.takes.find((t) => t.id === j.takeId);
      if (!take) return;
      this.host.applyOutside({ type: 'take.add', take });
    }
    if (!take.media.thumbnail && take.media.video && this.store.has(take.media.video)) {
      const rate = open.doc.sequence.rate;
      const thumbnail = await makeThumbnail(this.store, take.media.video, Math.min(0.5, framesToSeconds(take.duration, rate) / 3));
      const now = this.host.project()?.doc.takes.find((t) => t.id === take.id);
      if (now && !now.media.thumbnail) this.host.applyOutside({ type: 'take.update', takeId: take.id, patch: { media: { ...now.media, thumbnail } } });
    }
  }
}
