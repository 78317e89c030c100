/**
 * A video's downloadable content: its takes, in order, exported like any
 * export (engine/export: visible and invisible watermark, C2PA signature) at
 * the requested size, then a thumbnail and a spritesheet made with ffmpeg.
 * Everything lands in the content-addressed media store; nothing writes the project.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheIndex } from '../../cache/cache-index.js';
import { KlappeError } from '../../common/errors.js';
import { framesToSeconds } from '../../common/time.js';
import { exportProject } from '../../export/export-project.js';
import { runFfmpeg } from '../../media/run.js';
import type { Project } from '../../model/schema.js';
import { dataDir } from '../../util/paths.js';
import type { VideoContent } from './video-store.js';

export const SPRITE_COLUMNS = 5;
export const SPRITE_ROWS = 2;
export const SPRITE_TILE_WIDTH = 160;

/** The project with a sequence that shows only these takes, one after another (in memory; never saved). */
export function takesOnlyDoc(doc: Project, takeIds: string[], width: number, height: number): Project {
  let at = 0;
  const clips = takeIds.map((takeId, i) => {
    const take = doc.takes.find((t) => t.id === takeId);
    if (!take) throw new KlappeError({ code: 'TAKE_MISSING', message: `take ${takeId} is not in the project` });
    const clip = {
      id: `api-clip-${i + 1}`,
      name: '',
      source: { type: 'take' as const, takeId },
      sourceStart: 0,
      recordStart: at,
      duration: take.duration,
      gainDb: 0,
      fadeInSamples: 0,
      fadeOutSamples: 0,
      muted: false,
    };
    at += take.duration;
    return clip;
  });
  return {
    ...doc,
    sequence: {
      ...doc.sequence,
      width,
      height,
      tracks: [{ id: 'api-video', kind: 'video', name: 'Video', muted: false, solo: false, gainDb: 0, pan: 0, clips }],
    },
  };
}

export async function makeContent(opts: {
  doc: Project;
  file: string;
  dir: string;
  takeIds: string[];
  width: number;
  height: number;
  /** The cache index: content lands in its store and is indexed (so the cache can evict it once it is no longer pinned). */
  index: CacheIndex;
  signal?: AbortSignal;
}): Promise<VideoContent> {
  const parent = join(dataDir(), 'videos-api', 'work');
  mkdirSync(parent, { recursive: true });
  const work = mkdtempSync(join(parent, 'content-'));
  try {
    const doc = takesOnlyDoc(opts.doc, opts.takeIds, opts.width, opts.height);
    const out = join(work, 'video.mp4');
    await exportProject({ doc, file: opts.file, dir: opts.dir, migratedFrom: doc.schemaVersion }, out, {
      store: opts.index.store,
      size: { width: opts.width, height: opts.height },
      signal: opts.signal,
    });
    const frames = doc.sequence.tracks[0]!.clips.reduce((n, c) => n + c.duration, 0);
    const seconds = framesToSeconds(frames, doc.sequence.rate);
    const thumb = join(work, 'thumbnail.jpg');
    await runFfmpeg(['-y', '-ss', Math.min(0.5, seconds / 3).toFixed(3), '-i', out, '-frames:v', '1', '-q:v', '3', thumb], {
      signal: opts.signal,
      what: 'making the thumbnail',
    });
    const sprite = join(work, 'spritesheet.jpg');
    const tiles = SPRITE_COLUMNS * SPRITE_ROWS;
    await runFfmpeg(
      [
        '-y',
        '-i',
        out,
        '-vf',
        `fps=${(tiles / seconds).toFixed(4)},scale=${SPRITE_TILE_WIDTH}:-2,tile=${SPRITE_COLUMNS}x${SPRITE_ROWS}`,
        '-frames:v',
        '1',
        '-q:v',
        '4',
        sprite,
      ],
      { signal: opts.signal, what: 'making the spritesheet' },
    );
    const [video, thumbnail, spritesheet] = await Promise.all([out, thumb, sprite].map(async (f) => opts.index.ingest(f, { move: true })));
    return { video: video!, thumbnail: thumbnail!, spritesheet: spritesheet! };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
