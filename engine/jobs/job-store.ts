/** The `jobs` table: rows written before any work starts, read back after a crash. */
import { randomUUID } from 'node:crypto';
import type { Db } from '../cache/database.js';
import { processAlive } from '../util/process-alive.js';
import type { Job, JobError, JobOptions, JobState } from './job.js';
import { redactSecrets } from '../secrets/secret-store.js';

interface Row {
  id: string;
  seq: number;
  project_file: string;
  shot_id: string;
  backend: string;
  fallback_reason: string | null;
  cache_key: string;
  options_json: string;
  state: JobState;
  progress: number;
  stage: string;
  eta_seconds: number | null;
  estimate_seconds: number | null;
  attempts: number;
  error_json: string | null;
  resume_json: string | null;
  take_id: string | null;
  from_cache: number;
  cancel_requested: number;
  owner_pid: number | null;
  heartbeat_at: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const reported = new Set<string>();

/** The rows as jobs; a row that does not parse (damaged JSON) is skipped and reported once, not fatal to every listing. */
function toJobs(rows: (Row | undefined)[]): Job[] {
  const out: Job[] = [];
  for (const r of rows) {
    if (!r) continue;
    try {
      out.push(toJob(r));
    } catch (e) {
      if (!reported.has(r.id)) {
        reported.add(r.id);
        process.stderr.write(
          `klappe: skipped job ${r.id} of the database: ${(e as Error).message} (klappe cache check --repair removes it)\n`,
        );
      }
    }
  }
  return out;
}

function toJob(r: Row): Job {
  return {
    id: r.id,
    projectFile: r.project_file,
    shotId: r.shot_id,
    backend: r.backend,
    ...(r.fallback_reason ? { fallbackReason: r.fallback_reason } : {}),
    cacheKey: r.cache_key,
    options: JSON.parse(r.options_json) as JobOptions,
    state: r.state,
    progress: r.progress,
    stage: r.stage,
    ...(r.eta_seconds !== null ? { etaSeconds: r.eta_seconds } : {}),
    ...(r.estimate_seconds !== null ? { estimateSeconds: r.estimate_seconds } : {}),
    attempts: r.attempts,
    ...(r.error_json ? { error: JSON.parse(r.error_json) as JobError } : {}),
    ...(r.take_id ? { takeId: r.take_id } : {}),
    ...serverOf(r.resume_json),
    fromCache: !!r.from_cache,
    resumable: !!r.resume_json && !r.resume_json.includes('"restart":true'),
    cancelRequested: !!r.cancel_requested,
    ...(r.owner_pid !== null ? { ownerPid: r.owner_pid } : {}),
    createdAt: r.created_at,
    ...(r.started_at !== null ? { startedAt: r.started_at } : {}),
    ...(r.finished_at !== null ? { finishedAt: r.finished_at } : {}),
  };
}

/** The farm server holding a job's prompt (its label, from the resume state), or the execution provider of a local pack. */
function serverOf(resume: string | null): { server?: string } {
  if (!resume || !(resume.includes('serverLabel') || resume.includes('provider'))) return {};
  const state = JSON.parse(resume) as { serverLabel?: unknown; provider?: unknown };
  const label = state.serverLabel ?? state.provider;
  return typeof label === 'string' ? { server: label } : {};
}

export interface NewJob {
  projectFile: string;
  shotId: string;
  backend: string;
  fallbackReason?: string;
  cacheKey: string;
  options: JobOptions;
  estimateSeconds?: number;
  /** Done already (served from the cache): stored as succeeded. */
  cachedTakeId?: string;
}

export class JobStore {
  private readonly q;

