/**
 * What each prop kind is made of in the previz world: shape, default size, mass
 * and surface. One table: the previz simulation builds its bodies from it and
 * the blocking map draws each prop's footprint from it. Browser-safe.
 */
import type { Material } from '../audio/sfx/contact-event.js';
import type { Prop, PropKind } from '../model/schema.js';

/** x, y, z in metres (y up). */
type Vec3 = [number, number, number];

export type PropShape = 'ball' | 'cylinder' | 'box';

export interface PropKindInfo {
  shape: PropShape;
  /** Default size (x, y, z), metres; a ball's diameter is x. */
  size: Vec3;
  massKg: number;
  restitution: number;
  friction: number;
  material: Material;
  /** Fixed in the world unless the prop says otherwise. */
  fixed: boolean;
}

export const PROP_KINDS: Record<PropKind, PropKindInfo> = {
  ball: { shape: 'ball', size: [0.22, 0.22, 0.22], massKg: 0.45, restitution: 0.7, friction: 0.6, material: 'rubber', fixed: false },
  box: { shape: 'box', size: [0.5, 0.5, 0.5], massKg: 6, restitution: 0.1, friction: 0.7, material: 'cardboard', fixed: false },
  cup: { shape: 'cylinder', size: [0.09, 0.1, 0.09], massKg: 0.3, restitution: 0.3, friction: 0.5, material: 'ceramic', fixed: false },
  bottle: { shape: 'cylinder', size: [0.08, 0.28, 0.08], massKg: 0.8, restitution: 0.25, friction: 0.4, material: 'glass', fixed: false },
  chair: { shape: 'box', size: [0.45, 0.9, 0.45], massKg: 5, restitution: 0.1, friction: 0.6, material: 'wood', fixed: false },
  table: { shape: 'box', size: [1.6, 0.75, 0.9], massKg: 30, restitution: 0.1, friction: 0.6, material: 'wood', fixed: true },
  door: { shape: 'box', size: [0.9, 2.0, 0.05], massKg: 20, restitution: 0.1, friction: 0.6, material: 'wood', fixed: true },
  lamp: { shape: 'cylinder', size: [0.3, 1.5, 0.3], massKg: 4, restitution: 0.1, friction: 0.6, material: 'metal', fixed: false },
  plant: { shape: 'cylinder', size: [0.4, 0.6, 0.4], massKg: 5, restitution: 0.1, friction: 0.7, material: 'plastic', fixed: false },
  book: { shape: 'box', size: [0.2, 0.04, 0.28], massKg: 0.6, restitution: 0.15, friction: 0.6, material: 'cardboard', fixed: false },
};

/** Largest sensible size of any prop edge, metres. */
export const MAX_PROP_SIZE = 20;

/** A prop of the scene with its kind's physics filled in (and overridden where the prop says). */
export interface ResolvedProp extends PropKindInfo {
  id: string;
  kind: PropKind;
  name: string;
  color: string;
  position: Vec3;
  yawDeg: number;
}

export function resolveProp(p: Prop): ResolvedProp {
  const k = PROP_KINDS[p.kind];
  const size: Vec3 = p.size ? [p.size[0], p.size[1], p.size[2]] : [...k.size];
  if (k.shape === 'ball') size[1] = size[2] = size[0];
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    color: p.color,
    shape: k.shape,
    size,
    massKg: p.massKg ?? k.massKg,
    restitution: p.restitution ?? k.restitution,
    friction: p.friction ?? k.friction,
    material: k.material,
    fixed: p.fixed || k.fixed,
    position: [...p.position],
    yawDeg: p.yawDeg,
  };
}

/**
 * What a prop covers on the ground, as the simulation's body does: a ball its
 * diameter, a cylinder the circle of its larger horizontal edge, a box x by z
 * (turned by the prop's yaw). Metres.
 */
export interface PropFootprint {
  round: boolean;
  /** Along x (a round prop: its diameter). */
  width: number;
  /** Along z (a round prop: its diameter). */
  depth: number;
}

export function propFootprint(p: Pick<Prop, 'kind' | 'size'>): PropFootprint {
  const k = PROP_KINDS[p.kind];
  const [x, , z] = p.size ?? k.size;
  if (k.shape === 'ball') return { round: true, width: x, depth: x };
  if (k.shape === 'cylinder') return { round: true, width: Math.max(x, z), depth: Math.max(x, z) };
  return { round: false, width: x, depth: z };
}
