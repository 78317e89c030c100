/** Small 3D vector helpers for the previz world (plain tuples, metres, y up). */
export type Vec3 = [number, number, number];

export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const length = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const lerp = (a: Vec3, b: Vec3, t: number): Vec3 => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

export function normalize(a: Vec3): Vec3 {
  const l = length(a);
  return l > 1e-12 ? [a[0] / l, a[1] / l, a[2] / l] : [0, 0, 0];
}

/** Facing in degrees (0 looks along −z, 90 along +x) → unit forward vector on the floor. */
export function forwardOf(yawDeg: number): Vec3 {
  const r = (yawDeg * Math.PI) / 180;
  return [Math.sin(r), 0, -Math.cos(r)];
}

/** The facing (degrees) that looks from `from` towards `to` on the floor. */
export function yawTowards(from: Vec3, to: Vec3): number {
  return (Math.atan2(to[0] - from[0], -(to[2] - from[2])) * 180) / Math.PI;
}

/** Rotates vector v by unit quaternion q = [x, y, z, w]. */
export function rotateByQuat(v: Vec3, q: [number, number, number, number]): Vec3 {
  const [qx, qy, qz, qw] = q;
  const u: Vec3 = [qx, qy, qz];
  const uv = cross(u, v);
  const uuv = cross(u, uv);
  return add(v, add(scale(uv, 2 * qw), scale(uuv, 2)));
}

/** Quaternion for a rotation about +y by `deg` degrees, matching forwardOf (yaw 90 turns −z into +x). */
export function yawQuat(deg: number): [number, number, number, number] {
  const r = (-deg * Math.PI) / 180 / 2;
  return [0, Math.sin(r), 0, Math.cos(r)];
}

/** Shortest signed difference b − a in degrees, in (−180, 180]. */
export function angleDiff(a: number, b: number): number {
  let d = (b - a) % 360;
  if (d > 180) d -= 360;
  if (d <= -180) d += 360;
  return d;
}

export const smoothstep = (t: number): number => {
  const x = Math.min(1, Math.max(0, t));
  return x * x * (3 - 2 * x);
};
