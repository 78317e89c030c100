/**
 * The persistent generation queue. Every job is a row in SQLite before any work
 * starts; a cache key that is cached or already queued is never generated again;
 * each backend has its own concurrency; cancel aborts the backend's signal
 * (ffmpeg killed, HTTP abandoned or interrupted) at once, also from another
 * process; after a crash the jobs of dead processes are queued again and remote
 * ones resume their stored operation.
 *
 * The queue never writes a project: it reads the documents and hands the
 * finished takes (media in the cache, a CachedTake entry) to the projects'
 * open sessions through `QueueOptions.projects`, and runs only the jobs of
 * projects this process holds open.
 *
 * API for hosts (CLI, studio UI): `enqueue(projectFile, shotIds, options)`,
 * `list()`, `get(id)`, `cancel(id)`, `retry(id)`, `on(event, listener)`,
 * `start()` / `stop()`, `waitFor(ids)`. Events: job.queued, job.started,
 * job.progress, job.done, job.failed, job.cancelled, each `{type, job}`.
 */
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CacheIndex, takeMediaHashes, type CachedTake } from '../cache/cache-index.js';
import { defaultConsentContext, requireShotConsent } from '../cameo/consent-check.js';
import { loadPolicy } from '../safety/policy.js';
import { checkFramesBeforeExport, type KnownLikeness } from '../safety/frame-check.js';
import { knownLikenesses } from '../safety/known-likenesses.js';
import { openDatabase, type Db } from '../cache/database.js';
import { MediaStore } from '../cache/media-store.js';
import { inputError, isKlappeError, KlappeError } from '../common/errors.js';
import { generateTake } from '../generate/generate-take.js';
import { DEFAULT_BACKEND_ID } from '../generate/registry.js';
import { resolveBackend, routeShot, type LocalProbe } from '../generate/router.js';
import { buildShotRequest, cacheKey } from '../generate/shot-request.js';
import type { ShotRequest } from '../generate/backend.js';
import { checkShotSafety, referenceFiles } from '../safety/checks.js';
import { DecisionLog } from '../safety/decision-log.js';
import { findShot } from '../model/lookup.js';
import { priceTable, type PriceOverrides } from '../generate/prices.js';
import type { Project, TakeCost } from '../model/schema.js';
import { redactSecrets, type SecretStore } from '../secrets/secret-store.js';
import { dataDir } from '../util/paths.js';
import { isTerminal, type Job, type JobError, type JobEvent, type JobEventName, type JobOptions } from './job.js';
import { JobStore } from './job-store.js';
import { takeCost } from './run-cost.js';
import { TimingStore } from './timings.js';
import { setLocalBackendOptions } from '../generate/local-models.js';
import { ENHANCE_BACKEND, enhanceCacheKey, enhanceEstimateSeconds, enhanceSource, enhanceTake } from './enhance-take.js';

/** The projects this process holds open (their sessions): where the queue reads documents and hands finished takes. */
export interface ProjectAccess {
  /** The open document of a project, or undefined when this process does not hold it. */
  doc(projectFile: string): Project | undefined;
  /** Records a finished take in the open project (outside its undo history); the take's id. */
  recordTake(
    projectFile: string,
    shotId: string,
    entry: CachedTake,
    opts: { fallbackReason?: string; select?: boolean; cost?: TakeCost },
  ): string;
}

export interface QueueOptions {
  db?: Db;
  store?: MediaStore;
  /** Jobs running at once per backend id; `default` for the rest. */
  concurrency?: Record<string, number>;
  secrets?: SecretStore;
  local?: LocalProbe;
  /** How often running jobs check for cancel requests from other processes and beat their heart (ms). */
  pollMs?: number;
  /** A running job whose process is alive but silent this long is taken over (ms). */
  staleMs?: number;
  /** The open projects; without it the queue lists, cancels and retries jobs but runs none. */
  projects?: ProjectAccess;
  /** The user's prices (settings), read when a take's cost is recorded. */
  prices?: () => PriceOverrides | undefined;
  /** Cameo consent (engine/cameo): throws CAMEO_CONSENT for a shot whose cameo the current identity may not use. Default: the library and identity of this user. */
  cameoConsent?: (doc: Project, shotId: string) => void;
  /** Match the faces of each new take (not previz or slate) against the cameo library (default on). */
  likenessCheck?: boolean;
  /** The faces it matches against, with their grants (default: this user's cameo library and identity). */
  likenesses?: () => readonly KnownLikeness[];
}

