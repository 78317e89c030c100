/** A small JPEG of a take's first second for storyboard cards and timeline filmstrips. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaStore } from '../cache/media-store.js';
import { runFfmpeg } from '../media/run.js';
import { makeWorkDir } from '../util/work-dir.js';

export const THUMB_WIDTH = 320;

/** `atSeconds` should lie inside the video (a third of a short one). */
export async function makeThumbnail(store: MediaStore, videoHash: string, atSeconds: number, signal?: AbortSignal): Promise<string> {
  const dir = makeWorkDir('klappe-thumb');
  try {
    const out = join(dir, 'thumb.jpg');
    await runFfmpeg(
      [
        '-y',
        '-ss',
        atSeconds.toFixed(3),
        '-i',
        store.require(videoHash),
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
    return (await store.ingest(out, { move: true })).hash;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
