/** Derived data, memoized. */
import { createSelector } from '@reduxjs/toolkit';
import { pickCurrentTake } from '../../../engine/common/current-take.js';
import type { Line, Take } from '../../../engine/model/schema.js';
import {
  charactersAdapter,
  clipsAdapter,
  linesAdapter,
  mediaAdapter,
  scenesAdapter,
  shotsAdapter,
  takesAdapter,
  tracksAdapter,
} from './doc-slice.js';
import { jobsAdapter } from './jobs-slice.js';
import type { RootState } from './store.js';

export const scenesSel = scenesAdapter.getSelectors((s: RootState) => s.doc.scenes);
export const shotsSel = shotsAdapter.getSelectors((s: RootState) => s.doc.shots);
export const takesSel = takesAdapter.getSelectors((s: RootState) => s.doc.takes);
export const tracksSel = tracksAdapter.getSelectors((s: RootState) => s.doc.tracks);
export const clipsSel = clipsAdapter.getSelectors((s: RootState) => s.doc.clips);
export const charactersSel = charactersAdapter.getSelectors((s: RootState) => s.doc.characters);
export const mediaSel = mediaAdapter.getSelectors((s: RootState) => s.doc.media);
export const linesSel = linesAdapter.getSelectors((s: RootState) => s.doc.lines);
export const jobsSel = jobsAdapter.getSelectors((s: RootState) => s.jobs.jobs);

const NO_LINES: Line[] = [];

/** The lines each shot's takes speak, in order (a line names its shot). */
export const linesByShot = createSelector([linesSel.selectAll], (lines) => {
  const m = new Map<string, Line[]>();
  for (const l of lines) {
    if (l.shotId === undefined) continue;
    const list = m.get(l.shotId) ?? [];
    list.push(l);
    m.set(l.shotId, list);
  }
  return m;
});

export function linesOfShot(s: RootState, shotId: string): Line[] {
  return linesByShot(s).get(shotId) ?? NO_LINES;
}

/** Takes per shot, oldest first. */
export const takesByShot = createSelector([takesSel.selectAll], (takes) => {
  const m = new Map<string, Take[]>();
  for (const t of takes) {
    const list = m.get(t.shotId) ?? [];
    list.push(t);
    m.set(t.shotId, list);
  }
  for (const list of m.values()) list.sort((a, b) => a.number - b.number);
  return m;
});

/** The take a shot shows (the engine's rule: engine/common/current-take.ts). */
export const currentTakes = createSelector([shotsSel.selectEntities, takesByShot], (shots, byShot) => {
  const m = new Map<string, Take>();
  for (const [shotId, takes] of byShot) {
    const t = pickCurrentTake(shots[shotId]?.selectedTakeId, takes);
    if (t) m.set(shotId, t);
  }
  return m;
});

/** The sequence's markers (from the document as held: they change with its patches). */
export const markersOf = (s: RootState) => s.doc.raw?.doc.sequence.markers ?? NO_MARKERS;
const NO_MARKERS: never[] = [];

export const sequenceEnd = createSelector([clipsSel.selectAll], (clips) =>
  clips.reduce((end, c) => Math.max(end, c.recordStart + c.duration), 0),
);
