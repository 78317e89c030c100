/**
 * Dialogue lines and their links. A line names its shot (`line.shotId`) and a
 * lane clip names its line (`clip.lineId`); the other side of each link is
 * derived here, never stored. Pure; returns undefined when absent.
 */
import { findClip, type ClipLocation } from './lookup.js';
import type { Line, Project, Shot } from './schema.js';

/** A line as a shot's takes speak it: who says what, and where in the shot (what a generator is given). */
export interface ShotLine {
  id: string;
  characterId: string;
  text: string;
  /** Start within the shot, frames; omitted = after the previous line. */
  start?: number;
}

/** A shot with the lines its takes speak, in order (the shot of a ShotRequest). */
export type ShotWithLines = Shot & { dialogue: ShotLine[] };

export function findLine(doc: Project, lineId: string): Line | undefined {
  return doc.lines.find((l) => l.id === lineId);
}

/** The lines a shot's takes speak, in order. */
export function linesOfShot(doc: Project, shotId: string): Line[] {
  return doc.lines.filter((l) => l.shotId === shotId);
}

/** Only what determines speech: the words, the speaker, the start (readings and links do not). */
export function shotLine(line: Line): ShotLine {
  return { id: line.id, characterId: line.characterId, text: line.text, ...(line.start !== undefined ? { start: line.start } : {}) };
}

/** Shot → the lines each of `shots` speaks, grouped in one pass. */
export function withLines(doc: Project, shots: Shot[]): ShotWithLines[] {
  const byShot = new Map<string, ShotLine[]>(shots.map((s) => [s.id, []]));
  for (const l of doc.lines) if (l.shotId !== undefined) byShot.get(l.shotId)?.push(shotLine(l));
  return shots.map((s) => ({ ...s, dialogue: byShot.get(s.id)! }));
}

/** The clip that plays a line, if one does. */
export function clipOfLine(doc: Project, lineId: string): ClipLocation | undefined {
  for (const track of doc.sequence.tracks) {
    const clip = track.clips.find((c) => c.lineId === lineId);
    if (clip) return findClip(doc, clip.id);
  }
  return undefined;
}

/** The line a clip plays, if it plays one. */
export function lineOfClip(doc: Project, clipId: string): Line | undefined {
  const lineId = findClip(doc, clipId)?.clip.lineId;
  return lineId === undefined ? undefined : findLine(doc, lineId);
}

/**
 * New words for a line (edits `doc` in place: an Immer draft in a command).
 * Readings without words of their own said the old words: they keep them.
 * The clip that plays the line, when named after its words, is renamed with them.
 */
export function setLineText(doc: Project, line: Line, text: string): void {
  for (const r of line.readings) r.text ??= line.text;
  const clip = clipOfLine(doc, line.id)?.clip;
  if (clip && clip.name === line.text.slice(0, 120)) clip.name = text.slice(0, 120);
  line.text = text;
}
