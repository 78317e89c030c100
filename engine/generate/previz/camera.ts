/**
 * A shot's camera over its frames: the storyboard camera plus its move
 * (pan, tilt, dolly, orbit, handheld shake seeded by the shot), and the
 * perspective projection of world points onto the picture.
 */
import type { Camera } from '../../model/schema.js';
import { add, cross, dot, length, normalize, scale, smoothstep, sub, type Vec3 } from './vec.js';
import { seededRandom } from '../../util/seeded-random.js';

export interface CameraPose {
  position: Vec3;
  target: Vec3;
  lensMm: number;
}

export interface View {
  position: Vec3;
  forward: Vec3;
  right: Vec3;
  up: Vec3;
  /** Focal length in pixels. */
  focal: number;
  width: number;
  height: number;
}

/** Near clipping distance, metres. */
export const NEAR = 0.05;

/** The camera of frame `i` of a shot of `frames` frames. */
export function cameraAt(camera: Camera, i: number, frames: number, seed: number, fps: number): CameraPose {
  const u = frames > 1 ? smoothstep(i / (frames - 1)) : 0;
  let position: Vec3 = [...camera.position];
  let target: Vec3 = [...camera.target];
  const amount = camera.move.amount;
  switch (camera.move.type) {
    case 'pan':
      target = add(position, rotateY(sub(target, position), amount * u));
      break;
    case 'tilt': {
      const dir = sub(target, position);
      const right = normalize(cross(dir, [0, 1, 0]));
      target = add(position, rotateAxis(dir, right, amount * u));
      break;
    }
    case 'dolly': {
      const dir = normalize(sub(target, position));
      position = add(position, scale(dir, amount * u));
      break;
    }
    case 'orbit':
      position = add(target, rotateY(sub(position, target), amount * u));
      break;
    case 'handheld': {
      // Smooth seeded shake: a few sines per axis; `amount` scales it (1 ≈ 2 cm and 1°).
      const r = seededRandom(seed * 7919 + 17);
      const t = i / fps;
      const wobble = () => {
        let v = 0;
        for (let k = 0; k < 3; k++) {
          const fHz = 0.3 + r() * 1.4;
          v += Math.sin(2 * Math.PI * fHz * t + r() * Math.PI * 2) / (k + 1);
        }
        return v / 1.83;
      };
      const a = amount || 0.5;
      const dist = length(sub(target, position));
      position = add(position, scale([wobble(), wobble(), wobble()], 0.02 * a));
      target = add(target, scale([wobble(), wobble(), wobble()], dist * Math.tan((Math.PI / 180) * a)));
      break;
    }
    case 'static':
      break;
  }
  return { position, target, lensMm: camera.lensMm };
}

/** Focal length in pixels: the short side of the picture spans 20.25 mm of a 36 mm-wide sensor (16:9 full-frame crop). */
export function focalPixels(lensMm: number, width: number, height: number): number {
  return (lensMm / 20.25) * Math.min(width, height);
}

export function viewOf(pose: CameraPose, width: number, height: number): View {
  const forward = normalize(sub(pose.target, pose.position));
  let right = normalize(cross(forward, [0, 1, 0]));
  if (length(right) < 1e-6) right = [1, 0, 0];
  const up = cross(right, forward);
  return { position: pose.position, forward, right, up, focal: focalPixels(pose.lensMm, width, height), width, height };
}

/** Camera-space coordinates (x right, y up, z depth ahead). */
export function toCamera(view: View, p: Vec3): Vec3 {
  const d = sub(p, view.position);
  return [dot(d, view.right), dot(d, view.up), dot(d, view.forward)];
}

/** Screen point of a camera-space point (z must be ≥ NEAR). */
export function toScreen(view: View, c: Vec3): [number, number] {
  return [view.width / 2 + (view.focal * c[0]) / c[2], view.height / 2 - (view.focal * c[1]) / c[2]];
}

/** Screen point of a world point, or undefined behind the camera. */
export function project(view: View, p: Vec3): [number, number, number] | undefined {
  const c = toCamera(view, p);
  if (c[2] < NEAR) return undefined;
  const s = toScreen(view, c);
  return [s[0], s[1], c[2]];
}

function rotateY(v: Vec3, deg: number): Vec3 {
  const r = (deg * Math.PI) / 180;
  const c = Math.cos(r);
  const s = Math.sin(r);
  // Positive degrees turn to the right seen from above (like facing).
  return [v[0] * c - v[2] * s, v[1], v[0] * s + v[2] * c];
}

function rotateAxis(v: Vec3, axis: Vec3, deg: number): Vec3 {
  const r = (deg * Math.PI) / 180;
  const c = Math.cos(r);
  const s = Math.sin(r);
  return add(add(scale(v, c), scale(cross(axis, v), s)), scale(axis, dot(axis, v) * (1 - c)));
}
