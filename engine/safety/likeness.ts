/**
 * Likeness matching: faces sampled from a media file (a few frames per second)
 * are embedded and matched against the registered cameos' embeddings; faces of
 * real people that match none are reported as unknown.
 */
import { KlappeError } from '../common/errors.js';

export interface RegisteredLikeness {
  id: string;
  name: string;
  /** L2-normalised 128-d MobileFaceNet embedding (see deriveCameoReferences). */
  embedding: Float32Array;
}

export interface LikenessOptions {
  /** Frames sampled per second (default 2). */
  fps?: number;
  /** Cosine similarity at or above which a face matches a cameo (default LIKENESS_THRESHOLD). */
  threshold?: number;
  signal?: AbortSignal;
}

export interface LikenessMatch {
  id: string;
  name: string;
  /** Best cosine similarity over the frames where this cameo was found. */
  similarity: number;
  /** Times (ms) of the frames where this cameo's face was found. */
  timesMs: number[];
}

export interface UnknownFace {
  /** Time (ms) of the first frame of this face. */
  timeMs: number;
  /** Box in the frame, in source pixels. */
  box: { x: number; y: number; width: number; height: number };
  /** Best similarity to any registered cameo (below the threshold). */
  bestSimilarity: number;
  /** Frames where a face like this one (same unknown person) was seen. */
  frames: number;
}

export interface LikenessReport {
  matches: LikenessMatch[];
  unknown: UnknownFace[];
  threshold: number;
  framesSampled: number;
  facesFound: number;
  elapsedMs: number;
}

/** Placeholder until measured; see docs/faces.md. */
export const LIKENESS_THRESHOLD = 0.4;

export async function matchLikeness(
  file: string,
  registered: readonly RegisteredLikeness[],
  options: LikenessOptions = {},
): Promise<LikenessReport> {
  void registered;
  void options;
  throw new KlappeError({ code: 'NOT_READY', message: `matchLikeness(${file}) is not implemented yet` });
}
