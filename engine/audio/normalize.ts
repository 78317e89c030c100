/** Measures what normalize edits need at export: the peak of each edit's source range. */
import type { Project } from '../model/schema.js';
import { runFfmpeg } from '../media/run.js';
import type { Clip, Track } from '../model/schema.js';
import type { SourceResolver } from '../render/plan.js';

/** Peak level (dBFS) of samples [start, end) of a file at 48 kHz; −Infinity for silence. */
export async function peakDb(file: string, startSample: number, endSample: number, signal?: AbortSignal): Promise<number> {
  const { stderr } = await runFfmpeg(
    ['-i', file, '-vn', '-af', `aresample=48000,atrim=start_sample=${startSample}:end_sample=${endSample},volumedetect`, '-f', 'null', '-'],
    { signal, what: `measuring the peak of ${file}` },
  );
  const m = /max_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr);
  return !m || m[1] === '-inf' ? -Infinity : Number(m[1]);
}

/** Peaks of every normalize edit in the sequence, by edit id (for planRender's normalizePeaks). */
export async function measureNormalizeEdits(doc: Project, resolve: SourceResolver, signal?: AbortSignal): Promise<Map<string, number>> {
  const peaks = new Map<string, number>();
  for (const track of doc.sequence.tracks) {
    for (const clip of track.clips as Clip[]) {
      for (const e of clip.audioEdits ?? []) {
        if (e.op !== 'normalize') continue;
        const src = resolve(clip, track as Track);
        if (src.hasAudio) peaks.set(e.id, await peakDb(src.path, e.startSample, e.endSample, signal));
      }
    }
  }
  return peaks;
}
