/**
 * Part of the sequence to export: frames [in, out) (out is the first frame
 * left out). The whole sequence's render plan is cut to it, so the part is
 * frame- and sample-exact with the same frames of a whole export: video
 * segments are trimmed (a transition cut in the middle keeps its progress),
 * audio parts are built whole (fades, edits, gain envelopes as they are) and
 * then trimmed to the part's samples; captions are shifted with it.
 */
import { inputError } from '../common/errors.js';
import { frameToSample, timecodeToFrames, type Rate } from '../common/time.js';
import type { AudioPart, RenderPlan, VideoSegment } from './plan.js';

export interface FrameRange {
  /** First frame exported. */
  in: number;
  /** First frame not exported (exclusive). */
  out: number;
}

/** How each end of the range is named where the user typed it (CLI flags, API fields). */
export interface RangeFields {
  in: string;
  out: string;
}

const API_FIELDS: RangeFields = { in: 'params.range.in', out: 'params.range.out' };

/**
 * A range as given (either end may be missing: the sequence's start or end) checked against a sequence of `frames`
 * frames. A bad range is an input error naming the field.
 */
export function checkRange(range: { in?: number; out?: number }, frames: number, rate: Rate, fields: RangeFields = API_FIELDS): FrameRange {
  const from = range.in ?? 0;
  const to = range.out ?? frames;
  const tc = (f: number) => `frame ${f}`;
  if (!Number.isInteger(from) || from < 0)
    throw inputError('BAD_RANGE', `${fields.in}: the in point must be a frame number ≥ 0, got ${from}`, { path: fields.in });
  if (!Number.isInteger(to) || to < 0)
    throw inputError('BAD_RANGE', `${fields.out}: the out point must be a frame number ≥ 0, got ${to}`, { path: fields.out });
  if (from >= frames)
    throw inputError('BAD_RANGE', `${fields.in}: the in point (${tc(from)}) is at or after the end of the sequence (${tc(frames)})`, {
      path: fields.in,
      hint: `The sequence has ${frames} frames (${frames} at ${rate.num}/${rate.den} fps); the in point must be below that.`,
    });
  if (to > frames)
    throw inputError('BAD_RANGE', `${fields.out}: the out point (${tc(to)}) is after the end of the sequence (${tc(frames)})`, {
      path: fields.out,
      hint: `The out point is the first frame left out: at most ${frames}.`,
    });
  if (to <= from)
    throw inputError('BAD_RANGE', `${fields.out}: the out point (${tc(to)}) must come after the in point (${tc(from)})`, {
      path: fields.out,
      hint: 'The out point is the first frame left out: at least the in point + 1.',
    });
  return { in: from, out: to };
}

/** "48" (a frame number) or "00:00:02:00" (timecode at the sequence's rate) → frames; anything else names `field`. */
export function parseFrameOrTimecode(text: string, rate: Rate, field: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (/^\d{2}:\d{2}:\d{2}[:;.]\d{2}$/.test(t)) {
    try {
      return timecodeToFrames(t, rate);
    } catch (e) {
      throw inputError('BAD_RANGE', `${field}: ${(e as Error).message}`, { path: field, hint: 'Write a frame number or HH:MM:SS:FF.' });
    }
  }
  throw inputError('BAD_RANGE', `${field}: "${text}" is neither a frame number nor a timecode`, {
    path: field,
    hint: 'Write a frame number (48) or a timecode HH:MM:SS:FF (00:00:02:00).',
  });
}

/** The whole sequence? */
export function isWhole(range: FrameRange, frames: number): boolean {
  return range.in === 0 && range.out === frames;
}

/** The plan of the frames [in, out) of `plan` (checked with checkRange first). */
export function cutPlan(plan: RenderPlan, range: FrameRange): RenderPlan {
  if (isWhole(range, plan.frames)) return plan;
  const video: VideoSegment[] = [];
  let at = 0;
  for (const seg of plan.video) {
    const a = Math.max(at, range.in);
    const b = Math.min(at + seg.frames, range.out);
    if (b > a) video.push(cutSegment(seg, a - at, b - a));
    at += seg.frames;
  }
  const inSample = frameToSample(range.in, plan.rate);
  const samples = frameToSample(range.out, plan.rate) - inSample;
  const audio: AudioPart[] = [];
  for (const part of plan.audio) {
    const skip = Math.max(0, inSample - part.startSample) + (part.skipSamples ?? 0);
    const start = Math.max(0, part.startSample - inSample);
    // what is left of the part after the skip, and whether any of it falls inside the range
    if (part.samples - skip <= 0 || start >= samples) continue;
    audio.push({ ...part, startSample: start, ...(skip > 0 ? { skipSamples: skip } : {}) });
  }
  const used = new Set<number>();
  for (const s of video) {
    if (s.kind === 'clip') used.add(s.input);
    else if (s.kind === 'transition') used.add(s.from.input).add(s.to.input);
  }
  for (const p of audio) used.add(p.input);
  // inputs no segment uses any more are dropped (ffmpeg would still open and decode them)
  const keep = plan.inputs.map((_, i) => i).filter((i) => used.has(i));
  const index = new Map(keep.map((old, i) => [old, i]));
  const re = (i: number) => index.get(i)!;
  return {
    ...plan,
    frames: range.out - range.in,
    samples,
    inputs: keep.map((i) => plan.inputs[i]!),
    video: video.map((s) =>
      s.kind === 'clip'
        ? { ...s, input: re(s.input) }
        : s.kind === 'transition'
          ? { ...s, from: { ...s.from, input: re(s.from.input) }, to: { ...s.to, input: re(s.to.input) } }
          : s,
    ),
    audio: audio.map((p) => ({ ...p, input: re(p.input) })),
  };
}

/** `frames` frames of a segment from its frame `skip`. */
function cutSegment(seg: VideoSegment, skip: number, frames: number): VideoSegment {
  if (seg.kind === 'gap') return { kind: 'gap', frames };
  if (seg.kind === 'clip') return { ...seg, sourceStart: seg.sourceStart + skip, frames };
  const played = (seg.played ?? 0) + skip;
  return {
    ...seg,
    frames,
    length: seg.length ?? seg.frames,
    played,
    from: { ...seg.from, sourceStart: seg.from.sourceStart + skip },
    to: { ...seg.to, sourceStart: seg.to.sourceStart + skip },
  };
}
