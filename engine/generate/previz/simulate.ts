/**
 * One scene, one simulation: the set, props and characters of a scene built
 * into a Rapier world and stepped at a fixed rate over the scene's whole time.
 * Characters are kinematic capsules moved by the scene's actions; props fall,
 * bounce and slide. The result (world state per scene frame, contact events)
 * is cached per scene within the process, so every shot of a scene looks at
 * the same world.
 */
import type RAPIER_T from '@dimforge/rapier3d-compat';
import type { ContactEvent, Material } from '../../audio/sfx/contact-event.js';
import type { Action, Character } from '../../model/schema.js';
import { AUDIO_RATE, sampleToFrame, type Rate } from '../../common/time.js';
import { canonicalJson, sha256Hex } from '../../util/hash.js';
import { LruCache } from '../../util/lru-cache.js';
import { WorkerCalls } from '../../util/worker-calls.js';
import { resolveProp, type ResolvedProp } from '../../common/prop-kinds.js';
import { loadRapier } from './rapier.js';
import { checkScene, sceneFrames, type SceneInput } from './scene-input.js';
import { add, angleDiff, forwardOf, length, lerp, scale, smoothstep, sub, yawQuat, yawTowards, type Vec3 } from './vec.js';
import { seededRandom } from '../../util/seeded-random.js';

export type Quat = [number, number, number, number];

export interface PropPose {
  position: Vec3;
  rotation: Quat;
}

export interface CharacterPose {
  /** Point on the floor between the feet. */
  position: Vec3;
  facingDeg: number;
  /** World point the eyes look at, or null (straight ahead). */
  gaze: Vec3 | null;
  /** 0 standing … 1 seated. */
  sit: number;
  /** 0 arm down … 1 arm reaching out. */
  reach: number;
  /** Where the right hand is. */
  hand: Vec3;
  /** Walk cycle phase in radians (legs swing with sin(phase)); constant when standing. */
  walkPhase: number;
  /** 1 while walking, 0 standing still (legs and arms swing). */
  walking: number;
  /** Head centre (speech source). */
  head: Vec3;
}

export interface WorldFrame {
  props: Record<string, PropPose>;
  characters: Record<string, CharacterPose>;
}

export interface SimCharacter {
  id: string;
  name: string;
  look: Character['look'];
}

export interface SceneSimulation {
  sceneId: string;
  rate: Rate;
  stepHz: number;
  /** Scene frames simulated: world[f] is the state shown in scene frame f. */
  frames: number;
  props: ResolvedProp[];
  characters: SimCharacter[];
  world: WorldFrame[];
  /** Impacts and footsteps, in scene time, sorted by sample. */
  contacts: ContactEvent[];
}

const CAPSULE_RADIUS = 0.2;
const WALK_SPEED = 1.25; // m/s
const STRIDE = 0.7; // m per step
const IMPACT_DV = 0.35; // m/s change that counts as an impact
const IMPACT_GAP_S = 0.05;
/** Props settle onto what they stand on during the first moments; no sounds then. */
const SETTLE_S = 0.1;

/** Scene simulations of this process, by scene, characters and rate: the shots of a scene share one. */
export const simulationCache = new LruCache<string, Promise<SceneSimulation>>({
  maxEntries: 32,
  maxBytes: 256 * 2 ** 20,
  sizeOf: simulationBytes,
});

/** Estimated memory of a simulation: its poses per frame and its contacts. */
function simulationBytes(sim: SceneSimulation): number {
  return sim.world.length * (sim.props.length * 160 + sim.characters.length * 480) + sim.contacts.length * 160;
}

/** The simulation of a scene, computed once (while cached) for the same scene, characters and rate. */
export function simulateScene(scene: SceneInput, characters: Character[], rate: Rate): Promise<SceneSimulation> {
  const key = sha256Hex(
    canonicalJson({
      scene: { ...scene, shots: scene.shots.map((s) => ({ sceneStart: s.sceneStart, duration: s.duration })) },
      characters,
      rate,
    }),
  );
  return simulationCache.getOrCreate(key, () => simulationWorker.call<SceneSimulation>('simulateHere', [scene, characters, rate]));
}

/** The physics runs in a worker thread: a scene is up to seconds of synchronous stepping that would stall the host. */
const simulationWorker = new WorkerCalls(new URL('./simulate-worker.ts', import.meta.url), 'simulate-worker', 'previz physics');

