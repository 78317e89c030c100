/**
 * What one picture shows: the camera, the set, and every prop and character
 * with its pose, eyes and mouth. Plain data (structured-clone safe) so frames
 * can be drawn in worker threads. Also the body geometry of a character,
 * shared by the drawing and the screen tracks.
 */
import type { Look, SceneSet } from '../../model/schema.js';
import type { CameraPose } from './camera.js';
import type { PropShape } from '../../common/prop-kinds.js';
import type { CharacterPose, Quat } from './simulate.js';
import { add, angleDiff, forwardOf, normalize, scale, sub, yawTowards, type Vec3 } from './vec.js';

export interface PropSpec {
  id: string;
  kind: string;
  shape: PropShape;
  size: Vec3;
  color: string;
  position: Vec3;
  rotation: Quat;
}

export interface CharacterSpec {
  id: string;
  look: Look;
  pose: CharacterPose;
  /** Mouth opening 0..1 and width 0..1 (from the visemes). */
  mouth: { open: number; wide: number };
  /** 0 eyes open … 1 closed. */
  blink: number;
}

export interface FrameSpec {
  width: number;
  height: number;
  camera: CameraPose;
  set: Pick<SceneSet, 'kind' | 'width' | 'depth' | 'wallHeight' | 'floorColor' | 'wallColor' | 'skyColor'>;
  props: PropSpec[];
  characters: CharacterSpec[];
}

export interface Limb {
  a: Vec3;
  b: Vec3;
  radius: number;
  color: string;
}

export interface Figure {
  limbs: Limb[];
  /** Torso as an upright box: centre, half sizes (right, up, forward), facing. */
  torso: { centre: Vec3; half: Vec3; facingDeg: number; color: string };
  head: { centre: Vec3; radius: number };
  /** Where the face looks (unit, world) and where the eyes look (unit, world). */
  faceForward: Vec3;
  eyeDir: Vec3;
  /** Mouth centre on the face, world. */
  mouth: Vec3;
  eyes: [Vec3, Vec3];
}

/** The body of a character in world space for its pose. */
export function figureOf(look: Look, pose: CharacterPose): Figure {
  const H = look.height;
  const s = pose.sit;
  const f = forwardOf(pose.facingDeg);
  const right: Vec3 = [-f[2], 0, f[0]];
  const p = pose.position;
  const hipY = H * 0.5 * (1 - s) + 0.45 * s;
  const hip = add(p, [0, hipY, 0]);
  const shoulderY = hipY + H * 0.32;
  const limbR = H * 0.045;
  const swing = Math.sin(pose.walkPhase) * 0.45 * pose.walking;
  const limbs: Limb[] = [];
  for (const side of [-1, 1]) {
    const hipSide = add(hip, scale(right, side * H * 0.055));
    const legSwing = side * swing;
    if (s > 0.5) {
      const knee = add(hipSide, scale(f, 0.42 * s));
      const foot = add([knee[0], 0.02, knee[2]], scale(f, 0.05));
      limbs.push({ a: hipSide, b: knee, radius: limbR * 1.1, color: look.pants }, { a: knee, b: foot, radius: limbR, color: look.pants });
    } else {
      const foot = add(
        add(p, scale(right, side * H * 0.06)),
        add(scale(f, Math.sin(legSwing) * H * 0.28), [0, 0.04 + Math.max(0, Math.sin(legSwing)) * 0.04, 0]),
      );
      limbs.push({ a: hipSide, b: foot, radius: limbR * 1.1, color: look.pants });
    }
  }
  const shoulderL = add(add(p, [0, shoulderY, 0]), scale(right, -H * 0.12));
  const shoulderR = add(add(p, [0, shoulderY, 0]), scale(right, H * 0.12));
  const handL = add(add(shoulderL, [0, -H * 0.34, 0]), add(scale(f, -swing * H * 0.15), scale(right, -0.03)));
  limbs.push({ a: shoulderL, b: handL, radius: limbR * 0.8, color: look.shirt });
  const handR = pose.reach > 0 ? pose.hand : add(add(shoulderR, [0, -H * 0.34, 0]), add(scale(f, swing * H * 0.15), scale(right, 0.03)));
  limbs.push({ a: shoulderR, b: handR, radius: limbR * 0.8, color: look.shirt });
  limbs.push(
    { a: handL, b: handL, radius: limbR * 0.75, color: look.skin },
    { a: handR, b: handR, radius: limbR * 0.75, color: look.skin },
  );

  const headR = H * 0.068;
  const headC = pose.head;
  // The head turns towards the gaze up to 60° from the body; the eyes do the rest.
  let faceYaw = pose.facingDeg;
  let eyeDir: Vec3 = f;
  if (pose.gaze) {
    const want = yawTowards(headC, pose.gaze);
    const d = angleDiff(pose.facingDeg, want);
    faceYaw = pose.facingDeg + Math.max(-60, Math.min(60, d));
    eyeDir = normalize(sub(pose.gaze, headC));
  }
  const ff = forwardOf(faceYaw);
  const fr: Vec3 = [-ff[2], 0, ff[0]];
  const eyes: [Vec3, Vec3] = [
    add(headC, add(add(scale(ff, headR * 0.85), scale(fr, -headR * 0.36)), [0, headR * 0.18, 0])),
    add(headC, add(add(scale(ff, headR * 0.85), scale(fr, headR * 0.36)), [0, headR * 0.18, 0])),
  ];
  const mouth = add(headC, add(scale(ff, headR * 0.9), [0, -headR * 0.42, 0]));
  return {
    limbs,
    torso: {
      centre: add(p, [0, (hipY + shoulderY) / 2, 0]),
      half: [H * 0.12, (shoulderY - hipY) / 2 + limbR, H * 0.07],
      facingDeg: pose.facingDeg,
      color: look.shirt,
    },
    head: { centre: headC, radius: headR },
    faceForward: ff,
    eyeDir,
    mouth,
    eyes,
  };
}
