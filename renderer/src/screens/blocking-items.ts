/**
 * The things on the blocking map as a list (props, characters' start marks,
 * shots' cameras), what the keyboard says about each and the command one key
 * press makes: a move on the ground plane (x, z) or a turn about the vertical
 * axis. Pure: the map (Blocking.tsx) and the unit tests use it.
 */
import type { CommandInput } from '../../../engine/api/contract.js';
import { propFootprint } from '../../../engine/common/prop-kinds.js';
import type { Character, Prop } from '../../../engine/model/schema.js';
import type { SceneEntity, ShotEntity } from '../store/doc-slice.js';

export type MapItemKind = 'prop' | 'mark' | 'camera';

export interface MapItem {
  /** "prop:<id>", "mark:<characterId>", "camera:<shotId>". */
  key: string;
  kind: MapItemKind;
  id: string;
  /** "Prop table", "Mia's start mark", "Camera of shot 1/2". */
  label: string;
  /** Shown in the item list. */
  short: string;
  color: string;
  x: number;
  z: number;
  /** Degrees about the vertical axis, 0 along −z (up on the map), clockwise seen from above, in (−180, 180]. */
  heading: number;
}

export interface MapCommand {
  command: CommandInput;
  label: string;
}

/** How the map draws a prop at `scale` px a metre: its footprint (the previz body's, seen from above), at least 8 px. */
export function propOnMap(prop: Pick<Prop, 'kind' | 'size'>, scale: number): { round: boolean; width: number; depth: number } {
  const fp = propFootprint(prop);
  return { round: fp.round, width: Math.max(8, fp.width * scale), depth: Math.max(8, fp.depth * scale) };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** An angle in (−180, 180], to 1/100 degree. */
export function normDeg(deg: number): number {
  const a = round2((((deg % 360) + 540) % 360) - 180);
  return a === -180 ? 180 : a === 0 ? 0 : a;
}

/** Metres with two decimals and a real minus sign: "1.20", "−3.40". */
export function fmtMetres(n: number): string {
  const r = round2(n);
  return (r === 0 ? 0 : r).toFixed(2).replace('-', '−');
}

function fmtDeg(n: number): string {
  return `${String(Math.round(normDeg(n))).replace('-', '−')}°`;
}

/** The camera's heading from its position to its target on the ground plane. */
export function cameraHeading(position: readonly number[], target: readonly number[]): number {
  const dx = target[0]! - position[0]!;
  const dz = target[2]! - position[2]!;
  return dx === 0 && dz === 0 ? 0 : normDeg((Math.atan2(dx, -dz) * 180) / Math.PI);
}

/** Every item of a scene's map in keyboard order: props, start marks, cameras. */
export function mapItems(
  scene: SceneEntity,
  shots: readonly ShotEntity[],
  characters: Readonly<Record<string, Character | undefined>>,
): MapItem[] {
  const items: MapItem[] = [];
  for (const p of scene.props) {
    items.push({
      key: `prop:${p.id}`,
      kind: 'prop',
      id: p.id,
      label: `Prop ${p.name}`,
      short: p.name,
      color: p.color,
      x: p.position[0],
      z: p.position[2],
      heading: normDeg(p.yawDeg),
    });
  }
  for (const m of scene.marks) {
    const name = characters[m.characterId]?.name ?? m.characterId;
    items.push({
      key: `mark:${m.characterId}`,
      kind: 'mark',
      id: m.characterId,
      label: `${name}'s start mark`,
      short: name,
      color: characters[m.characterId]?.look.shirt ?? '#888888',
      x: m.position[0],
      z: m.position[1],
      heading: normDeg(m.facingDeg),
    });
  }
  for (const s of shots) {
    items.push({
      key: `camera:${s.id}`,
      kind: 'camera',
      id: s.id,
      label: `Camera of shot ${scene.number}/${s.number}`,
      short: `Shot ${scene.number}/${s.number}`,
      color: '#6d9be0',
      x: s.camera.position[0],
      z: s.camera.position[2],
      heading: cameraHeading(s.camera.position, s.camera.target),
    });
  }
  return items;
}

/** What the live readout says about an item: "Camera of shot 1/2 at x 1.20, z −3.40, facing 171°". */
export function describeItem(item: MapItem): string {
  return `${item.label} at x ${fmtMetres(item.x)}, z ${fmtMetres(item.z)}, facing ${fmtDeg(item.heading)}`;
}

/** The next item from `key` (`step` +1 or −1), round the list; the first (or last) when nothing is selected. */
export function cycleItem(items: readonly MapItem[], key: string | null, step: 1 | -1): string | null {
  if (!items.length) return null;
  const i = key ? items.findIndex((it) => it.key === key) : -1;
  if (i < 0) return items[step > 0 ? 0 : items.length - 1]!.key;
  return items[(i + step + items.length) % items.length]!.key;
}

export type MapOp = { move: [dx: number, dz: number] } | { turn: number };

/**
 * The command one key press makes on the item `key` of `scene`: the same
 * commands the map's drags make (prop.update, mark.set, shot.update with the
 * whole camera). Positions land on 1 cm, targets on 1 mm.
 */
export function itemCommand(
  scene: SceneEntity,
  shots: Readonly<Record<string, ShotEntity | undefined>>,
  key: string,
  op: MapOp,
): MapCommand | undefined {
  const [kind, ...rest] = key.split(':');
  const id = rest.join(':');
  if (kind === 'prop') {
    const prop = scene.props.find((p) => p.id === id);
    if (!prop) return undefined;
    if ('move' in op) {
      return {
        label: 'Move prop',
        command: {
          type: 'prop.update',
          sceneId: scene.id,
          propId: prop.id,
          patch: { position: [round2(prop.position[0] + op.move[0]), prop.position[1], round2(prop.position[2] + op.move[1])] },
        },
      };
    }
    return {
      label: 'Turn prop',
      command: { type: 'prop.update', sceneId: scene.id, propId: prop.id, patch: { yawDeg: normDeg(prop.yawDeg + op.turn) } },
    };
  }
  if (kind === 'mark') {
    const mark = scene.marks.find((m) => m.characterId === id);
    if (!mark) return undefined;
    if ('move' in op) {
      return {
        label: 'Move start mark',
        command: {
          type: 'mark.set',
          sceneId: scene.id,
          mark: { ...mark, position: [round2(mark.position[0] + op.move[0]), round2(mark.position[1] + op.move[1])] },
        },
      };
    }
    return {
      label: 'Turn start mark',
      command: { type: 'mark.set', sceneId: scene.id, mark: { ...mark, facingDeg: normDeg(mark.facingDeg + op.turn) } },
    };
  }
  if (kind === 'camera') {
    const shot = shots[id];
    if (!shot || shot.sceneId !== scene.id) return undefined;
    const cam = shot.camera;
    if ('move' in op) {
      return {
        label: 'Move camera',
        command: {
          type: 'shot.update',
          shotId: shot.id,
          patch: {
            camera: { ...cam, position: [round2(cam.position[0] + op.move[0]), cam.position[1], round2(cam.position[2] + op.move[1])] },
          },
        },
      };
    }
    // Turn the target about the camera on the ground plane (clockwise on the map for a positive turn).
    const a = (op.turn * Math.PI) / 180;
    const dx = cam.target[0] - cam.position[0];
    const dz = cam.target[2] - cam.position[2];
    const target: [number, number, number] = [
      round3(cam.position[0] + dx * Math.cos(a) - dz * Math.sin(a)),
      cam.target[1],
      round3(cam.position[2] + dx * Math.sin(a) + dz * Math.cos(a)),
    ];
    return { label: 'Turn camera', command: { type: 'shot.update', shotId: shot.id, patch: { camera: { ...cam, target } } } };
  }
  return undefined;
}
