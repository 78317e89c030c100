/**
 * A cameo's references from its recording: the best frontal face crops (PNG
 * files) and the mean face embedding (L2-normalised, MobileFaceNet 128-d),
 * which the likeness check matches faces against.
 */
import { KlappeError } from '../common/errors.js';

export interface CameoReferenceOptions {
  /** How many crops to write (default 3), chosen frontal, sharp and apart in time. */
  crops?: number;
  /** Side of the square PNG crops in pixels (default 256). */
  size?: number;
  signal?: AbortSignal;
}

export interface CameoReferenceCrop {
  /** PNG written in the output folder. */
  file: string;
  /** Time of the frame in the recording, ms from its start. */
  timeMs: number;
  yawDeg: number;
  /** Detection score of the face (0..1). */
  score: number;
}

export interface CameoReferences {
  crops: CameoReferenceCrop[];
  /** Mean of the per-frame embeddings, L2-normalised. */
  embedding: Float32Array;
  /** Id of the embedding model, e.g. 'mobilefacenet-128d'; embeddings of different models never match. */
  embeddingModel: string;
  /** Frames whose faces went into the mean. */
  framesUsed: number;
}

/** Derives references from `file` into `outDir` (created if missing). */
export async function deriveCameoReferences(file: string, outDir: string, options: CameoReferenceOptions = {}): Promise<CameoReferences> {
  void options;
  throw new KlappeError({ code: 'NOT_READY', message: `deriveCameoReferences(${file}, ${outDir}) is not implemented yet` });
}
