/**
 * The studio's generation queue: one job per shot, run one at a time with
 * progress, ETA, cancel and retry. It stands in for the persistent SQLite
 * queue (engine/jobs) until that lands; the api method names stay the same.
 */
import type { MediaStore } from '../cache/media-store.js';
import { isKlappeError, inputError } from '../errors.js';
import { generateTake } from '../generate/generate-take.js';
import { getBackend } from '../generate/registry.js';
import { buildShotRequest } from '../generate/shot-request.js';
import { findShot } from '../model/lookup.js';
import type { Project } from '../model/schema.js';
import { framesToSeconds } from '../model/time.js';
import type { JobInfo } from './contract.js';
import { makeThumbnail } from './thumbnail.js';

export interface QueueHost {
  /** The document as it is now (generation reads the shot when its job starts). */
  doc(): Project | undefined;
  /** Records a finished take (not an undoable edit). */
  addTake(command: unknown): void;
  onProgress(job: JobInfo): void;
  onDone(job: JobInfo): void;
}

export class GenerationQueue {
  private readonly jobs = new Map<string, JobInfo>();
  private readonly controllers = new Map<string, AbortController>();
  private next = 1;
  private running = false;

  constructor(private readonly store: MediaStore, private readonly host: QueueHost) {}

  list(): JobInfo[] {
    return [...this.jobs.values()];
  }

  enqueue(doc: Project, shotIds: string[], backendId: string): string[] {
    const backend = getBackend(backendId);
    const ids: string[] = [];
    for (const shotId of shotIds) {
      const loc = findShot(doc, shotId);
      if (!loc) throw inputError('NOT_FOUND', `no shot with id "${shotId}"`, { path: 'params.shotIds' });
      const active = this.list().find((j) => j.shotId === shotId && (j.status === 'queued' || j.status === 'running'));
      if (active) { ids.push(active.id); continue; }
      const job: JobInfo = { id: `job-${this.next++}`, shotId, shotNumber: `${loc.scene.number}/${loc.shot.number}`, backend: backend.id, status: 'queued', progress: 0, createdAt: new Date().toISOString() };
      this.jobs.set(job.id, job);
      this.host.onProgress(job);
      ids.push(job.id);
    }
    void this.pump();
    return ids;
  }

  /** Resolves when every job has finished (done, failed or cancelled). */
  async waitFor(jobIds: string[], signal?: AbortSignal): Promise<JobInfo[]> {
    const finished = () => jobIds.every((id) => { const s = this.jobs.get(id)?.status; return !s || s === 'done' || s === 'failed' || s === 'cancelled'; });
    while (!finished()) {
      if (signal?.aborted) { for (const id of jobIds) if (this.jobs.has(id)) this.cancel(id); break; }
      await new Promise((r) => setTimeout(r, 100));
    }
    return jobIds.map((id) => this.jobs.get(id)).filter((j): j is JobInfo => !!j);
  }

  cancel(jobId: string): JobInfo {
    const job = this.require(jobId);
    if (job.status === 'queued') this.finish(job, { status: 'cancelled' });
    else if (job.status === 'running') this.controllers.get(jobId)?.abort();
    return job;
  }

  retry(jobId: string): JobInfo {
    const job = this.require(jobId);
    if (job.status !== 'failed' && job.status !== 'cancelled') throw inputError('NOT_RETRYABLE', `job ${jobId} is ${job.status}; only failed or cancelled jobs can be retried`, { path: 'params.jobId' });
    Object.assign(job, { status: 'queued', progress: 0, etaSeconds: undefined, error: undefined, stage: undefined });
    this.host.onProgress(job);
    void this.pump();
    return job;
  }

  /** Cancels everything (closing the project). */
  clear(): void {
    for (const job of this.jobs.values()) if (job.status === 'queued' || job.status === 'running') this.cancel(job.id);
    this.jobs.clear();
  }

  private require(jobId: string): JobInfo {
    const job = this.jobs.get(jobId);
    if (!job) throw inputError('NOT_FOUND', `no job with id "${jobId}"`, { path: 'params.jobId' });
    return job;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.nextQueued(); job; job = this.nextQueued()) await this.run(job);
    } finally {
      this.running = false;
    }
  }

  private nextQueued(): JobInfo | undefined {
    return this.list().find((j) => j.status === 'queued');
  }

  private async run(job: JobInfo): Promise<void> {
    const doc = this.host.doc();
    if (!doc) return this.finish(job, { status: 'cancelled' });
    const controller = new AbortController();
    this.controllers.set(job.id, controller);
    const started = Date.now();
    Object.assign(job, { status: 'running', stage: 'starting' });
    try {
      const backend = getBackend(job.backend);
      job.etaSeconds = Math.round(backend.estimate(buildShotRequest(doc, job.shotId)).seconds);
      this.host.onProgress(job);
      let lastSent = 0;
      const take = await generateTake(doc, job.shotId, backend, this.store, {
        signal: controller.signal,
        onProgress: (p) => {
          job.progress = Math.min(0.95, p.fraction * 0.95);
          job.stage = p.stage;
          const elapsed = (Date.now() - started) / 1000;
          if (job.progress > 0.05) job.etaSeconds = Math.max(0, Math.round((elapsed * (1 - job.progress)) / job.progress));
          if (Date.now() - lastSent > 100) { lastSent = Date.now(); this.host.onProgress(job); }
        },
      });
      job.stage = 'thumbnail';
      if (!take.media.thumbnail && take.media.video) take.media.thumbnail = await makeThumbnail(this.store, take.media.video, Math.min(0.5, framesToSeconds(take.duration, doc.sequence.rate) / 3), controller.signal);
      const takeId = `take-${job.shotId}-${take.number}-${Date.now().toString(36)}`;
      this.host.addTake({ type: 'take.add', take: { ...take, id: takeId } });
      this.finish(job, { status: 'done', takeId });
    } catch (e) {
      if (controller.signal.aborted) this.finish(job, { status: 'cancelled' });
      else this.finish(job, { status: 'failed', error: isKlappeError(e) ? { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } : { code: 'INTERNAL', message: String((e as Error)?.message ?? e) } });
    } finally {
      this.controllers.delete(job.id);
    }
  }

  private finish(job: JobInfo, patch: Partial<JobInfo>): void {
    Object.assign(job, { progress: patch.status === 'done' ? 1 : job.progress, etaSeconds: undefined, stage: undefined }, patch);
    this.host.onDone(job);
  }
}