  constructor(readonly db: Db) {
    this.q = {
      insert:
        db.prepare(`INSERT INTO jobs (id, seq, project_file, shot_id, backend, fallback_reason, cache_key, options_json, state, progress, stage, estimate_seconds, take_id, from_cache, created_at, finished_at)
        VALUES (@id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs), @projectFile, @shotId, @backend, @fallbackReason, @cacheKey, @options, @state, @progress, @stage, @estimate, @takeId, @fromCache, @now, @finished)`),
      get: db.prepare(`SELECT * FROM jobs WHERE id = ?`),
      getPrefix: db.prepare(`SELECT * FROM jobs WHERE id LIKE ? || '%' LIMIT 2`),
      activeForKey: db.prepare(
        `SELECT * FROM jobs WHERE cache_key = ? AND project_file = ? AND shot_id = ? AND state IN ('queued', 'running') ORDER BY seq LIMIT 1`,
      ),
      list: db.prepare(`SELECT * FROM jobs ORDER BY seq DESC LIMIT ?`),
      listState: db.prepare(`SELECT * FROM jobs WHERE state = ? ORDER BY seq DESC LIMIT ?`),
      queued: db.prepare(`SELECT * FROM jobs WHERE state = 'queued' AND cancel_requested = 0 ORDER BY seq`),
      runningKeys: db.prepare(`SELECT cache_key FROM jobs WHERE state = 'running'`).pluck(),
      claim: db.prepare(
        `UPDATE jobs SET state = 'running', owner_pid = ?, heartbeat_at = ?, started_at = ?, attempts = attempts + 1, stage = 'starting', error_json = NULL WHERE id = ? AND state = 'queued'`,
      ),
      progress: db.prepare(`UPDATE jobs SET progress = ?, stage = ?, eta_seconds = ?, heartbeat_at = ? WHERE id = ?`),
      heartbeat: db.prepare(`UPDATE jobs SET heartbeat_at = ? WHERE id = ? AND owner_pid = ?`),
      cancelRequested: db.prepare(`SELECT cancel_requested FROM jobs WHERE id = ?`).pluck(),
      resume: db.prepare(`UPDATE jobs SET resume_json = ? WHERE id = ?`),
      resumeGet: db.prepare(`SELECT resume_json FROM jobs WHERE id = ?`).pluck(),
      finish:
        db.prepare(`UPDATE jobs SET state = @state, progress = @progress, stage = @stage, eta_seconds = NULL, error_json = @error, take_id = COALESCE(@takeId, take_id),
        from_cache = COALESCE(@fromCache, from_cache), finished_at = @now, owner_pid = NULL, cancel_requested = 0 WHERE id = @id`),
      noteReason: db.prepare(
        `UPDATE jobs SET fallback_reason = CASE WHEN fallback_reason IS NULL THEN @reason ELSE fallback_reason || '; ' || @reason END WHERE id = @id`,
      ),
      clearResume: db.prepare(`UPDATE jobs SET resume_json = NULL WHERE id = ?`),
      fallBack: db.prepare(
        `UPDATE jobs SET backend = @backend, cache_key = @cacheKey, fallback_reason = @reason, estimate_seconds = @estimate, progress = 0, eta_seconds = NULL, stage = 'falling back', resume_json = NULL WHERE id = @id AND state = 'running'`,
      ),
      requestCancel: db.prepare(`UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND state IN ('queued', 'running')`),
      cancelQueued: db.prepare(
        `UPDATE jobs SET state = 'cancelled', stage = 'cancelled', finished_at = ?, cancel_requested = 0 WHERE id = ? AND state = 'queued'`,
      ),
      requeue: db.prepare(
        `UPDATE jobs SET state = 'queued', stage = ?, progress = 0, eta_seconds = NULL, error_json = NULL, cancel_requested = 0, owner_pid = NULL, finished_at = NULL WHERE id = ?`,
      ),
      stale: db.prepare(`SELECT * FROM jobs WHERE state = 'running'`),
    };
  }

  insert(j: NewJob, now = Date.now()): Job {
    const id = `job-${randomUUID().slice(0, 13)}`;
    const done = j.cachedTakeId !== undefined;
    this.q.insert.run({
      id,
      projectFile: j.projectFile,
      shotId: j.shotId,
      backend: j.backend,
      fallbackReason: j.fallbackReason ? redactSecrets(j.fallbackReason) : null,
      cacheKey: j.cacheKey,
      options: JSON.stringify(j.options),
      state: done ? 'succeeded' : 'queued',
      progress: done ? 1 : 0,
      stage: done ? 'from cache' : 'queued',
      estimate: j.estimateSeconds ?? null,
      takeId: j.cachedTakeId ?? null,
      fromCache: done ? 1 : 0,
      now,
      finished: done ? now : null,
    });
    return this.get(id)!;
  }

