/**
 * Where a sound is, heard from a camera: constant-power pan from the source's
 * direction along the listener's right vector, inverse-distance attenuation
 * with a 1 m floor, and a little less level for sources behind the camera.
 */
export type Vec3 = readonly [number, number, number];

export interface ListenerPose {
  position: Vec3;
  forward: Vec3;
  right: Vec3;
}

export interface StereoGain {
  left: number;
  right: number;
}

/** Distance below which sources are not made louder, metres (the level reference). */
export const MIN_DISTANCE = 1.5;
const BEHIND_GAIN = 0.7;

function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function norm(a: Vec3): number {
  return Math.sqrt(dot(a, a));
}

/**
 * Gains for a source at `source`. `distanceExponent` 1 is physical inverse
 * distance; dialogue uses less (0.5) so far voices stay intelligible;
 * `panWidth` scales the pan (1 = full, dialogue uses less).
 */
export function spatialGain(source: Vec3, listener: ListenerPose, opts: { distanceExponent?: number; panWidth?: number } = {}): StereoGain {
  const d: Vec3 = [source[0] - listener.position[0], source[1] - listener.position[1], source[2] - listener.position[2]];
  const dist = norm(d);
  const rightLen = norm(listener.right) || 1;
  const fwdLen = norm(listener.forward) || 1;
  const side = dist > 1e-9 ? dot(d, listener.right) / (rightLen * dist) : 0;
  const front = dist > 1e-9 ? dot(d, listener.forward) / (fwdLen * dist) : 1;
  const pan = Math.max(-1, Math.min(1, side * (opts.panWidth ?? 1)));
  const theta = ((pan + 1) * Math.PI) / 4;
  const level =
    (MIN_DISTANCE / Math.max(dist, MIN_DISTANCE)) ** (opts.distanceExponent ?? 1) *
    (front < 0 ? BEHIND_GAIN + (1 - BEHIND_GAIN) * (1 + front) : 1);
  return { left: Math.cos(theta) * level, right: Math.sin(theta) * level };
}
