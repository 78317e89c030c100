/** A small JPEG of a take's first second for storyboard cards and timeline filmstrips. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheIndex } from '../cache/cache-index.js';
import { runFfmpeg } from '../media/run.js';
import { makeWorkDir } from '../util/work-dir.js';

export const THUMB_WIDTH = 320;

/** `atSeconds` should lie inside the video (a third of a short one). Indexed like every other file of the cache. */
export async function makeThumbnail(index: CacheIndex, videoHash: string, atSeconds: number, signal?: AbortSignal): Promise<string> {
  const dir = makeWorkDir('klappe-thumb');
  try {
    const out = join(dir, 'thumb.jpg');
    await runFfmpeg(
      [
        '-y',
        '-ss',
        atSeconds.toFixed(3),
        '-i',
        index.store.require(videoHash),
        '-frames:v',
        '1',
        '-vf',
        `scale=${THUMB_WIDTH}:-2`,
        '-q:v',
        '4',
        out,
      ],
      { signal, what: 'making a thumbnail' },
    );
    return await index.ingest(out, { move: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
