/**
 * The transition the preview shows at a frame, as the export renders it (engine/render/plan.ts and ffmpeg-graph.ts):
 * a clip's `transitionOut` into the clip that starts where it ends on the same track runs from `before` frames before
 * the cut to `after` frames after it; the outgoing clip plays on past its out point, the incoming one starts early.
 * Progress runs from just above 0 to just below 1: (n + 1) / (frames + 1) at the transition's n-th frame.
 */
import type { Clip, TransitionKind } from '../../../engine/model/schema.js';

export interface PreviewTransition {
  from: Clip;
  to: Clip;
  kind: TransitionKind;
  /** 0 → 1 over the transition. */
  progress: number;
}

/** `tracks`: each video track's clips, top track first. The first track with a transition at `frame` wins. */
export function transitionAt(tracks: Clip[][], frame: number): PreviewTransition | undefined {
  for (const clips of tracks) {
    for (const a of clips) {
      const t = a.transitionOut;
      if (!t) continue;
      const cut = a.recordStart + a.duration;
      const b = clips.find((c) => c.recordStart === cut);
      if (!b) continue;
      const before = Math.min(t.before, a.duration);
      const after = Math.min(t.after, b.duration);
      const frames = before + after;
      const n = frame - (cut - before);
      if (frames > 0 && n >= 0 && n < frames) return { from: a, to: b, kind: t.kind, progress: (n + 1) / (frames + 1) };
    }
    // a clip on a higher track covers the tracks below it
    if (clips.some((c) => frame >= c.recordStart && frame < c.recordStart + c.duration)) return undefined;
  }
  return undefined;
}

/** The CSS that draws the incoming picture (and a black layer) over the outgoing one at `progress`. */
export function transitionStyle(kind: TransitionKind, progress: number): { incoming: Record<string, string>; black: number } {
  if (kind === 'dissolve') return { incoming: { opacity: String(progress) }, black: 0 };
  if (kind === 'wipe') return { incoming: { clipPath: `inset(0 ${((1 - progress) * 100).toFixed(3)}% 0 0)` }, black: 0 };
  // dip to black: the outgoing picture fades to black over the first half, the incoming one from black over the second
  return progress < 0.5 ? { incoming: { opacity: '0' }, black: 2 * progress } : { incoming: { opacity: '1' }, black: 2 - 2 * progress };
}
