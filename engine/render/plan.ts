/**
 * Sequence → render plan: which source frames fill each output frame, and
 * which source samples play where. Pure and frame-exact; ffmpeg only executes it.
 */
import { audioPieces, hasAudioEdits, type AudioPiece } from '../common/edit-pieces.js';
import { inputError } from '../common/errors.js';
import { sequenceDuration } from '../model/lookup.js';
import type { Clip, Project, Track, TransitionKind } from '../model/schema.js';
import { frameToSample, rescaleFrames, type Rate } from '../common/time.js';

export interface ResolvedSource {
  /** Absolute path of the media file. */
  path: string;
  hasVideo: boolean;
  hasAudio: boolean;
}

/** Finds the file behind a clip (a take in the cache, an imported file). */
export type SourceResolver = (clip: Clip, track: Track) => ResolvedSource;

/** Where a segment's frames come from: an input and its first frame (at the sequence's rate; negative: before the media starts, the first frame holds). */
export interface SegmentSource {
  input: number;
  sourceStart: number;
}

export type VideoSegment =
  | { kind: 'gap'; frames: number }
  | ({ kind: 'clip'; clipId: string; frames: number } & SegmentSource)
  /** A transition between two clips: `from` plays on past its out point (its last frame holds where the media ends), `to` starts early. */
  | {
      kind: 'transition';
      transition: TransitionKind;
      frames: number;
      from: SegmentSource;
      to: SegmentSource;
      /** A transition cut by an export range (range.ts): its whole length and the frames of it before this segment. */
      length?: number;
      played?: number;
    };

export interface AudioPart {
  clipId: string;
  input: number;
  /** First source sample used (48 kHz). */
  sourceStartSample: number;
  /** Where it starts in the output, samples. */
  startSample: number;
  samples: number;
  gainDb: number;
  fadeInSamples: number;
  fadeOutSamples: number;
  /** −1 left … +1 right. */
  pan: number;
  /** The source pieces that play when the clip has region edits or a gain envelope (else one plain range). */
  pieces?: AudioPiece[];
  /**
   * Samples of the part left out at its start (an export range starts inside the clip): the part is built whole
   * (fades, pieces) and then trimmed, so the samples kept are those of the whole export. `samples` stays the whole part's.
   */
  skipSamples?: number;
}

export interface PlanOptions {
  /** Measured peak (dBFS) of each normalize edit's source range, by edit id (see engine/audio/normalize.ts). */
  normalizePeaks?: ReadonlyMap<string, number>;
}

export interface RenderPlan {
  width: number;
  height: number;
  rate: Rate;
  frames: number;
  samples: number;
  inputs: string[];
  video: VideoSegment[];
  audio: AudioPart[];
}

