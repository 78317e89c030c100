/**
 * Runs one backend for one shot, stores its media in the content-addressed
 * store and returns the take to record (through the `take.add` command).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaStore } from '../cache/media-store.js';
import type { Project, Take } from '../model/schema.js';
import type { Backend, GenerateProgress } from './backend.js';
import { buildShotRequest, cacheKey, type RequestOptions } from './shot-request.js';

export interface GenerateTakeOptions extends RequestOptions {
  signal?: AbortSignal;
  onProgress?: (p: GenerateProgress) => void;
  fallbackReason?: string;
}

export type NewTake = Omit<Take, 'id' | 'number'> & { number: number };

export async function generateTake(doc: Project, shotId: string, backend: Backend, store: MediaStore, opts: GenerateTakeOptions = {}): Promise<NewTake> {
  const request = buildShotRequest(doc, shotId, opts);
  backend.validate?.(request);
  const workDir = mkdtempSync(join(tmpdir(), `klappe-gen-${backend.id}-`));
  try {
    const out = await backend.generate(request, {
      signal: opts.signal ?? new AbortController().signal,
      onProgress: opts.onProgress ?? (() => {}),
      workDir,
      saveResumeState: () => {},
    });
    const media: Take['media'] = { video: (await store.ingest(out.video, { move: true })).hash };
    if (out.audio) media.audio = (await store.ingest(out.audio, { move: true })).hash;
    if (out.thumbnail) media.thumbnail = (await store.ingest(out.thumbnail, { move: true })).hash;
    const metaFile = join(workDir, 'metadata.json');
    writeFileSync(metaFile, JSON.stringify(out.metadata));
    media.metadata = (await store.ingest(metaFile, { move: true })).hash;
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
      params: { quality: request.quality, width: request.size.width, height: request.size.height },
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
