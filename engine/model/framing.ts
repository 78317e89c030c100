/**
 * Framing in film language: a camera placed from a shot's size and subject on
 * the scene's world (start marks, props, set). The subject is in frame at the
 * size asked for, its eyes near the upper third line, the camera inside the
 * set (never through a wall) and, where it can be, with nobody standing
 * between it and the subject. Pure; the previz projects with the same lens
 * model (SENSOR_SHORT_MM).
 */
import { PROP_KINDS } from '../common/prop-kinds.js';
import type { Camera, Character, Framing, Mark, Scene, ShotSize } from './schema.js';

type Vec3 = [number, number, number];

/** The picture's short side spans this much of a 36 mm-wide sensor (16:9 full-frame crop). */
export const SENSOR_SHORT_MM = 20.25;
/** Shortest lens framing chooses when the set is too small for the distance a size wants. */
export const MIN_FRAMING_LENS_MM = 12;
/** How far inside the set's walls a camera stays, metres. */
export const WALL_MARGIN_M = 0.3;

/** Eye height of a standing character of height `h` (previz draws the head centre at 0.92 h). */
export function eyeHeight(h: number): number {
  return h * 0.93;
}

/** Facing (degrees; 0 looks along −z, positive turns right seen from above) as a floor direction (x, z). */
export function facingDir(deg: number): [number, number] {
  const r = (deg * Math.PI) / 180;
  return [Math.sin(r), -Math.cos(r)];
}

/** The facing that looks from `from` towards `to` (floor points). */
export function facingTowards(from: [number, number], to: [number, number]): number {
  const dx = to[0] - from[0];
  const dz = to[1] - from[1];
  if (Math.abs(dx) < 1e-9 && Math.abs(dz) < 1e-9) return 0;
  return Math.round(((Math.atan2(dx, -dz) * 180) / Math.PI) * 10) / 10;
}

/** What each size asks for: the lens it prefers and how much of the subject (metres, vertically) the frame spans. */
const SIZE_RULES: Record<ShotSize, { lensMm: number; span: (h: number) => number }> = {
  wide: { lensMm: 24, span: (h) => h * 1.6 },
  medium: { lensMm: 40, span: () => 0.9 },
  'close-up': { lensMm: 60, span: () => 0.45 },
  'over-the-shoulder': { lensMm: 45, span: () => 0.8 },
  insert: { lensMm: 60, span: () => 0.3 },
};

export interface FramingWorld {
  scene: Pick<Scene, 'set' | 'marks' | 'props'>;
  characters: Array<Pick<Character, 'id' | 'look'>>;
  /** Picture size (the sequence's). */
  width: number;
  height: number;
}

export interface PlacedCamera {
  camera: Camera;
  /** Whether the camera stands where the size wanted (false: the set was too small or somebody is in the way). */
  ideal: boolean;
}

/** The floor rectangle a camera may stand in: the set's floor less a margin. */
export function cameraBounds(set: Scene['set']): { x: number; z: number } {
  return { x: Math.max(0.1, set.width / 2 - WALL_MARGIN_M), z: Math.max(0.1, set.depth / 2 - WALL_MARGIN_M) };
}

export function insideSet(set: Scene['set'], position: readonly number[]): boolean {
  const b = cameraBounds(set);
  return (
    Math.abs(position[0]!) <= b.x + 1e-9 &&
    Math.abs(position[2]!) <= b.z + 1e-9 &&
    position[1]! > 0 &&
    (set.kind === 'outdoor' || position[1]! < set.wallHeight)
  );
}

/** Where a subject is and how tall: a character's mark, or a prop's position. */
function subjectOf(
  world: FramingWorld,
  subjectId: string,
): { x: number; z: number; eyeY: number; height: number; facingDeg: number; isProp: boolean } | undefined {
  const mark = world.scene.marks.find((m) => m.characterId === subjectId);
  if (mark) {
    const h = world.characters.find((c) => c.id === subjectId)?.look.height ?? 1.75;
    return { x: mark.position[0], z: mark.position[1], eyeY: eyeHeight(h), height: h, facingDeg: mark.facingDeg, isProp: false };
  }
  const prop = world.scene.props.find((p) => p.id === subjectId);
  if (prop) {
    const size = prop.size ?? PROP_KINDS[prop.kind].size;
    return {
      x: prop.position[0],
      z: prop.position[2],
      eyeY: prop.position[1],
      height: Math.max(...size),
      facingDeg: prop.yawDeg,
      isProp: true,
    };
  }
  return undefined;
}

