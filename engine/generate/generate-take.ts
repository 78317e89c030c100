/**
 * Runs one backend for one shot, stores its media in the content-addressed
 * store and returns the take to record (through the `take.add` command).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaStore } from '../cache/media-store.js';
import type { Project, Take } from '../model/schema.js';
import type { Backend, GenerateProgress } from './backend.js';
import { buildShotRequest, cacheKey, type RequestOptions } from './shot-request.js';
import { makeWorkDir } from '../util/work-dir.js';

export interface GenerateTakeOptions extends RequestOptions {
  signal?: AbortSignal;
  onProgress?: (p: GenerateProgress) => void;
  fallbackReason?: string;
  /** Folder for the backend's output (default: a fresh temp folder); emptied first, removed after. */
  workDir?: string;
  /** Resume state saved by an earlier, interrupted run of the same job. */
  resumeState?: unknown;
  saveResumeState?: (state: unknown) => void;
  noteReason?: (reason: string) => void;
  /** Puts a finished file into the cache (default: store.ingest); returns its hash. */
  ingest?: (file: string) => Promise<string>;
}

export type NewTake = Omit<Take, 'id' | 'number'> & { number: number };

export async function generateTake(
  doc: Project,
  shotId: string,
  backend: Backend,
  store: MediaStore,
  opts: GenerateTakeOptions = {},
): Promise<NewTake> {
  const request = buildShotRequest(doc, shotId, opts);
  backend.validate?.(request);
  let workDir: string;
  if (opts.workDir) {
    rmSync(opts.workDir, { recursive: true, force: true });
    mkdirSync(opts.workDir, { recursive: true });
    workDir = opts.workDir;
  } else workDir = makeWorkDir(`klappe-gen-${backend.id}`);
  const ingest = opts.ingest ?? (async (file: string) => (await store.ingest(file, { move: true })).hash);
  try {
    const out = await backend.generate(request, {
      signal: opts.signal ?? new AbortController().signal,
      onProgress: opts.onProgress ?? (() => {}),
      workDir,
      resumeState: opts.resumeState,
      saveResumeState: opts.saveResumeState ?? (() => {}),
      ...(opts.noteReason ? { noteReason: opts.noteReason } : {}),
    });
    const media: Take['media'] = { video: await ingest(out.video) };
    if (out.audio) media.audio = await ingest(out.audio);
    if (out.thumbnail) media.thumbnail = await ingest(out.thumbnail);
    const metaFile = join(workDir, 'metadata.json');
    writeFileSync(metaFile, JSON.stringify(out.metadata));
    media.metadata = await ingest(metaFile);
    return {
      shotId,
      number: request.takeNumber,
      backend: backend.id,
      model: out.model,
      modelVersion: out.modelVersion,
      seed: request.seed,
      status: 'ready',
      media,
      duration: out.durationFrames,
      cacheKey: cacheKey(backend, request),
      ...(opts.fallbackReason ? { fallbackReason: opts.fallbackReason } : {}),
      createdAt: new Date().toISOString(),
      params: { quality: request.quality, width: request.size.width, height: request.size.height, ...out.params },
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