  get(id: string): Job | undefined {
    const r = this.q.get.get(id) as Row | undefined;
    return toJobs([r])[0];
  }

  /** A job by id or unique id prefix (what `jobs list` shows). */
  find(idOrPrefix: string): Job | undefined | 'ambiguous' {
    const exact = this.get(idOrPrefix);
    if (exact) return exact;
    const rows = this.q.getPrefix.all(idOrPrefix) as Row[];
    if (rows.length > 1) return 'ambiguous';
    return toJobs(rows)[0];
  }

  activeFor(cacheKey: string, projectFile: string, shotId: string): Job | undefined {
    const r = this.q.activeForKey.get(cacheKey, projectFile, shotId) as Row | undefined;
    return toJobs([r])[0];
  }

  list(opts: { state?: JobState; limit?: number } = {}): Job[] {
    const limit = opts.limit ?? 200;
    return toJobs((opts.state ? this.q.listState.all(opts.state, limit) : this.q.list.all(limit)) as Row[]);
  }

  queued(): Job[] {
    return toJobs(this.q.queued.all() as Row[]);
  }

  runningKeys(): Set<string> {
    return new Set(this.q.runningKeys.all() as string[]);
  }

  /** Atomically takes a queued job for this process; false when someone else took it first. */
  claim(id: string, pid = process.pid, now = Date.now()): boolean {
    return this.q.claim.run(pid, now, now, id).changes === 1;
  }

  progress(id: string, progress: number, stage: string, etaSeconds: number | undefined, now = Date.now()): void {
    this.q.progress.run(progress, stage, etaSeconds ?? null, now, id);
  }

  heartbeat(id: string, pid = process.pid, now = Date.now()): void {
    this.q.heartbeat.run(now, id, pid);
  }

  isCancelRequested(id: string): boolean {
    return this.q.cancelRequested.get(id) === 1;
  }

  saveResume(id: string, state: unknown): void {
    this.q.resume.run(state === undefined ? null : JSON.stringify(state), id);
  }

  resumeState(id: string): unknown {
    const s = this.q.resumeGet.get(id) as string | null | undefined;
    return s ? JSON.parse(s) : undefined;
  }

  finish(
    id: string,
    state: 'succeeded' | 'failed' | 'cancelled',
    extra: { error?: JobError; takeId?: string; fromCache?: boolean; stage?: string } = {},
    now = Date.now(),
  ): void {
    this.q.finish.run({
      id,
      state,
      progress: state === 'succeeded' ? 1 : (this.get(id)?.progress ?? 0),
      stage: extra.stage ?? state,
      error: extra.error ? redactSecrets(JSON.stringify(extra.error)) : null,
      takeId: extra.takeId ?? null,
      fromCache: extra.fromCache === undefined ? null : extra.fromCache ? 1 : 0,
      now,
    });
    if (state === 'succeeded') this.q.clearResume.run(id);
  }

  /** A running job moves to another backend (the one it had failed at runtime), with why. */
  fallBack(id: string, to: { backend: string; cacheKey: string; reason: string; estimateSeconds?: number }): void {
    this.q.fallBack.run({
      id,
      backend: to.backend,
      cacheKey: to.cacheKey,
      reason: redactSecrets(to.reason),
      estimate: to.estimateSeconds ?? null,
    });
  }

  /** Why the job's take is made differently than asked (a farm server that failed), added to the reasons. */
  noteReason(id: string, reason: string): void {
    this.q.noteReason.run({ id, reason });
  }

  requestCancel(id: string): boolean {
    return this.q.requestCancel.run(id).changes === 1;
  }

  cancelQueued(id: string, now = Date.now()): boolean {
    return this.q.cancelQueued.run(now, id).changes === 1;
  }

  requeue(id: string, stage = 'queued'): void {
    this.q.requeue.run(stage, id);
  }

  /** Running rows whose process is gone (killed, crashed) or silent for `staleMs`. */
  orphans(staleMs: number, now = Date.now()): Job[] {
    return toJobs(
      (this.q.stale.all() as Row[]).filter(
        (r) => r.owner_pid !== process.pid && (!processAlive(r.owner_pid) || (r.heartbeat_at ?? 0) < now - staleMs),
      ),
    );
  }
}