/** Distance from floor point p to the segment a–b. */
function distToSegment(p: [number, number], a: [number, number], b: [number, number]): number {
  const abx = b[0] - a[0];
  const abz = b[1] - a[1];
  const len2 = abx * abx + abz * abz;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * abx + (p[1] - a[1]) * abz) / len2)) : 0;
  return Math.hypot(p[0] - (a[0] + t * abx), p[1] - (a[1] + t * abz));
}

function blocked(marks: Mark[], except: Set<string>, from: [number, number], to: [number, number]): boolean {
  return marks.some((m) => !except.has(m.characterId) && distToSegment(m.position, from, to) < 0.4);
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/**
 * The camera for `framing` on `world`; undefined when the subject (or the
 * "over" character) has no mark or prop in the scene.
 */
export function placeCamera(world: FramingWorld, framing: Framing): PlacedCamera | undefined {
  const subject = subjectOf(world, framing.subjectId);
  if (!subject) return undefined;
  const { set, marks } = world.scene;
  const bounds = cameraBounds(set);
  // how much of the picture's height one metre at distance d covers: focal (px) / height (px)
  const focalPerHeight = (lens: number) => (lens / SENSOR_SHORT_MM) * (Math.min(world.width, world.height) / world.height);
  const rule = SIZE_RULES[framing.size];
  const sideSign = framing.side === 'left' ? -1 : 1;
  const at: [number, number] = [subject.x, subject.z];

  /** Camera at floor point `pos`, `camY` high, aimed so the subject's eyes sit on the upper third line. */
  const aimed = (pos: [number, number], camY: number, lens: number, ideal: boolean): PlacedCamera => {
    const d = Math.hypot(at[0] - pos[0], at[1] - pos[1]);
    const f = focalPerHeight(lens);
    // eyes 1/6 of the picture above the centre: the aim point lies that far below the eyes at the subject's distance
    const aimY = subject.eyeY - (d * (1 / 6)) / f;
    return {
      camera: {
        position: [round3(pos[0]), round3(camY), round3(pos[1])],
        target: [round3(at[0]), round3(aimY), round3(at[1])],
        lensMm: round3(Math.max(MIN_FRAMING_LENS_MM, Math.min(300, lens))),
        move: { type: 'static', amount: 0 },
      },
      ideal,
    };
  };
  const clampPoint = (p: [number, number]): [number, number] => [
    Math.max(-bounds.x, Math.min(bounds.x, p[0])),
    Math.max(-bounds.z, Math.min(bounds.z, p[1])),
  ];
  const fits = (p: [number, number]) => Math.abs(p[0]) <= bounds.x && Math.abs(p[1]) <= bounds.z;

  if (framing.size === 'over-the-shoulder') {
    const over = framing.overId !== undefined ? marks.find((m) => m.characterId === framing.overId) : undefined;
    if (!over) return undefined;
    const overH = world.characters.find((c) => c.id === framing.overId)?.look.height ?? 1.75;
    const dx = over.position[0] - at[0];
    const dz = over.position[1] - at[1];
    const dist = Math.hypot(dx, dz) || 1;
    const ux = dx / dist;
    const uz = dz / dist;
    // behind the foreground character's shoulder, on the chosen side
    let pos: [number, number] = [over.position[0] + ux * 0.7 + -uz * 0.38 * sideSign, over.position[1] + uz * 0.7 + ux * 0.38 * sideSign];
    const ideal = fits(pos);
    pos = clampPoint(pos);
    const d = Math.hypot(at[0] - pos[0], at[1] - pos[1]);
    // the lens that makes the subject the size asked for from here
    const lens = (d / rule.span(subject.height)) * SENSOR_SHORT_MM * (world.height / Math.min(world.width, world.height));
    return aimed(pos, eyeHeight(overH) + 0.05, lens, ideal);
  }

  let span = rule.span(subject.height);
  let centre = at;
  if (framing.size === 'wide' && marks.length > 1) {
    // a wide holds everybody on their marks
    const xs = marks.map((m) => m.position[0]);
    const zs = marks.map((m) => m.position[1]);
    centre = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...zs) + Math.max(...zs)) / 2];
    const spread = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...zs) - Math.min(...zs));
    span = Math.max(span, ((spread + 1.2) * world.height) / world.width);
  }
  if (subject.isProp) span = Math.max(0.25, subject.height * 3);
  const lens = rule.lensMm;
  const d = span * focalPerHeight(lens);
  const camY = subject.isProp
    ? subject.eyeY + d * 0.6
    : framing.size === 'wide'
      ? Math.min(1.7, set.kind === 'room' ? set.wallHeight - 0.2 : 1.7)
      : subject.eyeY;
  const facing = facingDir(subject.facingDeg);
  const except = new Set([framing.subjectId]);
  // in front of the subject, turned a little to the chosen side; further round when somebody stands in the way
  const offsets = [30, 50, 15, 70, 0, 90, 110].flatMap((o) => (o === 0 ? [0] : [o * sideSign, -o * sideSign]));
  let fallback: [number, number] | undefined;
  for (const off of offsets) {
    const r = (off * Math.PI) / 180;
    const dir: [number, number] = [facing[0] * Math.cos(r) - facing[1] * Math.sin(r), facing[0] * Math.sin(r) + facing[1] * Math.cos(r)];
    const pos: [number, number] = [centre[0] + dir[0] * d, centre[1] + dir[1] * d];
    const clear = subject.isProp || !blocked(marks, except, pos, at);
    if (clear && fits(pos)) return aimedFrom(pos, camY, lens, true);
    if (clear && !fallback) fallback = pos;
  }
  // the set is too small for this size at this lens: come closer inside the walls and widen the lens to keep the size
  const pos = clampPoint(fallback ?? [centre[0] + facing[0] * d, centre[1] + facing[1] * d]);
  const nd = Math.max(0.3, Math.hypot(centre[0] - pos[0], centre[1] - pos[1]));
  return aimedFrom(pos, camY, (lens * nd) / d, false);

  function aimedFrom(pos: [number, number], y: number, l: number, ideal: boolean): PlacedCamera {
    if (centre === at) return aimed(pos, y, l, ideal);
    // a wide: aim at the group's centre, keeping the subject's eye line
    const placed = aimed(pos, y, l, ideal);
    placed.camera.target = [round3(centre[0]), placed.camera.target[1], round3(centre[1])];
    return placed;
  }
}