/** The simulation, on this thread (simulate-worker.ts calls it). */
export function simulateHere(scene: SceneInput, characters: Character[], rate: Rate): Promise<SceneSimulation> {
  return runSimulation(scene, characters, rate);
}

/** Head height above the floor of a character standing (sit 0) or seated (sit 1). */
export function headHeight(height: number, sit: number): number {
  return height * 0.92 - sit * height * 0.3;
}

function handPosition(pos: Vec3, facing: number, height: number, reach: number, sit: number, reachTarget: Vec3 | null): Vec3 {
  const f = forwardOf(facing);
  const right: Vec3 = [-f[2], 0, f[0]];
  const rest: Vec3 = add(add(pos, add(scale(f, 0.3), scale(right, 0.2))), [0, height * 0.5 - sit * height * 0.25, 0]);
  if (!reachTarget || reach <= 0) return rest;
  // Reach towards the target, but no further than an arm's length from the shoulder.
  const shoulder: Vec3 = add(add(pos, scale(right, 0.2)), [0, height * 0.8 - sit * height * 0.3, 0]);
  let d = sub(reachTarget, shoulder);
  const arm = height * 0.42;
  if (length(d) > arm) d = scale(d, arm / length(d));
  return lerp(rest, add(shoulder, d), reach);
}

interface ActorState {
  id: string;
  height: number;
  position: Vec3;
  facing: number;
  gazeTarget: { id?: string; point?: Vec3 } | null;
  sit: number;
  reach: number;
  reachTarget: Vec3 | null;
  holding: string | null;
  walked: number;
  walking: number;
  nextStep: number;
  stepFoot: number;
}

