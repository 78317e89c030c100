/**
 * One selection across the views: a clip picked on the timeline picks its
 * shot (for the inspector and the storyboard), and a shot picked on a card
 * picks its clip on the timeline.
 */
import type { ClipEntity } from './doc-slice.js';
import { clipsSel, takesSel, tracksSel } from './selectors.js';
import type { AppDispatch, RootState } from './store.js';
import { selectClip, selectScene, selectShot } from './ui-slice.js';

/** The shot a clip shows: its shot, or the shot of its take; none for media and lines. */
export function shotOfClip(s: RootState, clip: ClipEntity): string | undefined {
  if (clip.source.type === 'shot') return clip.source.shotId;
  if (clip.source.type === 'take') return takesSel.selectById(s, clip.source.takeId)?.shotId;
  return undefined;
}

/** The first clip on a video track (earliest on the sequence) that shows the shot. */
export function clipOfShot(s: RootState, shotId: string): string | undefined {
  let best: ClipEntity | undefined;
  for (const c of clipsSel.selectAll(s)) {
    if (tracksSel.selectById(s, c.trackId)?.kind !== 'video' || shotOfClip(s, c) !== shotId) continue;
    if (!best || c.recordStart < best.recordStart) best = c;
  }
  return best?.id;
}

function sceneOfShot(s: RootState, shotId: string): string | undefined {
  return s.doc.scenes.ids.find((id) => s.doc.scenes.entities[id]?.shotIds.includes(shotId));
}

/** Picks a clip and, when it shows a shot, that shot and its scene. */
export const pickClip =
  (clipId: string | null) =>
  (dispatch: AppDispatch, getState: () => RootState): void => {
    dispatch(selectClip(clipId));
    const clip = clipId ? clipsSel.selectById(getState(), clipId) : undefined;
    const shotId = clip ? shotOfClip(getState(), clip) : undefined;
    if (!shotId) return;
    dispatch(selectShot(shotId));
    const sceneId = sceneOfShot(getState(), shotId);
    if (sceneId) dispatch(selectScene(sceneId));
  };

/** Picks a shot (and its scene) and the clip that shows it on the timeline, if any. */
export const pickShot =
  (shotId: string) =>
  (dispatch: AppDispatch, getState: () => RootState): void => {
    dispatch(selectShot(shotId));
    const sceneId = sceneOfShot(getState(), shotId);
    if (sceneId) dispatch(selectScene(sceneId));
    const clipId = clipOfShot(getState(), shotId);
    if (clipId) dispatch(selectClip(clipId));
  };