/** Where characters stand when a scene gets them: facing each other across the middle, then round a circle. */
const SLOTS: Array<[number, number]> = [
  [-0.75, 0],
  [0.75, 0],
  [0, -1.1],
  [0, 1.1],
  [-1.6, -0.9],
  [1.6, -0.9],
  [-1.6, 0.9],
  [1.6, 0.9],
];

/**
 * Start marks for `characterIds` that have none in `scene` yet, placed on free
 * spots inside the set (at least 0.9 m from the others), facing the middle.
 */
export function marksFor(scene: Pick<Scene, 'set' | 'marks'>, characterIds: string[]): Mark[] {
  const taken: Array<[number, number]> = scene.marks.map((m) => [m.position[0], m.position[1]]);
  const have = new Set(scene.marks.map((m) => m.characterId));
  const hx = Math.max(0.2, scene.set.width / 2 - 0.5);
  const hz = Math.max(0.2, scene.set.depth / 2 - 0.5);
  const out: Mark[] = [];
  let extra = 0;
  for (const id of characterIds) {
    if (have.has(id)) continue;
    have.add(id);
    let spot = SLOTS.map(([x, z]): [number, number] => [Math.max(-hx, Math.min(hx, x)), Math.max(-hz, Math.min(hz, z))]).find((s) =>
      taken.every((t) => Math.hypot(t[0] - s[0], t[1] - s[1]) >= 0.9),
    );
    if (!spot) {
      const a = (extra++ * 2.4) % (2 * Math.PI);
      spot = [Math.max(-hx, Math.min(hx, Math.cos(a) * 2)), Math.max(-hz, Math.min(hz, Math.sin(a) * 2))];
    }
    taken.push(spot);
    out.push({ characterId: id, position: spot, facingDeg: 0 });
  }
  // everybody new faces the middle of the group (two characters face each other)
  const all = [...scene.marks.map((m) => m.position), ...out.map((m) => m.position)];
  const mid: [number, number] = [all.reduce((s, p) => s + p[0], 0) / all.length, all.reduce((s, p) => s + p[1], 0) / all.length];
  for (const m of out) m.facingDeg = facingTowards(m.position, mid);
  return out;
}