const DEFAULT_CONCURRENCY: Record<string, number> = { default: 1, slate: 2, veo: 4, comfyui: 1 };

interface Running {
  job: Job;
  controller: AbortController;
  started: number;
  lastWrite: number;
}

export class JobQueue {
  readonly jobs: JobStore;
  readonly index: CacheIndex;
  /** Measured generation times: the learned estimates. */
  readonly timings: TimingStore;
  /** The safety decision log (same database). */
  readonly decisions: DecisionLog;
  private readonly events = new EventEmitter();
  private readonly running = new Map<string, Running>();
  private readonly concurrency: Record<string, number>;
  private timer: NodeJS.Timeout | undefined;
  private filter: ((job: Job) => boolean) | undefined;
  private started = false;
  private pumping = false;

  constructor(private readonly opts: QueueOptions = {}) {
    const db = opts.db ?? openDatabase();
    this.jobs = new JobStore(db);
    this.timings = new TimingStore(db);
    // local packs estimate their steps from what they measured on this machine
    const timings = this.timings;
    setLocalBackendOptions({ secondsPerStep: (backend, provider, voxels) => timings.secondsPerStep(backend, provider, voxels) });
    this.decisions = new DecisionLog(db);
    this.index = new CacheIndex({ db, store: opts.store ?? new MediaStore() });
    this.concurrency = { ...DEFAULT_CONCURRENCY, ...opts.concurrency };
    this.events.setMaxListeners(100);
  }

