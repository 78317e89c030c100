/**
 * Sequence → render plan: which source frames fill each output frame, and
 * which source samples play where. Pure and frame-exact; ffmpeg only executes it.
 */
import { audioPieces, hasAudioEdits, type AudioPiece } from '../common/edit-pieces.js';
import { inputError } from '../common/errors.js';
import { sequenceDuration } from '../model/lookup.js';
import type { Clip, Project, Track } from '../model/schema.js';
import { frameToSample, type Rate } from '../common/time.js';

export interface ResolvedSource {
  /** Absolute path of the media file. */
  path: string;
  hasVideo: boolean;
  hasAudio: boolean;
}

/** Finds the file behind a clip (a take in the cache, an imported file). */
export type SourceResolver = (clip: Clip, track: Track) => ResolvedSource;

export type VideoSegment =
  { kind: 'gap'; frames: number } | { kind: 'clip'; clipId: string; input: number; sourceStart: number; frames: number };

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
  const video = flattenVideo(videoTracks, frames).map((seg): VideoSegment => {
    if (!seg.clip) return { kind: 'gap', frames: seg.end - seg.start };
    const src = sourceOf(seg.clip, seg.track!);
    if (!src.hasVideo) return { kind: 'gap', frames: seg.end - seg.start };
    return {
      kind: 'clip',
      clipId: seg.clip.id,
      input: inputIndex(src.path),
      sourceStart: seg.clip.sourceStart + (seg.start - seg.clip.recordStart),
      frames: seg.end - seg.start,
    };
  });

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
      const sourceStartSample = frameToSample(clip.sourceStart, rate);
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

interface Span {
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
