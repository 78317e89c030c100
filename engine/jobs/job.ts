/** A generation job as the queue, the CLI and the UI see it (one row of the `jobs` table). */
import type { QualityPreset, ShotRequest } from '../generate/backend.js';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const ACTIVE_STATES: readonly JobState[] = ['queued', 'running'];

export interface JobOptions {
  /** The user's backend choice for this run (--backend); else the shot's, else the router's. */
  backendId?: string;
  quality?: QualityPreset;
  size?: { width: number; height: number };
  seed?: number;
  /** Reference images (media store paths) for backends that accept them (the /v1 API's input_reference). */
  references?: ShotRequest['references'];
  /** Make the new take the shot's selected take. */
  select?: boolean;
  /** An enhance job: this take of the shot made larger (engine/jobs/enhance-take.ts) instead of a generation. */
  enhance?: { takeId: string; width: number; height: number };
}

export interface JobError {
  code: string;
  message: string;
  kind?: string;
  path?: string;
  hint?: string;
}

export interface Job {
  id: string;
  projectFile: string;
  shotId: string;
  backend: string;
  fallbackReason?: string;
  /** The farm server running it (label), while it runs there. */
  server?: string;
  cacheKey: string;
  options: JobOptions;
  state: JobState;
  /** 0..1 */
  progress: number;
  stage: string;
  etaSeconds?: number;
  /** The backend's estimate before it started, seconds. */
  estimateSeconds?: number;
  attempts: number;
  error?: JobError;
  /** The take recorded in the project when the job succeeded. */
  takeId?: string;
  /** Served from the cache (or already in the project): no backend ran. */
  fromCache: boolean;
  /** A remote operation to resume (its id, never a key) is stored. */
  resumable: boolean;
  cancelRequested: boolean;
  ownerPid?: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

export type JobEventName = 'job.queued' | 'job.started' | 'job.progress' | 'job.done' | 'job.failed' | 'job.cancelled';

export interface JobEvent {
  type: JobEventName;
  job: Job;
}

export function isTerminal(state: JobState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}
