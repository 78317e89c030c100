/**
 * Keeping a scene's staging consistent with its shots (edits a document in
 * place: an Immer draft in a command): characters a shot uses get start marks,
 * framed shots get their cameras placed again when the world they are placed
 * on changes, shots of a scene follow each other in scene time.
 */
import { marksFor, placeCamera } from './framing.js';
import type { Project, Scene, Shot } from './schema.js';

/** Gives every character in `characterIds` a start mark in `scene` if it has none (known characters only). */
export function ensureMarks(doc: Project, scene: Scene, characterIds: Array<string | undefined>): void {
  const known = new Set(doc.characters.map((c) => c.id));
  const ids = [...new Set(characterIds.filter((id): id is string => id !== undefined && known.has(id)))];
  scene.marks.push(...marksFor(scene, ids));
}

/** Places a framed shot's camera from its framing on the scene's marks and props (keeps its move). Returns false when the subject is not in the scene. */
export function reframe(doc: Project, scene: Scene, shot: Shot): boolean {
  if (!shot.framing) return false;
  const placed = placeCamera({ scene, characters: doc.characters, width: doc.sequence.width, height: doc.sequence.height }, shot.framing);
  if (!placed) return false;
  shot.camera = { ...placed.camera, move: shot.camera.move };
  return true;
}

/** Places every framed shot of the scene again (after its marks or props moved). */
export function reframeScene(doc: Project, scene: Scene): void {
  for (const shot of scene.shots) reframe(doc, scene, shot);
}

/** The characters a framing names. */
export function framingCharacters(shot: Pick<Shot, 'framing'>): string[] {
  return shot.framing ? [shot.framing.subjectId, ...(shot.framing.overId ? [shot.framing.overId] : [])] : [];
}

/** Adds the framing's characters to the shot's characters (once each). */
export function includeFramed(doc: Project, shot: Shot): void {
  const known = new Set(doc.characters.map((c) => c.id));
  for (const id of framingCharacters(shot)) if (known.has(id) && !shot.characterIds.includes(id)) shot.characterIds.push(id);
}

/**
 * Ripple in scene time: closes the gap a shot of `duration` frames at `start`
 * left (later shots move up), unless another shot still covers that time.
 */
export function closeSceneGap(scene: Scene, start: number, duration: number): void {
  const end = start + duration;
  if (scene.shots.some((s) => s.sceneStart < end && s.sceneStart + s.duration > start)) return;
  for (const s of scene.shots) if (s.sceneStart >= end) s.sceneStart -= duration;
}

/** Ripple in scene time: `shot` (already at its index) starts where the shot before it ends; later shots move down by its length. */
export function openSceneGap(scene: Scene, shot: Shot): void {
  const i = scene.shots.indexOf(shot);
  const prev = i > 0 ? scene.shots[i - 1] : undefined;
  const start = prev ? prev.sceneStart + prev.duration : 0;
  for (const s of scene.shots) if (s !== shot && s.sceneStart >= start) s.sceneStart += shot.duration;
  shot.sceneStart = start;
}

/** Ripple on a track: clips after a removed one of `duration` at `start` move up, unless another clip of the track still covers that time. */
export function closeTrackGap(clips: Array<{ recordStart: number; duration: number }>, start: number, duration: number): void {
  const end = start + duration;
  if (clips.some((c) => c.recordStart < end && c.recordStart + c.duration > start)) return;
  for (const c of clips) if (c.recordStart >= end) c.recordStart -= duration;
}
