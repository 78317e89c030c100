/** Finds and probes the file behind every clip, once, before planning a render. */
import { existsSync } from 'node:fs';
import { findTake, currentTake } from '../model/lookup.js';
import { resolveMediaPath, type LoadedProject } from '../model/project-file.js';
import type { Clip } from '../model/schema.js';
import { KlappeError } from '../common/errors.js';
import type { MediaStore } from '../cache/media-store.js';
import { audioStream, probe, videoStream } from '../media/probe.js';
import type { ResolvedSource, SourceResolver } from './plan.js';

export function clipMediaPath(loaded: Pick<LoadedProject, 'doc' | 'dir'>, store: MediaStore, clip: Clip): string {
  const { doc, dir } = loaded;
  const src = clip.source;
  if (src.type === 'media') {
    const media = doc.media.find((m) => m.id === src.mediaId)!;
    return resolveMediaPath(dir, media.path);
  }
  if (src.type === 'line') {
    throw new KlappeError({
      code: 'LINE_NOT_SPOKEN',
      kind: 'input',
      message: `clip "${clip.id}" is a dialogue line with no speech yet`,
      path: `clip ${clip.id}`,
      hint: "Generate the line's speech first.",
    });
  }
  const take = src.type === 'take' ? findTake(doc, src.takeId) : currentTake(doc, src.shotId);
  if (!take?.media.video) {
    throw new KlappeError({
      code: 'NO_TAKE',
      message: `clip "${clip.id}" shows a shot with no generated take`,
      path: `clip ${clip.id}`,
      hint: 'Generate the shot first (klappe generate), or render, which makes the missing takes.',
    });
  }
  return store.require(take.media.video);
}

const NOTHING: ResolvedSource = { path: '', hasVideo: false, hasAudio: false };

/**
 * The file behind every clip, probed. A clip whose media cannot be found
 * throws, unless `missingIsEmpty` (the preview mix), where it plays as silence.
 */
export async function resolveSources(
  loaded: Pick<LoadedProject, 'doc' | 'dir'>,
  store: MediaStore,
  signal?: AbortSignal,
  opts: {
    missingIsEmpty?: boolean;
    /** Only these clips are looked for (an export range); the others play as nothing. */
    only?: (clip: Clip) => boolean;
  } = {},
): Promise<SourceResolver> {
  const byPath = new Map<string, ResolvedSource>();
  const byClip = new Map<string, ResolvedSource>();
  for (const track of loaded.doc.sequence.tracks) {
    for (const clip of track.clips) {
      if (clip.source.type === 'line' || (opts.only && !opts.only(clip))) {
        byClip.set(clip.id, NOTHING); // an unspoken line has no media yet; a clip outside the export's range is not needed
        continue;
      }
      let path: string;
      try {
        path = clipMediaPath(loaded, store, clip);
        if (opts.missingIsEmpty && !existsSync(path)) throw new Error('offline');
      } catch (e) {
        if (!opts.missingIsEmpty) throw e;
        byClip.set(clip.id, NOTHING);
        continue;
      }
      let r = byPath.get(path);
      if (!r) {
        const p = await probe(path, { signal });
        r = { path, hasVideo: !!videoStream(p), hasAudio: !!audioStream(p) };
        byPath.set(path, r);
      }
      byClip.set(clip.id, r);
    }
  }
  return (clip) => byClip.get(clip.id)!;
}
