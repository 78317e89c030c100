/**
 * A shot as a camera on its scene's simulation: the FrameSpec of every frame
 * (who speaks, mouth shapes, blinks, listeners looking at the speaker) and
 * the per-frame facts for the take's metadata (world positions, screen boxes).
 */
import type { Shot } from '../../model/schema.js';
import { frameToSample, type Rate } from '../../common/time.js';
import { cameraAt, project, viewOf, type CameraPose } from './camera.js';
import { MOUTH_BOX_RADII } from './draw.js';
import { figureOf, type CharacterSpec, type FrameSpec } from './frame-spec.js';
import type { SceneInput } from './scene-input.js';
import type { SceneSimulation } from './simulate.js';
import type { PrevizSound, ScheduledLine } from './sound-port.js';
import { add, rotateByQuat, type Vec3 } from './vec.js';
import { seededRandom } from '../../util/seeded-random.js';

/** The eight corners of the cube [-1, 1]³ (a box's corners once scaled). */
const CUBE_CORNERS: readonly Vec3[] = [-1, 1].flatMap((x) => [-1, 1].flatMap((y) => [-1, 1].map((z): Vec3 => [x, y, z])));

/** Screen box [x0, y0, x1, y1] in pixels, clipped to the picture; null when off screen. */
export type ScreenBox = [number, number, number, number] | null;

export interface FrameTrack {
  /** Per object id: its box; characters also have `id#head` and `id#mouth`. */
  boxes: Record<string, ScreenBox>;
}

export interface ShotFrames {
  specs: FrameSpec[];
  tracks: FrameTrack[];
  cameras: CameraPose[];
}

export interface ShotFramesInput {
  sim: SceneSimulation;
  scene: SceneInput;
  shot: Shot;
  camera: Shot['camera'];
  seed: number;
  rate: Rate;
  size: { width: number; height: number };
  lines: ScheduledLine[];
  sound?: Pick<PrevizSound, 'mouthAt'>;
}

export function shotFrames(opts: ShotFramesInput): ShotFrames {
  const { sim, scene, shot, rate, size, lines } = opts;
  const fps = rate.num / rate.den;
  const halfFrame = Math.round(48000 / fps / 2);
  const blinks = sim.characters.map((_, i) => blinkSchedule(scene.physics.seed * 1000 + i * 97 + 1, sim.frames / fps + 1));
  const specs: FrameSpec[] = [];
  const tracks: FrameTrack[] = [];
  const cameras: CameraPose[] = [];
  for (let i = 0; i < shot.duration; i++) {
    const f = shot.sceneStart + i;
    const world = sim.world[Math.min(f, sim.world.length - 1)]!;
    const sample = frameToSample(f, rate) + halfFrame;
    const speaking = lines.filter((l) => sample >= l.startSample && sample < l.endSample);
    const characters: CharacterSpec[] = sim.characters.map((c, ci) => {
      const pose = { ...world.characters[c.id]! };
      const own = speaking.find((l) => l.characterId === c.id);
      const other = speaking.find((l) => l.characterId !== c.id);
      if (!own && other) pose.gaze = world.characters[other.characterId]!.head;
      const mouth = own && opts.sound ? opts.sound.mouthAt(own.phonemes, sample) : { open: 0, wide: 0 };
      return { id: c.id, look: c.look, pose, mouth: { open: mouth.open, wide: mouth.wide }, blink: blinkAt(blinks[ci]!, f / fps) };
    });
    const camera = cameraAt(opts.camera, i, shot.duration, opts.seed, fps);
    cameras.push(camera);
    const spec: FrameSpec = {
      width: size.width,
      height: size.height,
      camera,
      set: {
        kind: scene.set.kind,
        width: scene.set.width,
        depth: scene.set.depth,
        wallHeight: scene.set.wallHeight,
        floorColor: scene.set.floorColor,
        wallColor: scene.set.wallColor,
        skyColor: scene.set.skyColor,
      },
      props: sim.props.map((p) => ({
        id: p.id,
        kind: p.kind,
        shape: p.shape,
        size: p.size,
        color: p.color,
        position: world.props[p.id]!.position,
        rotation: world.props[p.id]!.rotation,
      })),
      characters,
    };
    specs.push(spec);
    tracks.push(trackOf(spec));
  }
  return { specs, tracks, cameras };
}

/** Screen boxes of every prop and character (and each character's head and mouth) in a frame. */
export function trackOf(spec: FrameSpec): FrameTrack {
  const view = viewOf(spec.camera, spec.width, spec.height);
  const boxes: Record<string, ScreenBox> = {};
  const boxOf = (pts: Vec3[]): ScreenBox => {
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (const p of pts) {
      const s = project(view, p);
      if (!s) return null;
      x0 = Math.min(x0, s[0]);
      y0 = Math.min(y0, s[1]);
      x1 = Math.max(x1, s[0]);
      y1 = Math.max(y1, s[1]);
    }
    x0 = Math.max(0, x0);
    y0 = Math.max(0, y0);
    x1 = Math.min(spec.width, x1);
    y1 = Math.min(spec.height, y1);
    return x1 > x0 && y1 > y0 ? [round1(x0), round1(y0), round1(x1), round1(y1)] : null;
  };
  for (const p of spec.props) {
    const h: Vec3 = [p.size[0] / 2, p.size[1] / 2, p.size[2] / 2];
    boxes[p.id] = boxOf(CUBE_CORNERS.map(([x, y, z]) => add(p.position, rotateByQuat([x * h[0], y * h[1], z * h[2]], p.rotation))));
  }
  for (const c of spec.characters) {
    const fig = figureOf(c.look, c.pose);
    const pts: Vec3[] = [];
    for (const l of fig.limbs) pts.push(l.a, l.b);
    const r = fig.head.radius;
    const head = CUBE_CORNERS.map(([x, y, z]) => add(fig.head.centre, [x * r, y * r, z * r]));
    boxes[c.id] = boxOf([...pts, ...head]);
    boxes[`${c.id}#head`] = boxOf(head);
    const m = r * MOUTH_BOX_RADII;
    boxes[`${c.id}#mouth`] = boxOf(CUBE_CORNERS.map(([x, y, z]) => add(fig.mouth, [x * m, y * m * 0.7, z * m * 0.3])));
  }
  return { boxes };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Seeded blink times (seconds) over a scene. */
function blinkSchedule(seed: number, seconds: number): number[] {
  const r = seededRandom(seed);
  const out: number[] = [];
  for (let t = 0.5 + r() * 2; t < seconds; t += 2.2 + r() * 3) out.push(t);
  return out;
}

const BLINK_S = 0.16;

function blinkAt(schedule: number[], t: number): number {
  for (const b of schedule) {
    if (b > t) break;
    if (t - b < BLINK_S) return 1 - Math.abs(((t - b) / BLINK_S) * 2 - 1);
  }
  return 0;
}
