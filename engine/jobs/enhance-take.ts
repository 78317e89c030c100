/**
 * An enhance job: a take's video made larger by the ×3 super-resolution
 * model (engine/vision/enhance.ts), recorded as a new take of the same shot
 * (by the project's session, like any finished job). The cache key names the
 * source media, the size and the model, so the same enhance is made once.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheIndex, CachedTake } from '../cache/cache-index.js';
import type { MediaStore } from '../cache/media-store.js';
import { inputError } from '../common/errors.js';
import type { Project, Take } from '../model/schema.js';
import { sha256Hex } from '../util/hash.js';
import { UPSCALER_SHA256, enhanceVideo } from '../vision/enhance.js';
import type { JobOptions } from './job.js';

export const ENHANCE_BACKEND = 'enhance';
export const ENHANCE_MODEL = 'superres-subpixel-x3';
/** Seconds per output megapixel frame on a 2-core CPU (bench local: ~3.7 s for 1920x1080). */
const SECONDS_PER_MEGAPIXEL = 1.8;

type Enhance = NonNullable<JobOptions['enhance']>;

/** The take to enhance; an input error when it is missing or has no video in the cache. */
export function enhanceSource(doc: Project, takeId: string, store: MediaStore): Take {
  const take = doc.takes.find((t) => t.id === takeId);
  if (!take) throw inputError('NOT_FOUND', `no take with id "${takeId}"`, { path: 'params.takeId' });
  if (!take.media.video || !store.has(take.media.video))
    throw inputError('TAKE_NO_VIDEO', `take ${take.number} of shot ${take.shotId} has no video to enhance`, {
      path: 'params.takeId',
      hint: 'Generate the shot again, then enhance the new take.',
    });
  return take;
}

export function enhanceCacheKey(take: Take, e: Enhance): string {
  return `enhance:${sha256Hex(`${take.media.video}|${e.width}x${e.height}|${UPSCALER_SHA256}`)}`;
}

export function enhanceEstimateSeconds(take: Take, e: Enhance): number {
  // take.duration is in frames at the sequence rate
  const frames = Math.max(1, take.duration);
  return Math.round(frames * ((e.width * e.height) / 1e6) * SECONDS_PER_MEGAPIXEL);
}

/** Runs the enhance into `workDir` and ingests the result; the cache entry of the new take. */
export async function enhanceTake(
  doc: Project,
  e: Enhance,
  index: CacheIndex,
  opts: { workDir: string; signal: AbortSignal; onProgress: (fraction: number, stage: string) => void },
): Promise<CachedTake> {
  const take = enhanceSource(doc, e.takeId, index.store);
  const out = join(opts.workDir, 'enhanced.mp4');
  mkdirSync(opts.workDir, { recursive: true });
  opts.onProgress(0, 'enhancing');
  const r = await enhanceVideo(index.store.pathFor(take.media.video!), out, {
    width: e.width,
    height: e.height,
    signal: opts.signal,
    onProgress: (f) => opts.onProgress(f * 0.95, 'enhancing'),
  });
  const video = await index.ingest(out, { move: true });
  return {
    backend: ENHANCE_BACKEND,
    model: ENHANCE_MODEL,
    modelVersion: UPSCALER_SHA256.slice(0, 16),
    seed: take.seed,
    media: { ...take.media, video },
    duration: take.duration,
    params: {
      enhancedFrom: take.id,
      sourceBackend: take.backend,
      size: `${r.width}x${r.height}`,
      sourceSize: `${r.source.width}x${r.source.height}`,
      frames: r.frames,
    },
    cacheKey: enhanceCacheKey(take, e),
  };
}
