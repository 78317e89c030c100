/**
 * Variations: "Generate again" gives a shot a variation seed (at or above
 * VARIATION_SEED_BASE; engine/model/variation-seed.ts picks it) and the take
 * made with it is another performance of the same direction:
 * - blocking: the characters stand a little elsewhere (vary-blocking.ts);
 * - timing: actions and lines start a few frames earlier or later, within
 *   their shots (vary-timing.ts); blinks and footsteps fall differently;
 * - camera: the operator follows the framed subject to where it now stands,
 *   stands a few centimetres elsewhere, aims a fraction of a degree off, and
 *   a static camera breathes a little (handheld) — varyCamera.
 * Whoever the directed take shows whole (the framed subject; everybody in a
 * wide or an unframed shot) stays whole in the picture: where a variation
 * would cut them, a smaller one is taken (performTake).
 * The same seed always gives the same take. Lower seeds are the shot as
 * directed: nothing here changes them, and every such shot of a scene shares
 * one simulation (continuity). A variation runs its own simulation of the scene.
 */
import { insideSet } from '../../model/framing.js';
import type { Camera, Character, Framing } from '../../model/schema.js';
import { isVariationSeed } from '../../model/variation-seed.js';
import { mixSeed, seededRandom } from '../../util/seeded-random.js';
import type { Rate } from '../../common/time.js';
import type { SceneInput } from './scene-input.js';
import { shotFrames, type ScreenBox, type ShotFrames, type ShotFramesInput } from './shot-frames.js';
import { simulateScene, type SceneSimulation } from './simulate.js';
import type { ScheduledLine } from './sound-port.js';
import { varyBlocking, type FloorPoint } from './vary-blocking.js';
import { varyActionTiming, varyLineTiming } from './vary-timing.js';

export { VARIATION_SEED_BASE } from '../../model/variation-seed.js';

/** How much of a variation is tried, largest first, until whoever must stay in frame does. */
const SHARES = [1, 0.5, 0.25] as const;

export interface VariedScene {
  scene: SceneInput;
  /** Per character: how far their blocking moved on the floor [x, z]. */
  offsets: Record<string, FloorPoint>;
}

/** The scene as the take with `seed` performs it: blocking and action timing varied by `share` of the most, blinks and footsteps reseeded. */
export function varyScene(scene: SceneInput, seed: number, rate: Rate, share = 1): VariedScene {
  const blocking = varyBlocking(scene, seed, share);
  const timed = varyActionTiming(blocking.scene, seed, rate, share);
  return {
    scene: { ...timed, physics: { ...timed.physics, seed: mixSeed(seed, 'physics', scene.physics.seed) } },
    offsets: blocking.offsets,
  };
}

export interface TakeInput extends Omit<ShotFramesInput, 'sim' | 'lines'> {
  /** The scene's cast in mark order. */
  cast: Character[];
  /** The scene's lines as directed (speakScene). */
  spoken: ScheduledLine[];
}

export interface TakePerformance {
  scene: SceneInput;
  sim: SceneSimulation;
  lines: ScheduledLine[];
  frames: ShotFrames;
}

/**
 * The take of `input.seed`: the scene as directed for a seed below
 * VARIATION_SEED_BASE, else the largest share of the variation (blocking,
 * timing, then the camera's own share) that keeps whole in the picture, on
 * every frame, whoever the directed take shows whole there.
 */
export async function performTake(input: TakeInput): Promise<TakePerformance> {
  const { scene: directedScene, cast, spoken, seed, rate } = input;
  const sim = await simulateScene(directedScene, cast, rate);
  const directed = { scene: directedScene, sim, lines: spoken, frames: shotFrames({ ...input, sim, lines: spoken }) };
  if (!isVariationSeed(seed)) return directed;
  const watched = watchedHeads(input.shot.framing, directedScene);
  for (const share of SHARES) {
    const { scene, offsets } = varyScene(directedScene, seed, rate, share);
    const varied = await simulateScene(scene, cast, rate);
    const lines = varyLineTiming(spoken, directedScene, seed, rate, share);
    const followed = followBlocking(input.camera, input.shot.framing, offsets, scene.set);
    for (const cameraShare of [...SHARES, 0]) {
      const frames = shotFrames({ ...input, scene, sim: varied, lines, camera: varyCamera(followed, seed, cameraShare) });
      if (keepsWhole(directed.frames, frames, watched, input.size)) return { scene, sim: varied, lines, frames };
    }
  }
  return directed;
}