  on(event: JobEventName | 'job', listener: (e: JobEvent) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  private emit(type: JobEventName, job: Job): void {
    const e: JobEvent = { type, job };
    this.events.emit(type, e);
    this.events.emit('job', e);
  }

  list(opts?: Parameters<JobStore['list']>[0]): Job[] {
    return this.jobs.list(opts);
  }

  get(id: string): Job | undefined {
    const j = this.jobs.find(id);
    if (j === 'ambiguous')
      throw inputError('JOB_AMBIGUOUS', `more than one job starts with "${id}"`, {
        path: 'ID',
        hint: 'Give more characters of the id (klappe jobs list).',
      });
    return j;
  }

  private projects(): ProjectAccess {
    if (!this.opts.projects) throw new KlappeError({ code: 'NO_PROJECT', message: 'this job queue holds no project open' });
    return this.opts.projects;
  }

  /** The open document of a job's project (its session's, never re-read from the file). */
  private openDoc(projectFile: string): Project {
    const doc = this.opts.projects?.doc(projectFile);
    if (!doc)
      throw new KlappeError({
        code: 'PROJECT_NOT_OPEN',
        message: `${projectFile} is not open in this process`,
        file: projectFile,
        hint: 'Open the project (its session) before generating its shots.',
      });
    return doc;
  }

  private require(id: string): Job {
    const j = this.get(id);
    if (!j) throw inputError('JOB_NOT_FOUND', `no job "${id}"`, { path: 'ID', hint: 'See the ids with `klappe jobs list`.' });
    return j;
  }

  /**
   * One job per shot. A shot whose take for this exact cache key is already in the
   * project, or in the cache, is done at once (no backend runs); a shot with the
   * same key queued or running gets that job back.
   */
  enqueue(file: string, shotIds: string[], options: JobOptions = {}): Job[] {
    const doc = this.openDoc(file);
    this.index.pinProject(
      file,
      doc.takes.flatMap((t) => takeMediaHashes(t.media)),
    );
    const out: Job[] = [];
    if (options.enhance) {
      const job = this.enqueueEnhance(file, doc, options.enhance, options);
      if (this.started) void this.pump();
      return [job];
    }
    for (const shotId of shotIds) {
      const loc = findShot(doc, shotId);
      if (!loc)
        throw inputError('NOT_FOUND', `${file}: no shot with id "${shotId}"`, {
          file,
          path: '--shot',
          hint: `Shots: ${doc.scenes.flatMap((s) => s.shots.map((x) => x.id)).join(', ')}`,
        });
      const route = routeShot(loc.shot, { backendId: options.backendId, secrets: this.opts.secrets, local: this.opts.local });
      const request = buildShotRequest(doc, shotId, { ...options, projectDir: dirname(file) });
      route.backend.validate?.(request);
      const key = cacheKey(route.backend, request);
      const refused = this.refusal(doc, shotId);
      const base = {
        projectFile: file,
        shotId,
        backend: route.backend.id,
        fallbackReason: route.fallbackReason,
        cacheKey: key,
        options,
        estimateSeconds: route.backend.estimate(request).seconds,
      };
      if (refused) {
        // refused before anything runs: a failed job with the reason, so the queue shows the block
        const job = this.jobs.insert(base);
        this.jobs.finish(job.id, 'failed', { error: toJobError(refused), stage: 'refused' });
        const failed = this.jobs.get(job.id)!;
        this.emit('job.failed', failed);
        out.push(failed);
        continue;
      }
      const inProject = doc.takes.find(
        (t) =>
          t.shotId === shotId && t.cacheKey === key && t.status === 'ready' && takeMediaHashes(t.media).every((h) => this.index.usable(h)),
      );
      const cached = inProject ? undefined : this.index.lookup(key);
      if (inProject || cached) {
        const takeId =
          inProject?.id ??
          this.projects().recordTake(file, shotId, cached!, { fallbackReason: route.fallbackReason, select: options.select });
        const job = this.jobs.insert({ ...base, cachedTakeId: takeId });
        this.emit('job.done', job);
        out.push(job);
        continue;
      }
      const active = this.jobs.activeFor(key, file, shotId);
      if (active) {
        out.push(active);
        continue;
      }
      const job = this.jobs.insert(base);
      this.emit('job.queued', job);
      out.push(job);
    }
    if (this.started) void this.pump();
    return out;
  }

  /** An enhance job for a take (one per take and size; a finished one in the cache is recorded at once). */
  private enqueueEnhance(file: string, doc: Project, enhance: NonNullable<JobOptions['enhance']>, options: JobOptions): Job {
    const take = enhanceSource(doc, enhance.takeId, this.index.store);
    const key = enhanceCacheKey(take, enhance);
    const base = {
      projectFile: file,
      shotId: take.shotId,
      backend: ENHANCE_BACKEND,
      cacheKey: key,
      options,
      estimateSeconds: enhanceEstimateSeconds(take, enhance),
    };
    const cached = this.index.lookup(key);
    if (cached) {
      const takeId = this.projects().recordTake(file, take.shotId, cached, { select: options.select });
      const job = this.jobs.insert({ ...base, cachedTakeId: takeId });
      this.emit('job.done', job);
      return job;
    }
    const active = this.jobs.activeFor(key, file, take.shotId);
    if (active) return active;
    const job = this.jobs.insert(base);
    this.emit('job.queued', job);
    return job;
  }

  /** Cancels a queued or running job; a job running in another process is stopped by that process within a second. */
  cancel(id: string): Job {
    const job = this.require(id);
    if (isTerminal(job.state)) return job;
    const mine = this.running.get(job.id);
    if (mine) {
      this.jobs.requestCancel(job.id);
      mine.controller.abort();
      return this.jobs.get(job.id)!;
    }
    if (this.jobs.cancelQueued(job.id)) {
      const j = this.jobs.get(job.id)!;
      this.emit('job.cancelled', j);
      return j;
    }
    this.jobs.requestCancel(job.id);
    if (this.jobs.orphans(this.opts.staleMs ?? 60_000).some((o) => o.id === job.id))
      this.jobs.finish(job.id, 'cancelled', { stage: 'cancelled' });
    return this.jobs.get(job.id)!;
  }

  /** Queues a failed or cancelled job again (a remote operation still stored is resumed, not paid again). */
  retry(id: string): Job {
    const job = this.require(id);
    if (!isTerminal(job.state) || job.state === 'succeeded') {
      throw inputError('JOB_NOT_RETRYABLE', `job ${job.id} is ${job.state}; only failed or cancelled jobs can be retried`, { path: 'ID' });
    }
    this.jobs.requeue(job.id);
    const j = this.jobs.get(job.id)!;
    this.emit('job.queued', j);
    if (this.started) void this.pump();
    return j;
  }

  /** Starts running queued jobs (only those `filter` accepts), after taking over the jobs of dead processes. */
  start(opts: { filter?: (job: Job) => boolean } = {}): void {
    this.filter = opts.filter;
    this.recover();
    if (!this.started) {
      this.started = true;
      this.timer = setInterval(() => this.tick(), this.opts.pollMs ?? 250);
    }
    void this.pump();
  }

  /** Stops taking jobs; running ones are aborted when `abort` is set (they stay resumable), else awaited. */
  async stop(opts: { abort?: boolean } = {}): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (opts.abort) for (const r of this.running.values()) r.controller.abort();
    while (this.running.size) await new Promise((r) => setTimeout(r, 20));
  }

