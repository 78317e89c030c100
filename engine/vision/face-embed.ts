/**
 * Face embeddings with MobileFaceNet (128-d): the face is aligned by its five
 * keypoints to the 112×112 ArcFace template (a similarity transform), given
 * as RGB with ImageNet mean/std, and the output is L2-normalised, so the
 * cosine similarity of two embeddings is their dot product.
 */
import * as ort from 'onnxruntime-node';
import type { FaceBox } from './face-detect.js';
import { faceSession } from './face-models.js';
import type { RgbFrame } from './frames.js';
import { similarityFromPoints, warpToTensor, type Affine, type Point } from './image.js';

export const EMBEDDING_SIZE = 128;

/** Where the five keypoints sit in an aligned 112×112 face (insightface's ArcFace template). */
export const ARCFACE_TEMPLATE: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

const LAYOUT = {
  size: 112,
  order: 'rgb',
  mean: [0.485 * 255, 0.456 * 255, 0.406 * 255],
  std: [0.229 * 255, 0.224 * 255, 0.225 * 255],
} as const;

/** The map from the aligned 112×112 face to frame pixels. */
export function alignmentMap(box: FaceBox): Affine {
  return similarityFromPoints(ARCFACE_TEMPLATE, box.keypoints);
}

/** The L2-normalised embedding of the face in `box`. */
export async function embedFace(frame: RgbFrame, box: FaceBox): Promise<Float32Array> {
  const session = await faceSession('embedding');
  const input = warpToTensor(frame, alignmentMap(box), LAYOUT);
  const out = await session.run({ input0: new ort.Tensor('float32', input, [1, 3, 112, 112]) });
  return normalise(new Float32Array(out.output0!.data as Float32Array));
}

/** Scales `v` to unit length (in place) and returns it. */
export function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

/** Cosine similarity of two embeddings (-1..1). */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / (Math.sqrt(na * nb) || 1);
}

/** The normalised mean of several embeddings (a reference from many frames). */
export function meanEmbedding(list: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(EMBEDDING_SIZE);
  for (const e of list) for (let i = 0; i < out.length; i++) out[i]! += e[i]!;
  return normalise(out);
}