/** The picture point (pixels) of a world point seen by `camera` on a `width`×`height` picture; undefined behind it. */
export function projectPoint(
  camera: Pick<Camera, 'position' | 'target' | 'lensMm'>,
  width: number,
  height: number,
  p: Vec3,
): [number, number] | undefined {
  const f = normalize(sub(camera.target, camera.position));
  let r = normalize([f[1] * 0 - f[2] * 1, f[2] * 0 - f[0] * 0, f[0] * 1 - f[1] * 0]);
  if (Math.hypot(...r) < 1e-6) r = [1, 0, 0];
  const u: Vec3 = [r[1] * f[2] - r[2] * f[1], r[2] * f[0] - r[0] * f[2], r[0] * f[1] - r[1] * f[0]];
  const d = sub(p, camera.position);
  const z = dot(d, f);
  if (z < 0.05) return undefined;
  const focal = (camera.lensMm / SENSOR_SHORT_MM) * Math.min(width, height);
  return [width / 2 + (focal * dot(d, r)) / z, height / 2 - (focal * dot(d, u)) / z];
}

function sub(a: readonly number[], b: readonly number[]): Vec3 {
  return [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];
}
function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function normalize(a: Vec3): Vec3 {
  const l = Math.hypot(...a);
  return l > 0 ? [a[0] / l, a[1] / l, a[2] / l] : [0, 0, 0];
}

/** How far apart the cameras of a scene's unframed shots stand at least, metres (when the set has room). */
export const CAMERA_SPREAD_M = 1;

/**
 * A camera for a new shot that has no framing: in front of the scene (the +z side, where a wide looks from), aimed at
 * the middle of its start marks (or of the set), at the first of a row of angles whose spot is at least
 * CAMERA_SPREAD_M from every camera the scene has, so the cameras of a new scene are spread, not stacked.
 */
export function spreadCamera(scene: Pick<Scene, 'set' | 'marks'>, taken: ReadonlyArray<Pick<Camera, 'position'>>): Camera {
  const b = cameraBounds(scene.set);
  const xs = scene.marks.map((m) => m.position[0]);
  const zs = scene.marks.map((m) => m.position[1]);
  const centre: [number, number] = xs.length ? [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...zs) + Math.max(...zs)) / 2] : [0, 0];
  const radius = Math.min(5, Math.max(1.5, b.z - centre[1]));
  const spot = (deg: number): [number, number] => {
    const a = (deg * Math.PI) / 180;
    return [
      Math.max(-b.x, Math.min(b.x, centre[0] + Math.sin(a) * radius)),
      Math.max(-b.z, Math.min(b.z, centre[1] + Math.cos(a) * radius)),
    ];
  };
  const far = (p: [number, number]) => taken.every((c) => Math.hypot(c.position[0] - p[0], c.position[2] - p[1]) >= CAMERA_SPREAD_M - 1e-9);
  const angles = [0, -30, 30, -60, 60, -90, 90, -15, 15, -45, 45, -75, 75];
  const best =
    angles.map(spot).find(far) ??
    // no spot is free: the one farthest from the nearest camera
    angles.map(spot).reduce((a, p) => {
      const near = (q: [number, number]) => Math.min(...taken.map((c) => Math.hypot(c.position[0] - q[0], c.position[2] - q[1])));
      return near(p) > near(a) ? p : a;
    });
  return {
    position: [round3(best[0]), 1.6, round3(best[1])],
    target: [round3(centre[0]), 1.2, round3(centre[1])],
    lensMm: 35,
    move: { type: 'static', amount: 0 },
  };
}
