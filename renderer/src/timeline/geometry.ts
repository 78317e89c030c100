/** Timeline layout numbers and snapping, shared by the canvas, tests and the benchmark. */
import type { TrackKind } from '../../../engine/model/schema.js';

export const RULER_H = 24;
export const TRACK_H: Record<TrackKind, number> = { video: 64, dialogue: 40, sfx: 40, music: 40 };
export const SNAP_PX = 8;

export const TRACK_COLORS: Record<TrackKind, { fill: string; stroke: string; text: string }> = {
  video: { fill: '#2b4a78', stroke: '#5d8fd6', text: '#e6eefb' },
  dialogue: { fill: '#2f6a52', stroke: '#5fc79b', text: '#e2f7ee' },
  sfx: { fill: '#6b4a2a', stroke: '#d79a55', text: '#fbeede' },
  music: { fill: '#5a3470', stroke: '#b079d6', text: '#f4e8fb' },
};

export function trackTops(kinds: TrackKind[]): number[] {
  const tops: number[] = [];
  let y = RULER_H;
  for (const k of kinds) {
    tops.push(y);
    y += TRACK_H[k];
  }
  return tops;
}

/** The candidate nearest to `frame` within SNAP_PX pixels, with its distance in pixels; null when none is that near. */
function nearestWithin(frame: number, candidates: number[], ppf: number): { frame: number; px: number } | null {
  let best: { frame: number; px: number } | null = null;
  for (const c of candidates) {
    const px = Math.abs(c - frame) * ppf;
    if (px <= SNAP_PX && (!best || px < best.px)) best = { frame: c, px };
  }
  return best;
}

/** The candidate nearest to `frame` within SNAP_PX pixels, else `frame`. */
export function snapFrame(frame: number, candidates: number[], ppf: number): number {
  return nearestWithin(frame, candidates, ppf)?.frame ?? frame;
}

/**
 * Where a clip `duration` frames long, dragged to start at `frame`, lands:
 * its start or its end on the nearest of `targets` (the other clips' edges,
 * the playhead) or the sequence start, whichever is nearer within SNAP_PX
 * (a start already on a target stays there), never before frame 0.
 */
export function snapMove(frame: number, duration: number, targets: number[], ppf: number): number {
  const start = Math.max(0, frame);
  const candidates = [0, ...targets];
  const byStart = nearestWithin(start, candidates, ppf);
  const byEnd = nearestWithin(start + duration, candidates, ppf);
  if (byStart && (!byEnd || byStart.px <= byEnd.px)) return byStart.frame;
  if (byEnd) return Math.max(0, byEnd.frame - duration);
  return start;
}

/**
 * The scroll offset that brings the span [start, end] into a view `size` long
 * scrolled to `scroll` (all in pixels), moving as little as it can: unchanged
 * when the span is in view already (or, longer than the view, fills it);
 * otherwise the span's near edge comes in with `margin` pixels of room, and a
 * span longer than the view shows its start.
 */
export function scrollToReveal(start: number, end: number, scroll: number, size: number, margin = 0): number {
  if (start >= scroll && end <= scroll + size) return scroll;
  const tooLong = end - start + 2 * margin > size;
  if (tooLong && start <= scroll && end >= scroll + size) return scroll;
  if (tooLong || start < scroll) return Math.max(0, start - margin);
  return Math.max(0, end + margin - size);
}

/**
 * Where the view goes when the playhead (at `x` pixels) has left it, the way
 * editors page along in playback: past the right edge, the next page starts
 * `margin` pixels before the playhead; before the left edge (playing
 * backwards, or a jump back), the page ends `margin` pixels after it.
 * Unchanged while the playhead is in view.
 */
export function pageToPlayhead(x: number, scroll: number, size: number, margin = 0): number {
  if (x >= scroll && x < scroll + size) return scroll;
  const m = Math.min(margin, size / 4);
  return x >= scroll + size ? Math.max(0, x - m) : Math.max(0, x - size + m);
}