async function runSimulation(scene: SceneInput, characters: Character[], rate: Rate): Promise<SceneSimulation> {
  checkScene(scene, characters, rate);
  const R = await loadRapier();
  const frames = sceneFrames(scene);
  const stepHz = scene.physics.stepHz;
  const dt = 1 / stepHz;
  const world = new R.World({ x: 0, y: scene.physics.gravity, z: 0 });
  world.timestep = dt;
  const random = seededRandom(scene.physics.seed);
  const outdoor = scene.set.kind === 'outdoor';
  const floorMaterial: Material = outdoor ? 'grass' : 'floor';

  const idOfCollider = new Map<number, string>();
  const materialOf = new Map<string, Material>([
    ['floor', floorMaterial],
    ['wall', 'wood'],
  ]);

  // The set: floor (with margin outdoors) and walls around a room.
  const w = scene.set.width;
  const d = scene.set.depth;
  const margin = outdoor ? Math.max(w, d) : 0.5;
  const ground = world.createRigidBody(R.RigidBodyDesc.fixed().setTranslation(0, -0.5, 0));
  idOfCollider.set(
    world.createCollider(
      R.ColliderDesc.cuboid(w / 2 + margin, 0.5, d / 2 + margin)
        .setFriction(0.8)
        .setRestitution(0),
      ground,
    ).handle,
    'floor',
  );
  if (!outdoor) {
    const h = scene.set.wallHeight;
    const walls: Array<[number, number, number, number]> = [
      [0, -d / 2 - 0.1, w / 2 + 0.2, 0.1],
      [0, d / 2 + 0.1, w / 2 + 0.2, 0.1],
      [-w / 2 - 0.1, 0, 0.1, d / 2 + 0.2],
      [w / 2 + 0.1, 0, 0.1, d / 2 + 0.2],
    ];
    for (const [x, z, hx, hz] of walls) {
      const b = world.createRigidBody(R.RigidBodyDesc.fixed().setTranslation(x, h / 2, z));
      idOfCollider.set(
        world.createCollider(
          R.ColliderDesc.cuboid(hx, h / 2, hz)
            .setFriction(0.6)
            .setRestitution(0),
          b,
        ).handle,
        'wall',
      );
    }
  }

  // Props.
  const props = scene.props.map(resolveProp);
  const bodies = new Map<string, RAPIER_T.RigidBody>();
  for (const p of props) {
    const q = yawQuat(p.yawDeg);
    const desc = (
      p.fixed ? (p.kind === 'door' ? R.RigidBodyDesc.kinematicPositionBased() : R.RigidBodyDesc.fixed()) : R.RigidBodyDesc.dynamic()
    )
      .setTranslation(p.position[0], p.position[1], p.position[2])
      .setRotation({ x: q[0], y: q[1], z: q[2], w: q[3] })
      .setCcdEnabled(!p.fixed);
    const body = world.createRigidBody(desc);
    const shape = propCollider(R, p);
    shape.setMass(p.massKg).setRestitution(p.restitution).setFriction(p.friction).setRestitutionCombineRule(R.CoefficientCombineRule.Max);
    idOfCollider.set(world.createCollider(shape, body).handle, p.id);
    bodies.set(p.id, body);
    materialOf.set(p.id, p.material);
  }

  // Characters: kinematic capsules on their marks.
  const looks = new Map(characters.map((c) => [c.id, c]));
  const actors: ActorState[] = [];
  const actorBodies = new Map<string, RAPIER_T.RigidBody>();
  for (const m of scene.marks) {
    const c = looks.get(m.characterId)!;
    const height = c.look.height;
    const position: Vec3 = [m.position[0], 0, m.position[1]];
    actors.push({
      id: c.id,
      height,
      position,
      facing: m.facingDeg,
      gazeTarget: null,
      sit: 0,
      reach: 0,
      reachTarget: null,
      holding: null,
      walked: 0,
      walking: 0,
      nextStep: STRIDE / 2,
      stepFoot: 0,
    });
    const body = world.createRigidBody(R.RigidBodyDesc.kinematicPositionBased().setTranslation(position[0], height / 2, position[2]));
    const half = Math.max(0.05, height / 2 - CAPSULE_RADIUS);
    idOfCollider.set(world.createCollider(R.ColliderDesc.capsule(half, CAPSULE_RADIUS).setFriction(0.5), body).handle, c.id);
    actorBodies.set(c.id, body);
    materialOf.set(c.id, 'flesh');
  }
  const actorById = new Map(actors.map((a) => [a.id, a]));

  const toSeconds = (f: number) => (f * rate.den) / rate.num;
  const fps = rate.num / rate.den;
  const actions = [...scene.actions].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  const started = new Set<string>();
  const fired = new Set<string>();
  const startInfo = new Map<string, { from: Vec3; facing: number; sit: number; dur: number; to?: Vec3; toFacing?: number }>();

  const positionOf = (id: string): Vec3 | undefined => {
    const b = bodies.get(id);
    if (b) {
      const t = b.translation();
      return [t.x, t.y, t.z];
    }
    const a = actorById.get(id);
    return a ? add(a.position, [0, headHeight(a.height, a.sit), 0]) : undefined;
  };
  const release = (propId: string, velocity: Vec3) => {
    const body = bodies.get(propId)!;
    body.setBodyType(R.RigidBodyType.Dynamic, true);
    body.setLinvel({ x: velocity[0], y: velocity[1], z: velocity[2] }, true);
    body.setAngvel({ x: 0, y: 0, z: 0 }, true);
    for (const a of actors) if (a.holding === propId) a.holding = null;
  };
  const grab = (actor: ActorState, propId: string) => {
    const body = bodies.get(propId)!;
    body.setBodyType(R.RigidBodyType.KinematicPositionBased, true);
    actor.holding = propId;
  };

  /** Applies every action to the actors for time t (seconds). */
  const applyActions = (t: number) => {
    for (const a of actors) {
      a.reach = 0;
      a.reachTarget = null;
      a.walking = 0;
    }
    for (const act of actions) {
      const t0 = toSeconds(act.at);
      if (t < t0) break;
      const actor = actorById.get(act.actorId)!;
      if (!started.has(act.id)) {
        started.add(act.id);
        startInfo.set(act.id, beginAction(act, actor, positionOf, fps));
      }
      const info = startInfo.get(act.id)!;
      const u = info.dur > 0 ? Math.min(1, (t - t0) / info.dur) : 1;
      const done = u >= 1 && t - t0 > info.dur + 1 / fps;
      switch (act.verb) {
        case 'walk': {
          if (done) break;
          const before = actor.position;
          actor.position = lerp(info.from, info.to!, easeWalk(u, info.dur));
          actor.walked += length(sub(actor.position, before));
          actor.walking = Math.min(1, Math.min(t - t0, info.dur - (t - t0)) / 0.25);
          actor.facing = info.facing + angleDiff(info.facing, info.toFacing!) * smoothstep(Math.min(1, (t - t0) / 0.35));
          break;
        }
        case 'turn':
        case 'look': {
          if (act.verb === 'look' && !fired.has(act.id)) {
            fired.add(act.id);
            actor.gazeTarget = act.targetId ? { id: act.targetId } : act.to ? { point: [act.to[0], 1.2, act.to[1]] } : null;
          }
          if (done) break;
          actor.facing = info.facing + angleDiff(info.facing, info.toFacing!) * smoothstep(u);
          break;
        }
        case 'sit':
        case 'stand':
          if (done) break;
          actor.sit = act.verb === 'sit' ? Math.max(info.sit, smoothstep(u)) : Math.min(info.sit, 1 - smoothstep(u));
          break;
        case 'pickup':
        case 'putdown':
        case 'push': {
          if (done) break;
          const target = act.verb === 'putdown' && act.to ? ([act.to[0], info.from[1], act.to[1]] as Vec3) : positionOf(act.targetId!)!;
          actor.reach = Math.sin(Math.PI * u);
          actor.reachTarget = target;
          if (u >= 0.5 && !fired.has(act.id)) {
            fired.add(act.id);
            if (act.verb === 'pickup') grab(actor, act.targetId!);
            else if (act.verb === 'putdown') {
              const body = bodies.get(act.targetId!)!;
              body.setNextKinematicTranslation({ x: target[0], y: target[1], z: target[2] });
              body.setTranslation({ x: target[0], y: target[1], z: target[2] }, true);
              release(act.targetId!, [0, 0, 0]);
            } else {
              const b = bodies.get(act.targetId!)!;
              if (b.isDynamic()) {
                const dir = sub(positionOf(act.targetId!)!, actor.position);
                dir[1] = 0;
                const v = scale(dir, (act.speed ?? 1.5) / Math.max(1e-6, length(dir)));
                const cur = b.linvel();
                b.setLinvel({ x: cur.x + v[0], y: cur.y, z: cur.z + v[2] }, true);
              }
            }
          }
          break;
        }
        case 'drop':
          if (!fired.has(act.id)) {
            fired.add(act.id);
            release(act.targetId!, [0, 0, 0]);
          }
          break;
        case 'throw': {
          // A short wind-up (the arm goes up), then the release.
          if (!done) {
            actor.reach = Math.sin(Math.PI * u);
            actor.reachTarget = add(actor.position, add(scale(forwardOf(actor.facing), 0.3), [0, actor.height * 1.1, 0]));
          }
          if (u >= 0.6 && !fired.has(act.id)) {
            fired.add(act.id);
            const from = positionOf(act.targetId!)!;
            release(act.targetId!, launchVelocity(from, info.to!, act.speed ?? 6, -scene.physics.gravity));
          }
          break;
        }
        case 'open': {
          const body = bodies.get(act.targetId!)!;
          const p = props.find((x) => x.id === act.targetId)!;
          const yaw = p.yawDeg + 90 * smoothstep(u);
          const hinge = add(p.position, scale(rightOf(p.yawDeg), -p.size[0] / 2));
          const centre = add(hinge, scale(rightOf(yaw), p.size[0] / 2));
          if (body.isKinematic()) {
            const q = yawQuat(yaw);
            body.setNextKinematicTranslation({ x: centre[0], y: centre[1], z: centre[2] });
            body.setNextKinematicRotation({ x: q[0], y: q[1], z: q[2], w: q[3] });
          }
          actor.reach = done ? 0 : Math.sin(Math.PI * u) * 0.8;
          actor.reachTarget = done ? null : centre;
          break;
        }
      }
    }
  };

  const contacts: ContactEvent[] = [];
  const lastImpact = new Map<string, number>();
  const world_: WorldFrame[] = [];
  const totalSteps = Math.ceil((frames * rate.den * stepHz) / rate.num);
  const stepOfFrame = (f: number) => Math.round((f * rate.den * stepHz) / rate.num);
  let nextFrame = 0;

  const snapshot = (): WorldFrame => {
    const out: WorldFrame = { props: {}, characters: {} };
    for (const p of props) {
      const b = bodies.get(p.id)!;
      const t = b.translation();
      const r = b.rotation();
      out.props[p.id] = { position: [t.x, t.y, t.z], rotation: [r.x, r.y, r.z, r.w] };
    }
    for (const a of actors) {
      const gaze = a.gazeTarget ? (a.gazeTarget.point ?? positionOf(a.gazeTarget.id!) ?? null) : null;
      out.characters[a.id] = {
        position: [...a.position],
        facingDeg: a.facing,
        gaze,
        sit: a.sit,
        reach: a.reach,
        hand: handPosition(a.position, a.facing, a.height, a.reach, a.sit, a.reachTarget),
        walkPhase: (a.walked / STRIDE) * Math.PI,
        walking: Math.max(0, a.walking),
        head: add(a.position, [0, headHeight(a.height, a.sit), 0]),
      };
    }
    return out;
  };

  const moveKinematics = () => {
    for (const a of actors) {
      actorBodies.get(a.id)!.setNextKinematicTranslation({ x: a.position[0], y: a.height / 2 - a.sit * a.height * 0.25, z: a.position[2] });
      if (a.holding) {
        const h = handPosition(a.position, a.facing, a.height, a.reach, a.sit, a.reachTarget);
        const prop = props.find((p) => p.id === a.holding)!;
        const q = yawQuat(a.facing);
        bodies.get(a.holding)!.setNextKinematicTranslation({ x: h[0], y: h[1] - prop.size[1] * 0.3, z: h[2] });
        bodies.get(a.holding)!.setNextKinematicRotation({ x: q[0], y: q[1], z: q[2], w: q[3] });
      }
    }
  };

  const eventQueue = new R.EventQueue(true);
  applyActions(0);
  moveKinematics();
  // Place held props and kinematic bodies before the first frame is recorded.
  for (let k = 0; k <= totalSteps; k++) {
    const t = k * dt;
    if (k > 0) {
      applyActions(t);
      moveKinematics();
      // Footsteps: one every stride while walking.
      for (const a of actors) {
        while (a.walked >= a.nextStep) {
          a.nextStep += STRIDE;
          a.stepFoot ^= 1;
          const f = forwardOf(a.facing);
          const side = a.stepFoot ? 0.1 : -0.1;
          const pos: Vec3 = [a.position[0] - f[2] * side, 0, a.position[2] + f[0] * side];
          const sample = Math.round(t * AUDIO_RATE);
          contacts.push({
            sceneSample: sample,
            sceneFrame: sampleToFrame(sample, rate),
            impulse: 20 + random() * 6,
            a: a.id,
            b: 'floor',
            materialA: 'flesh',
            materialB: floorMaterial,
            position: pos,
            kind: 'footstep',
          });
        }
      }
      const before = new Map<string, Vec3>();
      for (const p of props) {
        const b = bodies.get(p.id)!;
        if (b.isDynamic()) {
          const v = b.linvel();
          before.set(p.id, [v.x, v.y, v.z]);
        }
      }
      world.step(eventQueue);
      eventQueue.drainCollisionEvents(() => {});
      const sample = Math.round((k * AUDIO_RATE) / stepHz);
      for (const p of props) {
        const v0 = before.get(p.id);
        const b = bodies.get(p.id)!;
        if (!v0 || !b.isDynamic() || b.isSleeping()) continue;
        const v = b.linvel();
        const dv = Math.hypot(v.x - v0[0], v.y - (v0[1] + scene.physics.gravity * dt), v.z - v0[2]);
        if (dv < IMPACT_DV || t < SETTLE_S) continue;
        const partner = contactPartner(world, b, idOfCollider);
        if (!partner) continue;
        const pairKey = [p.id, partner].sort().join('|');
        const last = lastImpact.get(pairKey);
        if (last !== undefined && t - last < IMPACT_GAP_S) {
          lastImpact.set(pairKey, t);
          continue;
        }
        lastImpact.set(pairKey, t);
        const pos = b.translation();
        const bottom: Vec3 = partner === 'floor' ? [pos.x, 0, pos.z] : [pos.x, pos.y, pos.z];
        contacts.push({
          sceneSample: sample,
          sceneFrame: sampleToFrame(sample, rate),
          impulse: p.massKg * dv,
          a: p.id,
          b: partner,
          materialA: p.material,
          materialB: materialOf.get(partner) ?? 'wood',
          position: bottom,
          kind: 'impact',
        });
      }
    }
    while (nextFrame < frames && stepOfFrame(nextFrame) === k) {
      world_.push(snapshot());
      nextFrame++;
    }
  }
  world.free();
  eventQueue.free();
  contacts.sort((a, b) => a.sceneSample - b.sceneSample || a.a.localeCompare(b.a));
  return {
    sceneId: scene.id,
    rate,
    stepHz,
    frames,
    props,
    characters: scene.marks.map((m) => {
      const c = looks.get(m.characterId)!;
      return { id: c.id, name: c.name, look: c.look };
    }),
    world: world_,
    contacts,
  };
}

