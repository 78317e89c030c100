/** The audio file behind a clip (imported media, a line reading, or a take's sound) and its content hash, for peaks and VAD. */
import type { MediaStore } from '../cache/media-store.js';
import { inputError } from '../common/errors.js';
import { currentTake, findClip, findTake } from '../model/lookup.js';
import { resolveMediaPath } from '../model/project-file.js';
import type { Project } from '../model/schema.js';

export function clipAudioFile(doc: Project, projectDir: string, store: MediaStore, clipId: string): { file: string; sha256?: string } {
  const loc = findClip(doc, clipId);
  if (!loc) throw inputError('NOT_FOUND', `no clip with id "${clipId}"`, { path: 'clipId' });
  const src = loc.clip.source;
  if (src.type === 'media') {
    const media = doc.media.find((m) => m.id === src.mediaId);
    if (!media) throw inputError('NOT_FOUND', `no media with id "${src.mediaId}"`, { path: 'clipId' });
    return { file: resolveMediaPath(projectDir, media.path), sha256: media.sha256 };
  }
  if (src.type === 'line')
    throw inputError('LINE_NOT_SPOKEN', `clip "${clipId}" is a line with no speech yet`, { path: 'clipId', hint: 'Speak the line first.' });
  const take = src.type === 'take' ? findTake(doc, src.takeId) : currentTake(doc, src.shotId);
  const hash = take?.media.audio ?? take?.media.video;
  if (!hash)
    throw inputError('NO_TAKE', `clip "${clipId}" shows a shot with no generated take`, {
      path: 'clipId',
      hint: 'Generate the shot first.',
    });
  return { file: store.require(hash), sha256: hash };
}