/** Whose heads must stay whole in the picture: a framed subject (a close-up's, a medium's…); everybody in a wide or an unframed shot. */
function watchedHeads(framing: Framing | undefined, scene: SceneInput): string[] {
  const cast = scene.marks.map((m) => m.characterId);
  if (framing && framing.size !== 'wide' && cast.includes(framing.subjectId)) return [`${framing.subjectId}#head`];
  return cast.map((id) => `${id}#head`);
}

function keepsWhole(directed: ShotFrames, varied: ShotFrames, heads: string[], size: { width: number; height: number }): boolean {
  return directed.tracks.every((t, i) => heads.every((h) => !whole(t.boxes[h], size) || whole(varied.tracks[i]!.boxes[h], size)));
}

/**
 * The camera of a framed shot following the varied blocking: the aim moves with
 * the subject (with the group's middle for a wide) and the camera keeps its
 * distance to the subject (the size of the shot); an over-the-shoulder's camera
 * moves with its foreground character instead. A move that would leave the set
 * is not made.
 */
export function followBlocking(
  camera: Camera,
  framing: Framing | undefined,
  offsets: Record<string, FloorPoint>,
  set: SceneInput['set'],
): Camera {
  if (!framing) return camera;
  const all = Object.values(offsets);
  const wide = framing.size === 'wide' && all.length > 1;
  const aim: FloorPoint = wide
    ? [all.reduce((s, o) => s + o[0], 0) / all.length, all.reduce((s, o) => s + o[1], 0) / all.length]
    : (offsets[framing.subjectId] ?? [0, 0]);
  let step: FloorPoint = [0, 0];
  if (framing.size === 'over-the-shoulder') step = (framing.overId && offsets[framing.overId]) || [0, 0];
  else if (!wide) {
    // along the line of sight only: the subject keeps its size, the rest of the move is a pan
    const dx = camera.target[0] - camera.position[0];
    const dz = camera.target[2] - camera.position[2];
    const len = Math.hypot(dx, dz);
    const along = len > 1e-6 ? (aim[0] * dx + aim[1] * dz) / len : 0;
    if (len > 1e-6) step = [(along * dx) / len, (along * dz) / len];
  }
  const moved: [number, number, number] = [camera.position[0] + step[0], camera.position[1], camera.position[2] + step[1]];
  return {
    ...camera,
    position: insideSet(set, moved) ? moved : camera.position,
    target: [camera.target[0] + aim[0], camera.target[1], camera.target[2] + aim[1]],
  };
}

/** A screen box that lies inside the picture, not cut by its edges (boxes are clipped to it). */
function whole(box: ScreenBox | undefined, size: { width: number; height: number }): boolean {
  return !!box && box[0] > 0 && box[1] > 0 && box[2] < size.width && box[3] < size.height;
}

/** The camera a few centimetres and a fraction of a degree off, a static one breathing a little; `share` scales it all. */
export function varyCamera(camera: Camera, seed: number, share = 1): Camera {
  if (!isVariationSeed(seed) || share <= 0) return camera;
  const r = seededRandom(mixSeed(seed, 'camera'));
  const j = (m: number) => (r() * 2 - 1) * m * share;
  return {
    ...camera,
    position: [camera.position[0] + j(0.06), camera.position[1] + j(0.03), camera.position[2] + j(0.06)],
    target: [camera.target[0] + j(0.05), camera.target[1] + j(0.03), camera.target[2] + j(0.05)],
    lensMm: Math.max(8, Math.min(300, camera.lensMm * (1 + j(0.04)))),
    move: camera.move.type === 'static' ? { type: 'handheld', amount: (0.15 + r() * 0.2) * share } : camera.move,
  };
}
