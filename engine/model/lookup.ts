/** Finding things in a project document by id. Pure; returns undefined when absent. */
import { pickCurrentTake } from '../common/current-take.js';
import type { Clip, Project, Scene, Shot, Take, Track } from './schema.js';

export interface ShotLocation {
  scene: Scene;
  sceneIndex: number;
  shot: Shot;
  shotIndex: number;
}

export function findShot(doc: Project, shotId: string): ShotLocation | undefined {
  for (let sceneIndex = 0; sceneIndex < doc.scenes.length; sceneIndex++) {
    const scene = doc.scenes[sceneIndex]!;
    const shotIndex = scene.shots.findIndex((s) => s.id === shotId);
    if (shotIndex >= 0) return { scene, sceneIndex, shot: scene.shots[shotIndex]!, shotIndex };
  }
  return undefined;
}

export function allShots(doc: Project): ShotLocation[] {
  return doc.scenes.flatMap((scene, sceneIndex) => scene.shots.map((shot, shotIndex) => ({ scene, sceneIndex, shot, shotIndex })));
}

export function findScene(doc: Project, sceneId: string): Scene | undefined {
  return doc.scenes.find((s) => s.id === sceneId);
}

export function findTake(doc: Project, takeId: string): Take | undefined {
  return doc.takes.find((t) => t.id === takeId);
}

export function takesOfShot(doc: Project, shotId: string): Take[] {
  return doc.takes.filter((t) => t.shotId === shotId).sort((a, b) => a.number - b.number);
}

/** The take a shot shows: the selected one, else the newest ready one, else none (slate); the rule is engine/common/current-take.ts. */
export function currentTake(doc: Project, shotId: string): Take | undefined {
  return pickCurrentTake(findShot(doc, shotId)?.shot.selectedTakeId, takesOfShot(doc, shotId));
}

export interface ClipLocation {
  track: Track;
  trackIndex: number;
  clip: Clip;
  clipIndex: number;
}

export function findClip(doc: Project, clipId: string): ClipLocation | undefined {
  const tracks = doc.sequence.tracks;
  for (let trackIndex = 0; trackIndex < tracks.length; trackIndex++) {
    const track = tracks[trackIndex]!;
    const clipIndex = track.clips.findIndex((c) => c.id === clipId);
    if (clipIndex >= 0) return { track, trackIndex, clip: track.clips[clipIndex]!, clipIndex };
  }
  return undefined;
}

/** Sequence length in frames: the end of its last clip. */
export function sequenceDuration(doc: Project): number {
  let end = 0;
  for (const track of doc.sequence.tracks) for (const clip of track.clips) end = Math.max(end, clip.recordStart + clip.duration);
  return end;
}

/** Scene length in frames: the end of its last shot or action. */
export function sceneDuration(scene: Scene): number {
  let end = 0;
  for (const shot of scene.shots) end = Math.max(end, shot.sceneStart + shot.duration);
  for (const a of scene.actions) end = Math.max(end, a.at + (a.duration ?? 0));
  return end;
}

/** A fresh id not used anywhere in the document, like `shot-7`. */
export function newId(doc: Project, prefix: string): string {
  const used = collectIds(doc);
  for (let n = 1; ; n++) {
    const candidate = `${prefix}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

export function collectIds(doc: Project): Set<string> {
  const ids = new Set<string>([doc.id, doc.sequence.id]);
  for (const c of doc.characters) ids.add(c.id);
  for (const s of doc.scenes) {
    ids.add(s.id);
    for (const p of s.props) ids.add(p.id);
    for (const a of s.actions) ids.add(a.id);
    for (const sh of s.shots) ids.add(sh.id);
  }
  for (const l of doc.lines) ids.add(l.id);
  for (const t of doc.takes) ids.add(t.id);
  for (const m of doc.media) ids.add(m.id);
  for (const t of doc.sequence.tracks) {
    ids.add(t.id);
    for (const c of t.clips) ids.add(c.id);
  }
  return ids;
}
