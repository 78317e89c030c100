/**
 * Face detection with YuNet-s (dynamic input): boxes with a score and five
 * keypoints (the person's right eye, left eye, nose tip, right and left mouth
 * corner; "right" is on the image's left for a face looking at the camera).
 * Decoding follows OpenCV's FaceDetectorYN: per stride 8/16/32, score =
 * sqrt(cls·obj), box centre = (cell + offset)·stride, size = exp(·)·stride,
 * then non-maximum suppression.
 */
import * as ort from 'onnxruntime-node';
import { faceSession } from './face-models.js';
import type { RgbFrame } from './frames.js';
import type { Point } from './image.js';

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** 0..1 */
  score: number;
  /** right eye, left eye, nose tip, right mouth corner, left mouth corner (frame pixels). */
  keypoints: [Point, Point, Point, Point, Point];
}

export interface DetectOptions {
  /** Minimum score (default 0.6). */
  scoreThreshold?: number;
  /** Boxes overlapping a better one by more than this IoU are dropped (default 0.3). */
  nmsIou?: number;
  /** Boxes smaller than this share of the frame's shorter side are ignored (default 0.04). */
  minSizeShare?: number;
}

const STRIDES = [8, 16, 32] as const;

/** Faces in one frame, best first. */
export async function detectFaces(frame: RgbFrame, opts: DetectOptions = {}): Promise<FaceBox[]> {
  const session = await faceSession('detector');
  const padW = Math.ceil(frame.width / 32) * 32;
  const padH = Math.ceil(frame.height / 32) * 32;
  const input = new Float32Array(3 * padW * padH);
  const plane = padW * padH;
  const { data, width, height } = frame;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const o = y * padW + x;
      // BGR, 0..255
      input[o] = data[i + 2]!;
      input[plane + o] = data[i + 1]!;
      input[2 * plane + o] = data[i]!;
    }
  }
  const out = await session.run({ input: new ort.Tensor('float32', input, [1, 3, padH, padW]) });
  const threshold = opts.scoreThreshold ?? 0.6;
  const minSide = (opts.minSizeShare ?? 0.04) * Math.min(width, height);
  const found: FaceBox[] = [];
  for (const s of STRIDES) {
    const cols = padW / s;
    const cls = out[`cls_${s}`]!.data as Float32Array;
    const obj = out[`obj_${s}`]!.data as Float32Array;
    const bbox = out[`bbox_${s}`]!.data as Float32Array;
    const kps = out[`kps_${s}`]!.data as Float32Array;
    for (let i = 0; i < cls.length; i++) {
      const score = Math.sqrt(clamp01(cls[i]!) * clamp01(obj[i]!));
      if (score < threshold) continue;
      const c = i % cols;
      const r = Math.floor(i / cols);
      const cx = (c + bbox[i * 4]!) * s;
      const cy = (r + bbox[i * 4 + 1]!) * s;
      const w = Math.exp(bbox[i * 4 + 2]!) * s;
      const h = Math.exp(bbox[i * 4 + 3]!) * s;
      if (Math.min(w, h) < minSide) continue;
      const k = (n: number): Point => ({ x: (kps[i * 10 + 2 * n]! + c) * s, y: (kps[i * 10 + 2 * n + 1]! + r) * s });
      found.push({ x: cx - w / 2, y: cy - h / 2, width: w, height: h, score, keypoints: [k(0), k(1), k(2), k(3), k(4)] });
    }
  }
  return nonMaxSuppression(found, opts.nmsIou ?? 0.3);
}

export function iou(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

function nonMaxSuppression(boxes: FaceBox[], maxIou: number): FaceBox[] {
  const sorted = [...boxes].sort((p, q) => q.score - p.score);
  const kept: FaceBox[] = [];
  for (const b of sorted) if (kept.every((k) => iou(k, b) <= maxIou)) kept.push(b);
  return kept;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