  /** Jobs left running by a process that died go back to the queue, keeping their resume state. */
  recover(): Job[] {
    const orphans = this.jobs.orphans(this.opts.staleMs ?? 60_000);
    for (const o of orphans) {
      if (o.cancelRequested) {
        this.jobs.finish(o.id, 'cancelled', { stage: 'cancelled' });
        rmSync(join(dataDir(), 'work', o.id), { recursive: true, force: true });
      } else this.jobs.requeue(o.id, o.resumable ? 'resuming' : 'restarting');
    }
    return orphans;
  }

  /** Resolves when every job is finished (succeeded, failed or cancelled), wherever it runs. */
  waitFor(ids: string[]): Promise<Job[]> {
    return new Promise((resolve) => {
      const check = () => {
        const jobs = ids.map((id) => this.jobs.get(id)!);
        if (jobs.every((j) => isTerminal(j.state))) {
          clearInterval(t);
          off();
          resolve(jobs);
        }
      };
      const t = setInterval(check, this.opts.pollMs ?? 250);
      const off = this.on('job', (e) => {
        if (ids.includes(e.job.id) && isTerminal(e.job.state)) check();
      });
      check();
    });
  }

  private tick(): void {
    const now = Date.now();
    for (const r of this.running.values()) {
      this.jobs.heartbeat(r.job.id, process.pid, now);
      if (!r.controller.signal.aborted && this.jobs.isCancelRequested(r.job.id)) r.controller.abort();
    }
    void this.pump();
  }

  private limitFor(backend: string): number {
    let slots: number | undefined;
    try {
      if (this.opts.concurrency?.[backend] === undefined) slots = resolveBackend(backend).slots?.();
    } catch {
      /* an unknown backend fails when it runs */
    }
    return slots ?? this.concurrency[backend] ?? this.concurrency.default ?? 1;
  }

  private async pump(): Promise<void> {
    if (this.pumping || !this.started) return;
    this.pumping = true;
    try {
      const busyKeys = this.jobs.runningKeys();
      for (const job of this.jobs.queued()) {
        if (this.filter && !this.filter(job)) continue;
        if (!this.opts.projects?.doc(job.projectFile)) continue; // only the process holding a project records its takes
        if (busyKeys.has(job.cacheKey)) continue;
        const mine = [...this.running.values()].filter((r) => r.job.backend === job.backend).length;
        if (mine >= this.limitFor(job.backend)) continue;
        if (!this.jobs.claim(job.id)) continue;
        busyKeys.add(job.cacheKey);
        const claimed = this.jobs.get(job.id)!;
        const run: Running = { job: claimed, controller: new AbortController(), started: Date.now(), lastWrite: 0 };
        this.running.set(job.id, run);
        this.emit('job.started', claimed);
        void this.run(run).finally(() => {
          this.running.delete(job.id);
          void this.pump();
        });
      }
    } finally {
      this.pumping = false;
    }
  }

