/**
 * The blocking of a variation take: each character's start mark and walk
 * destinations moved together by one small seeded offset on the floor (at
 * most BLOCKING_RADIUS_M) and the start facing turned a few degrees. An
 * offset is kept only where it breaks nothing the direction set up: no point
 * of the character's path (marks, walk destinations, every 10 cm between)
 * nearer a wall than BODY_CLEARANCE_M (or than directed), none into a prop's
 * footprint (nearer than PROP_CLEARANCE_M, or than directed), no two
 * characters nearer than APART_M (or than directed), and no prop the
 * character handles further from where they stand than directed (+ 5 cm).
 * Otherwise a turned or shorter offset is tried, and in the end none.
 * `share` scales the offsets and turns (1: the most). Pure.
 */
import { propFootprint, resolveProp } from '../../common/prop-kinds.js';
import type { Action } from '../../model/schema.js';
import { mixSeed, seededRandom } from '../../util/seeded-random.js';
import type { SceneInput } from './scene-input.js';

/** Furthest a character stands from their directed marks, metres. */
export const BLOCKING_RADIUS_M = 0.25;
/** Largest turn of a start facing, degrees. */
export const FACING_JITTER_DEG = 6;
/** Nearest a varied point comes to a wall (a body's radius and a margin), metres. */
export const BODY_CLEARANCE_M = 0.3;
const PROP_CLEARANCE_M = 0.2;
const APART_M = 0.6;
const REACH_SLACK_M = 0.05;
/** Props whose bottom is lower than this stand on the floor (in the way of feet). */
const ON_FLOOR_M = 0.3;
const HANDLES: ReadonlySet<Action['verb']> = new Set(['pickup', 'putdown', 'push', 'open']);

export type FloorPoint = [number, number];

export interface VariedBlocking {
  scene: SceneInput;
  /** Per character id: the floor offset [x, z] their marks and walks were moved by. */
  offsets: Record<string, FloorPoint>;
}

interface Obstacle {
  centre: FloorPoint;
  /** Unit floor directions of the footprint's width and depth. */
  across: FloorPoint;
  along: FloorPoint;
  half: FloorPoint;
  round: boolean;
}

/** Where a character stands for the scene: their start mark and every walk's destination (action index, or -1 for the mark). */
interface Stand {
  index: number;
  at: number;
  point: FloorPoint;
}