export function planRender(
  doc: Project,
  resolve: SourceResolver,
  size?: { width: number; height: number },
  opts: PlanOptions = {},
): RenderPlan {
  const { rate } = doc.sequence;
  const frames = sequenceDuration(doc);
  if (frames === 0)
    throw inputError('EMPTY_SEQUENCE', 'the sequence has no clips, so there is nothing to render', {
      path: 'sequence.tracks',
      hint: 'Add shots to the timeline first.',
    });
  const inputs: string[] = [];
  const inputIndex = (path: string): number => {
    let i = inputs.indexOf(path);
    if (i < 0) i = inputs.push(path) - 1;
    return i;
  };

  const resolved = new Map<string, ResolvedSource>();
  const sourceOf = (clip: Clip, track: Track): ResolvedSource => {
    let r = resolved.get(clip.id);
    if (!r) {
      r = resolve(clip, track);
      resolved.set(clip.id, r);
    }
    return r;
  };

  const videoTracks = doc.sequence.tracks.filter((t) => t.kind === 'video' && !t.muted);
  /** The clip's source frame shown at sequence frame `at` (at the sequence's rate). */
  const sourceAt = (clip: Clip, at: number) => rescaleFrames(clip.sourceStart, clip.sourceRate ?? rate, rate) + (at - clip.recordStart);
  const spans = flattenVideo(videoTracks, frames);
  const video = withTransitions(spans, (span) => {
    const src = sourceOf(span.clip!, span.track!);
    return src.hasVideo ? inputIndex(src.path) : undefined;
  }).map((seg): VideoSegment => {
    if ('kind' in seg) return seg;
    if (!seg.clip) return { kind: 'gap', frames: seg.end - seg.start };
    const src = sourceOf(seg.clip, seg.track!);
    if (!src.hasVideo) return { kind: 'gap', frames: seg.end - seg.start };
    return {
      kind: 'clip',
      clipId: seg.clip.id,
      input: inputIndex(src.path),
      sourceStart: sourceAt(seg.clip, seg.start),
      frames: seg.end - seg.start,
    };
  });

  /**
   * Spans with each active transition cut out of the two clips it joins: a clip with `transitionOut` whose span ends
   * where the next span, of a clip starting there on the same track, begins. Lengths are clamped to the two spans.
   */
  function withTransitions(
    list: Span[],
    inputOf: (span: Span) => number | undefined,
  ): Array<Span | Extract<VideoSegment, { kind: 'transition' }>> {
    const out: Array<Span | Extract<VideoSegment, { kind: 'transition' }>> = [];
    const copy = list.map((s) => ({ ...s }));
    for (let i = 0; i < copy.length; i++) {
      const a = copy[i]!;
      const b = copy[i + 1];
      const t = a.clip?.transitionOut;
      const joins =
        t &&
        b?.clip &&
        a.track === b.track &&
        a.end === a.clip!.recordStart + a.clip!.duration &&
        b.start === b.clip.recordStart &&
        a.end === b.start;
      const inA = joins ? inputOf(a) : undefined;
      const inB = joins ? inputOf(b!) : undefined;
      if (!joins || inA === undefined || inB === undefined) {
        if (a.end > a.start) out.push(a);
        continue;
      }
      const cut = a.end;
      const before = Math.min(t!.before, a.end - a.start);
      const after = Math.min(t!.after, b!.end - b!.start);
      a.end = cut - before;
      b!.start = cut + after;
      if (a.end > a.start) out.push(a);
      if (before + after > 0)
        out.push({
          kind: 'transition',
          transition: t!.kind,
          frames: before + after,
          from: { input: inA, sourceStart: sourceAt(a.clip!, cut - before) },
          to: { input: inB, sourceStart: sourceAt(b!.clip!, cut - before) },
        });
    }
    return out;
  }

  const anySolo = doc.sequence.tracks.some((t) => t.solo);
  const audio: AudioPart[] = [];
  for (const track of doc.sequence.tracks) {
    if (track.muted || (anySolo && !track.solo)) continue;
    for (const clip of track.clips) {
      if (clip.muted) continue;
      const src = sourceOf(clip, track);
      if (!src.hasAudio) continue;
      const startSample = frameToSample(clip.recordStart, rate);
      const samples = frameToSample(clip.recordStart + clip.duration, rate) - startSample;
      const sourceStartSample = frameToSample(clip.sourceStart, clip.sourceRate ?? rate);
      const edits = { edits: clip.audioEdits, envelope: clip.gainEnvelope };
      audio.push({
        clipId: clip.id,
        input: inputIndex(src.path),
        sourceStartSample,
        startSample,
        samples,
        gainDb: clip.gainDb + track.gainDb,
        fadeInSamples: Math.min(clip.fadeInSamples, samples),
        fadeOutSamples: Math.min(clip.fadeOutSamples, samples),
        pan: track.pan,
        ...(hasAudioEdits(edits)
          ? { pieces: audioPieces({ ...edits, sourceStartSample, samples, normalizePeaks: opts.normalizePeaks }) }
          : {}),
      });
    }
  }
  return {
    width: size?.width ?? doc.sequence.width,
    height: size?.height ?? doc.sequence.height,
    rate,
    frames,
    samples: frameToSample(frames, rate),
    inputs,
    video,
    audio,
  };
}

export interface Span {
  start: number;
  end: number;
  clip?: Clip;
  track?: Track;
}

/** Cuts [0, frames) into spans where one clip (the topmost, later tracks on top) or nothing is visible. */
export function flattenVideo(tracks: Track[], frames: number): Span[] {
  const cuts = new Set<number>([0, frames]);
  for (const t of tracks)
    for (const c of t.clips) {
      if (c.muted) continue;
      cuts.add(Math.min(frames, c.recordStart));
      cuts.add(Math.min(frames, c.recordStart + c.duration));
    }
  const points = [...cuts].sort((a, b) => a - b);
  const spans: Span[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (end <= start) continue;
    let hit: { clip: Clip; track: Track } | undefined;
    for (let t = tracks.length - 1; t >= 0 && !hit; t--) {
      const clip = tracks[t]!.clips.find((c) => !c.muted && c.recordStart <= start && c.recordStart + c.duration >= end);
      if (clip) hit = { clip, track: tracks[t]! };
    }
    const last = spans[spans.length - 1];
    if (last && last.end === start && last.clip === hit?.clip) last.end = end;
    else spans.push({ start, end, clip: hit?.clip, track: hit?.track });
  }
  return spans;
}