function rightOf(yawDeg: number): Vec3 {
  const f = forwardOf(yawDeg);
  return [-f[2], 0, f[0]];
}

/** Walks accelerate over the first and last 0.3 s. */
function easeWalk(u: number, dur: number): number {
  const a = Math.min(0.45, 0.3 / Math.max(dur, 1e-6));
  if (u <= 0) return 0;
  if (u >= 1) return 1;
  const vmax = 1 / (1 - a);
  if (u < a) return (vmax * u * u) / (2 * a);
  if (u > 1 - a) return 1 - (vmax * (1 - u) * (1 - u)) / (2 * a);
  return vmax * (u - a / 2);
}

function beginAction(act: Action, actor: ActorState, positionOf: (id: string) => Vec3 | undefined, fps: number) {
  const from: Vec3 = [...actor.position];
  const base = { from, facing: actor.facing, sit: actor.sit };
  const given = act.duration ? act.duration / fps : undefined;
  switch (act.verb) {
    case 'walk': {
      const to: Vec3 = [act.to![0], 0, act.to![1]];
      const dist = length(sub(to, from));
      return { ...base, to, toFacing: dist > 1e-3 ? yawTowards(from, to) : actor.facing, dur: given ?? Math.max(0.5, dist / WALK_SPEED) };
    }
    case 'turn':
    case 'look': {
      const target = act.targetId ? positionOf(act.targetId) : act.to ? ([act.to[0], 0, act.to[1]] as Vec3) : undefined;
      let toFacing = target ? yawTowards(from, target) : actor.facing;
      if (act.verb === 'look') {
        // The head turns up to 60°; the body turns for the rest.
        const diff = angleDiff(actor.facing, toFacing);
        toFacing = Math.abs(diff) > 60 ? actor.facing + diff - Math.sign(diff) * 60 : actor.facing;
      }
      return { ...base, toFacing, dur: given ?? 0.6 };
    }
    case 'sit':
    case 'stand':
      return { ...base, dur: given ?? 1 };
    case 'pickup':
    case 'putdown':
    case 'push':
      return { ...base, from: act.verb === 'putdown' ? ([0, positionOf(act.targetId!)?.[1] ?? 0.8, 0] as Vec3) : from, dur: given ?? 0.8 };
    case 'throw': {
      const target = act.to ? ([act.to[0], 0, act.to[1]] as Vec3) : positionOf(act.targetId!)!;
      return { ...base, to: target, dur: given ?? 0.5 };
    }
    case 'drop':
      return { ...base, dur: 0 };
    case 'open':
      return { ...base, dur: given ?? 1 };
  }
}