export function varyBlocking(scene: SceneInput, seed: number, share = 1): VariedBlocking {
  const obstacles = scene.props.map(resolveProp).flatMap((p): Obstacle[] => {
    if (!p.fixed && p.position[1] - p.size[1] / 2 > ON_FLOOR_M) return [];
    const fp = propFootprint(p);
    const r = (p.yawDeg * Math.PI) / 180;
    return [
      {
        centre: [p.position[0], p.position[2]],
        across: [Math.cos(r), Math.sin(r)],
        along: [Math.sin(r), -Math.cos(r)],
        half: [fp.width / 2, fp.depth / 2],
        round: fp.round,
      },
    ];
  });
  const propAt = new Map(scene.props.map((p) => [p.id, [p.position[0], p.position[2]] as FloorPoint]));
  const standsOf = (id: string): Stand[] => {
    const mark = scene.marks.find((m) => m.characterId === id)!;
    const out: Stand[] = [{ index: -1, at: -Infinity, point: [mark.position[0], mark.position[1]] }];
    scene.actions.forEach((a, i) => {
      if (a.actorId === id && a.verb === 'walk' && a.to) out.push({ index: i, at: a.at, point: [a.to[0], a.to[1]] });
    });
    return out;
  };
  /** Where the character stands when an action at `at` happens: the last walk started before it, or the mark. */
  const standAt = (stands: Stand[], at: number): FloorPoint =>
    stands.reduce((best, s) => (s.at <= at && s.at >= best.at ? s : best), stands[0]!).point;
  const wallClearance = (p: FloorPoint) => Math.min(scene.set.width / 2 - Math.abs(p[0]), scene.set.depth / 2 - Math.abs(p[1]));
  const propClearance = (p: FloorPoint) => Math.min(Infinity, ...obstacles.map((o) => clearance(o, p)));

  // Where everybody stands now: directed points, replaced by varied ones as each character is varied.
  const standing = new Map(scene.marks.map((m) => [m.characterId, standsOf(m.characterId)]));
  const offsets: Record<string, FloorPoint> = {};
  const facings = new Map<string, number>();
  for (const mark of scene.marks) {
    const id = mark.characterId;
    const directed = standsOf(id);
    const handled = scene.actions.filter((a) => a.actorId === id && HANDLES.has(a.verb) && a.targetId && propAt.has(a.targetId));
    const reachOf = (stands: Stand[]) =>
      handled.map((a) => {
        const prop = a.verb === 'putdown' && a.to ? a.to : propAt.get(a.targetId!)!;
        return dist(standAt(stands, a.at), prop);
      });
    const directedReach = reachOf(directed);
    const path = pathOf(directed);
    const ok = (offset: FloorPoint): boolean => {
      for (const was of path) {
        const p = plus(was, offset);
        if (wallClearance(p) < Math.min(BODY_CLEARANCE_M, wallClearance(was))) return false;
        if (propClearance(p) < Math.min(PROP_CLEARANCE_M, propClearance(was))) return false;
      }
      const moved = directed.map((s) => ({ ...s, point: plus(s.point, offset) }));
      for (const [k, s] of moved.entries()) {
        const was = directed[k]!.point;
        for (const [other, theirs] of standing) {
          if (other === id) continue;
          const before = standsOf(other);
          for (const [j, t] of theirs.entries()) {
            if (dist(s.point, t.point) < Math.min(APART_M, dist(was, before[j]!.point))) return false;
          }
        }
      }
      return reachOf(moved).every((d, k) => d <= directedReach[k]! + REACH_SLACK_M);
    };
    const r = seededRandom(mixSeed(seed, 'blocking', id));
    const angle = r() * 2 * Math.PI;
    const radius = BLOCKING_RADIUS_M * share * (0.5 + 0.5 * Math.sqrt(r()));
    facings.set(id, (r() * 2 - 1) * FACING_JITTER_DEG * share);
    let chosen: FloorPoint = [0, 0];
    search: for (const scale of [1, 0.6, 0.3]) {
      for (const turn of [0, 0.5, 1, 1.5]) {
        const a = angle + turn * Math.PI;
        const offset: FloorPoint = [round3(Math.cos(a) * radius * scale), round3(Math.sin(a) * radius * scale)];
        if (ok(offset)) {
          chosen = offset;
          break search;
        }
      }
    }
    offsets[id] = chosen;
    standing.set(
      id,
      directed.map((s) => ({ ...s, point: plus(s.point, chosen) })),
    );
  }

  const marks = scene.marks.map((m) => ({
    ...m,
    position: plus(m.position as FloorPoint, offsets[m.characterId]!),
    facingDeg: round3(m.facingDeg + facings.get(m.characterId)!),
  }));
  const actions = scene.actions.map((a) =>
    a.verb === 'walk' && a.to && offsets[a.actorId] ? { ...a, to: plus(a.to as FloorPoint, offsets[a.actorId]!) } : a,
  );
  return { scene: { ...scene, marks, actions }, offsets };
}

/** The floor points a character passes: their stands in time order and points along each walk between them. */
function pathOf(stands: Stand[]): FloorPoint[] {
  const sorted = [...stands].sort((a, b) => a.at - b.at);
  const out: FloorPoint[] = [sorted[0]!.point];
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!.point, sorted[i]!.point];
    const n = Math.max(1, Math.ceil(dist(a, b) / 0.1));
    for (let k = 1; k <= n; k++) out.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
  }
  return out;
}

/** Distance from a floor point to an obstacle's footprint (negative inside). */
function clearance(o: Obstacle, p: FloorPoint): number {
  const d: FloorPoint = [p[0] - o.centre[0], p[1] - o.centre[1]];
  if (o.round) return Math.hypot(d[0], d[1]) - o.half[0];
  const u = Math.abs(d[0] * o.across[0] + d[1] * o.across[1]) - o.half[0];
  const v = Math.abs(d[0] * o.along[0] + d[1] * o.along[1]) - o.half[1];
  return u > 0 || v > 0 ? Math.hypot(Math.max(u, 0), Math.max(v, 0)) : Math.max(u, v);
}

function plus(p: FloorPoint, o: FloorPoint): FloorPoint {
  return [round3(p[0] + o[0]), round3(p[1] + o[1])];
}

function dist(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
