/**
 * MediaPipe face mesh on a detected face: 468 points (x, y in frame pixels, z
 * in the same scale, smaller = nearer the camera) and derived measures: mouth
 * openness, eye openness (for blinks) and head yaw.
 *
 * The crop follows MediaPipe's face-landmark graph: a square 1.5× the face box,
 * rotated so the eyes are level, resized to 192×192, RGB in [0, 1].
 */
import * as ort from 'onnxruntime-node';
import type { FaceBox } from './face-detect.js';
import { faceSession } from './face-models.js';
import type { RgbFrame } from './frames.js';
import { warpToTensor, type Affine } from './image.js';

export interface Point3 {
  x: number;
  y: number;
  z: number;
}

export interface FaceMesh {
  points: Point3[];
  /** Probability that the crop holds a face (0..1). */
  faceScore: number;
}

export interface FaceMeasures {
  /** Inner-lip gap over mouth width (0 closed, ~0.5+ wide open). */
  mouthOpen: number;
  /** Eye aspect ratio, mean of both eyes (~0.25–0.35 open, < ~0.15 closed). */
  eyeOpen: number;
  /** Head yaw in degrees (0 frontal; sign: + when the face turns to the image's left). */
  yawDeg: number;
  /** Head roll in degrees (eye line against the horizontal). */
  rollDeg: number;
}

const SIZE = 192;
const LAYOUT = { size: SIZE, order: 'rgb', mean: [0, 0, 0], std: [255, 255, 255] } as const;

/** The 468-point mesh of the face in `box`. */
export async function faceMesh(frame: RgbFrame, box: FaceBox): Promise<FaceMesh> {
  const session = await faceSession('mesh');
  const [re, le] = box.keypoints;
  const angle = Math.atan2(le.y - re.y, le.x - re.x);
  const side = 1.5 * Math.max(box.width, box.height);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const s = side / SIZE;
  const cos = Math.cos(angle) * s;
  const sin = Math.sin(angle) * s;
  // output (u, v) → frame: centre + R(angle)·s·(u − 96, v − 96)
  const map: Affine = {
    a: cos,
    b: -sin,
    c: cx - cos * (SIZE / 2) + sin * (SIZE / 2),
    d: sin,
    e: cos,
    f: cy - sin * (SIZE / 2) - cos * (SIZE / 2),
  };
  const input = warpToTensor(frame, map, LAYOUT);
  const out = await session.run({ input_1: new ort.Tensor('float32', input, [1, 3, SIZE, SIZE]) });
  const raw = out.conv2d_21!.data as Float32Array;
  const logit = (out.conv2d_31!.data as Float32Array)[0]!;
  const points: Point3[] = [];
  for (let i = 0; i < 468; i++) {
    const u = raw[i * 3]!;
    const v = raw[i * 3 + 1]!;
    points.push({ x: map.a * u + map.b * v + map.c, y: map.d * u + map.e * v + map.f, z: raw[i * 3 + 2]! * s });
  }
  return { points, faceScore: 1 / (1 + Math.exp(-logit)) };
}

// Mesh indices (MediaPipe canonical face model).
const LIP_UPPER_INNER = 13;
const LIP_LOWER_INNER = 14;
const MOUTH_RIGHT = 78;
const MOUTH_LEFT = 308;
const RIGHT_EYE = [33, 160, 158, 133, 153, 144] as const;
const LEFT_EYE = [362, 385, 387, 263, 373, 380] as const;
const CHEEK_RIGHT = 234;
const CHEEK_LEFT = 454;

/** Mouth and eye openness, yaw and roll from a mesh. Pure. */
export function faceMeasures(mesh: FaceMesh): FaceMeasures {
  const p = mesh.points;
  const mouthOpen = dist(p[LIP_UPPER_INNER]!, p[LIP_LOWER_INNER]!) / Math.max(1e-6, dist(p[MOUTH_RIGHT]!, p[MOUTH_LEFT]!));
  const eyeOpen = (eyeAspect(p, RIGHT_EYE) + eyeAspect(p, LEFT_EYE)) / 2;
  const r = p[CHEEK_RIGHT]!;
  const l = p[CHEEK_LEFT]!;
  const yawDeg = (Math.atan2(l.z - r.z, l.x - r.x) * 180) / Math.PI;
  const rollDeg = (Math.atan2(p[263]!.y - p[33]!.y, p[263]!.x - p[33]!.x) * 180) / Math.PI;
  return { mouthOpen, eyeOpen, yawDeg: -yawDeg, rollDeg };
}

function eyeAspect(p: Point3[], idx: readonly [number, number, number, number, number, number]): number {
  const [p1, p2, p3, p4, p5, p6] = idx.map((i) => p[i]!) as [Point3, Point3, Point3, Point3, Point3, Point3];
  return (dist(p2, p6) + dist(p3, p5)) / Math.max(1e-6, 2 * dist(p1, p4));
}

function dist(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