/** Launch velocity that lands a projectile from `from` on the floor point `to`, at `speed` m/s (45° when out of reach). */
/** A prop's body shape: its kind's shape at its size (what the blocking map's footprint shows from above). */
export function propCollider(R: typeof RAPIER_T, p: Pick<ResolvedProp, 'shape' | 'size'>): RAPIER_T.ColliderDesc {
  const [sx, sy, sz] = p.size;
  return p.shape === 'ball'
    ? R.ColliderDesc.ball(sx / 2)
    : p.shape === 'cylinder'
      ? R.ColliderDesc.cylinder(sy / 2, Math.max(sx, sz) / 2)
      : R.ColliderDesc.cuboid(sx / 2, sy / 2, sz / 2);
}

export function launchVelocity(from: Vec3, to: Vec3, speed: number, g: number): Vec3 {
  const dx = to[0] - from[0];
  const dz = to[2] - from[2];
  const d = Math.hypot(dx, dz);
  const dy = to[1] - from[1];
  const v2 = speed * speed;
  const disc = v2 * v2 - g * (g * d * d + 2 * dy * v2);
  const angle = d < 1e-6 ? -Math.PI / 2 : disc >= 0 ? Math.atan((v2 - Math.sqrt(disc)) / (g * d)) : Math.PI / 4;
  const h = d < 1e-6 ? 0 : Math.cos(angle) * speed;
  return [d < 1e-6 ? 0 : (dx / d) * h, Math.sin(angle) * speed, d < 1e-6 ? 0 : (dz / d) * h];
}

function contactPartner(world: RAPIER_T.World, body: RAPIER_T.RigidBody, ids: Map<number, string>): string | undefined {
  let found: string | undefined;
  const n = body.numColliders();
  for (let i = 0; i < n && !found; i++) {
    const c = body.collider(i);
    world.contactPairsWith(c, (other) => {
      if (found) return;
      world.contactPair(c, other, (manifold) => {
        if (!found && manifold.numContacts() > 0) found = ids.get(other.handle);
      });
    });
  }
  return found;
}