  private async run(r: Running): Promise<void> {
    const workDir = join(dataDir(), 'work', r.job.id);
    try {
      try {
        await this.attempt(r, workDir);
      } catch (e) {
        if (r.controller.signal.aborted || !this.fallBack(r, e)) throw e;
        // DESIGN.md: a failed backend falls back, with the reason recorded on the take
        rmSync(workDir, { recursive: true, force: true });
        await this.attempt(r, workDir);
      }
    } catch (e) {
      const job = r.job;
      if (r.controller.signal.aborted) {
        this.jobs.finish(job.id, 'cancelled', { stage: 'cancelled' });
        this.emit('job.cancelled', this.jobs.get(job.id)!);
      } else {
        this.jobs.finish(job.id, 'failed', { error: toJobError(e), stage: 'failed' });
        this.emit('job.failed', this.jobs.get(job.id)!);
      }
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }

  /** One run of the job on its backend. */
  private async attempt(r: Running, workDir: string): Promise<void> {
    const job = r.job;
    const doc = this.openDoc(job.projectFile);
    // consent is checked again when the job starts: a cameo revoked while the job waited blocks it
    this.checkCameoConsent(doc, job.shotId, job.projectFile);
    if (job.options.enhance) {
      const t0 = Date.now();
      const entry = await enhanceTake(doc, job.options.enhance, this.index, {
        workDir,
        signal: r.controller.signal,
        onProgress: (fraction, stage) => this.progress(r, fraction, stage),
      });
      await this.likenessGate(job, doc, entry.backend, entry.media.video);
      this.index.put(entry);
      return this.succeed(r.job, entry, false, { wallMs: Date.now() - t0, usd: 0, prices: priceTable(this.opts.prices?.()).version });
    }
    const backend = resolveBackend(job.backend);
    const request = buildShotRequest(doc, job.shotId, { ...job.options, projectDir: dirname(job.projectFile) });
    await this.safetyGate(job, doc, request);
    const key = cacheKey(backend, request);
    // Someone made it meanwhile (another job, another process): use it.
    const cached = this.index.lookup(key);
    if (cached) return this.succeed(job, cached, true);
    const resumeState = this.jobs.resumeState(job.id);
    const t0 = Date.now();
    const take = await generateTake(doc, job.shotId, backend, this.index.store, {
      ...job.options,
      projectDir: dirname(job.projectFile),
      signal: r.controller.signal,
      workDir,
      resumeState,
      saveResumeState: (s) => {
        this.jobs.saveResume(job.id, s);
        const { server } = this.jobs.get(job.id)!;
        if (server !== r.job.server) {
          const { server: _old, ...rest } = r.job;
          r.job = { ...rest, ...(server ? { server } : {}) };
          this.emit('job.progress', r.job);
        }
      },
      noteReason: (reason) => {
        this.jobs.noteReason(job.id, reason);
        r.job = { ...r.job, fallbackReason: this.jobs.get(job.id)!.fallbackReason };
      },
      ingest: (file) => this.index.ingest(file, { move: true }),
      onProgress: (p) => this.progress(r, p.fraction, p.stage),
    });
    await this.likenessGate(job, doc, take.backend, take.media.video);
    const entry: CachedTake = {
      backend: take.backend,
      model: take.model,
      modelVersion: take.modelVersion,
      seed: take.seed,
      media: take.media,
      duration: take.duration,
      params: take.params,
      cacheKey: take.cacheKey ?? key,
    };
    this.index.put(entry);
    const wallMs = Date.now() - t0;
    const p = take.params;
    if (typeof p.secondsPerStep === 'number' && typeof p.voxels === 'number' && typeof p.provider === 'string')
      this.timings.recordSteps({
        backend: backend.id,
        provider: p.provider,
        voxels: p.voxels,
        stepMs: p.secondsPerStep * 1000,
        loadMs: typeof p.loadMs === 'number' ? p.loadMs : 0,
      });
    this.timings.record({
      backend: backend.id,
      pixels: request.size.width * request.size.height,
      outputMs: (take.duration * 1000 * request.rate.den) / request.rate.num,
      wallMs,
    });
    const busyMs = typeof p.inferenceMs === 'number' ? p.inferenceMs : undefined;
    this.succeed(r.job, entry, false, takeCost(backend, take, request.rate, wallMs, this.opts.prices?.(), busyMs));
  }

  /**
   * Faces in what a generator made (Klappe's own previz and slate drawings aside) are matched against the cameo library:
   * a registered cameo without a grant blocks the take (SAFETY_BLOCKED, nothing cached), an unknown face is logged per policy.
   */
  private async likenessGate(job: Job, doc: Project, backend: string, video: string | undefined): Promise<void> {
    if (!video || backend === 'previz' || backend === 'slate' || this.opts.likenessCheck === false) return;
    const loc = findShot(doc, job.shotId);
    await checkFramesBeforeExport([this.index.store.require(video)], {
      likenesses: this.opts.likenesses?.() ?? knownLikenesses(defaultConsentContext()),
      log: this.decisions,
      ref: `${job.projectFile}#${job.shotId}`,
      what: `the new take of shot ${loc ? `${loc.scene.number}/${loc.shot.number}` : job.shotId}`,
    });
  }

  /** Cameo consent before generation (a separate step; prompt moderation sits next to it); every decision goes to the safety log. */
  private checkCameoConsent(doc: Project, shotId: string, projectFile?: string): void {
    if (this.opts.cameoConsent) return this.opts.cameoConsent(doc, shotId);
    requireShotConsent(doc, shotId, defaultConsentContext(), (decisions) =>
      this.decisions.recordConsent(decisions, { ref: `${projectFile ?? doc.id}#${shotId}`, policyVersion: loadPolicy().version }),
    );
  }

  /** The consent error of a shot, or undefined when it may be generated. */
  private refusal(doc: Project, shotId: string): unknown {
    try {
      this.checkCameoConsent(doc, shotId);
      return undefined;
    } catch (e) {
      if (isKlappeError(e) && e.kind === 'input') return e;
      throw e;
    }
  }

  /**
   * The moderation policy and the opt-out lists on the shot's prompt, action,
   * dialogue and reference images (engine/safety); a block fails the job with
   * SAFETY_BLOCKED (the rule and how to proceed) before any backend runs.
   */
  private async safetyGate(job: Job, doc: Project, request: ShotRequest): Promise<void> {
    await checkShotSafety(doc, job.shotId, {
      projectFile: job.projectFile,
      references: referenceFiles(request.references),
      log: this.decisions,
    });
  }

  /**
   * A backend that failed while running (a service down, a quota, a bad key;
   * not bad input, not a cancel) hands the job to the embedded backend. The
   * job row says so, and the take records why. False when there is nothing
   * to fall back to.
   */
  private fallBack(r: Running, e: unknown): boolean {
    const job = r.job;
    if (isKlappeError(e) && e.kind !== 'runtime') return false;
    if (isKlappeError(e) && (e.code === 'DISK_FULL' || e.code === 'READ_ONLY')) return false; // another backend would fail to write too
    if (job.backend === DEFAULT_BACKEND_ID || job.options.enhance) return false;
    const to = resolveBackend(DEFAULT_BACKEND_ID);
    const request = buildShotRequest(this.openDoc(job.projectFile), job.shotId, { ...job.options, projectDir: dirname(job.projectFile) });
    const failed = `${job.backend} failed: ${toJobError(e).message}`;
    const reason = job.fallbackReason ? `${job.fallbackReason}; ${failed}` : failed;
    this.jobs.fallBack(job.id, { backend: to.id, cacheKey: cacheKey(to, request), reason, estimateSeconds: to.estimate(request).seconds });
    r.job = this.jobs.get(job.id)!;
    r.started = Date.now();
    this.emit('job.progress', r.job);
    return true;
  }

  private succeed(job: Job, entry: CachedTake, fromCache: boolean, cost?: TakeCost): void {
    // a project closed while its job ran keeps nothing: the take is in the cache, and the next enqueue of the shot records it
    const open = this.opts.projects?.doc(job.projectFile) !== undefined;
    const takeId = open
      ? this.projects().recordTake(job.projectFile, job.shotId, entry, {
          fallbackReason: job.fallbackReason,
          select: job.options.select,
          ...(cost ? { cost } : {}),
        })
      : undefined;
    if (open)
      this.index.pinProject(
        job.projectFile,
        this.openDoc(job.projectFile).takes.flatMap((t) => takeMediaHashes(t.media)),
      );
    this.jobs.finish(job.id, 'succeeded', { ...(takeId ? { takeId } : {}), fromCache, stage: fromCache ? 'from cache' : 'done' });
    this.emit('job.done', this.jobs.get(job.id)!);
  }

  private progress(r: Running, fraction: number, stage: string): void {
    const now = Date.now();
    const f = Math.max(0, Math.min(1, fraction));
    const elapsed = (now - r.started) / 1000;
    const est = r.job.estimateSeconds;
    const eta = f > 0.05 ? (elapsed * (1 - f)) / f : est !== undefined ? Math.max(0, est - elapsed) : undefined;
    r.job = { ...r.job, progress: f, stage, ...(eta !== undefined ? { etaSeconds: eta } : {}) };
    if (now - r.lastWrite >= 200 || f >= 1) {
      r.lastWrite = now;
      this.jobs.progress(r.job.id, f, stage, eta, now);
    }
    this.emit('job.progress', r.job);
  }
}

/** What a job row keeps of an error: code, message, hint, path, never a secret. */
export function toJobError(e: unknown): JobError {
  if (isKlappeError(e)) {
    return {
      code: e.code,
      kind: e.kind,
      message: redactSecrets(e.message),
      ...(e.path ? { path: e.path } : {}),
      ...(e.hint ? { hint: e.hint } : {}),
    };
  }
  return { code: 'INTERNAL', message: redactSecrets(String((e as Error)?.message ?? e)) };
}
