/**
 * The blocking map's keyboard model: the items in keyboard order, what the
 * readout says, and the commands a key press makes (the drags' own, valid for
 * the engine, on exact 1 cm steps).
 */
import { describe, expect, it } from 'vitest';
import { configureStore } from '@reduxjs/toolkit';
import docReducer, { docLoaded } from '../../renderer/src/store/doc-slice.js';
import {
  cameraHeading,
  cycleItem,
  describeItem,
  fmtMetres,
  itemCommand,
  mapItems,
  normDeg,
  type MapOp,
} from '../../renderer/src/screens/blocking-items.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import { assetPath } from '../../engine/util/paths.js';
import type { Project } from '../../engine/model/schema.js';

function setup() {
  const store = configureStore({ reducer: { doc: docReducer } });
  let doc: Project = loadProject(assetPath('templates', 'two-scenes')).doc;
  const load = () => store.dispatch(docLoaded({ doc, dir: '/p', version: 0, history: { canUndo: false, canRedo: false }, dirty: false }));
  load();
  const scene = () => store.getState().doc.scenes.entities['kitchen']!;
  const shots = () => store.getState().doc.shots.entities;
  const items = () =>
    mapItems(
      scene(),
      scene().shotIds.map((id) => shots()[id]!),
      store.getState().doc.characters.entities,
    );
  /** One key press: the command, applied by the engine, back in the store. */
  const press = (key: string, op: MapOp) => {
    const cmd = itemCommand(scene(), shots(), key, op);
    if (!cmd) throw new Error(`no command for ${key}`);
    doc = applyCommand(doc, cmd.command).doc;
    load();
    return cmd;
  };
  const item = (key: string) => items().find((it) => it.key === key)!;
  return { items, press, item, scene, shots, doc: () => doc };
}

describe('blocking map keyboard', () => {
  it('lists props, start marks and cameras in that order, named for the readout', () => {
    const { items } = setup();
    expect(items().map((it) => it.key)).toEqual([
      'prop:table',
      'prop:cup',
      'prop:chair',
      'mark:mia',
      'mark:leo',
      'camera:s1',
      'camera:s2',
      'camera:s3',
    ]);
    expect(items().map((it) => it.label)).toEqual([
      'Prop table',
      'Prop red cup',
      'Prop chair',
      "Mia's start mark",
      "Leo's start mark",
      'Camera of shot 1/1',
      'Camera of shot 1/2',
      'Camera of shot 1/3',
    ]);
    const [table, , , mia, , s1] = items();
    expect(describeItem(table!)).toBe('Prop table at x 0.00, z 0.00, facing 0°');
    expect(describeItem(mia!)).toBe("Mia's start mark at x 1.60, z 1.20, facing −60°");
    expect(describeItem(s1!)).toBe('Camera of shot 1/1 at x 0.00, z 6.50, facing 0°');
  });

  it('cycles round the list both ways', () => {
    const { items } = setup();
    expect(cycleItem(items(), null, 1)).toBe('prop:table');
    expect(cycleItem(items(), null, -1)).toBe('camera:s3');
    expect(cycleItem(items(), 'camera:s3', 1)).toBe('prop:table');
    expect(cycleItem(items(), 'prop:table', -1)).toBe('camera:s3');
    expect(cycleItem(items(), 'mark:mia', 1)).toBe('mark:leo');
    expect(cycleItem([], null, 1)).toBeNull();
  });

  it('moves each kind with the command its drag uses, on exact steps', () => {
    const { press, item, doc } = setup();
    expect(press('prop:cup', { move: [0.1, 0] }).command.type).toBe('prop.update');
    press('prop:cup', { move: [0.1, 0] });
    press('prop:cup', { move: [0, -0.01] });
    expect(doc().scenes[0]!.props.find((p) => p.id === 'cup')!.position).toEqual([0.7, 0.81, 0.09]);

    expect(press('mark:leo', { move: [-1, 0] }).command.type).toBe('mark.set');
    press('mark:leo', { move: [0, 0.1] });
    const leo = doc().scenes[0]!.marks.find((m) => m.characterId === 'leo')!;
    expect(leo).toEqual({ characterId: 'leo', position: [-2.8, -0.9], facingDeg: 110 });

    const before = doc().scenes[0]!.shots[2]!.camera;
    const cmd = press('camera:s3', { move: [0.1, 0.1] });
    expect(cmd).toMatchObject({ label: 'Move camera', command: { type: 'shot.update', shotId: 's3' } });
    const cam = doc().scenes[0]!.shots[2]!.camera;
    expect(cam.position).toEqual([-0.35, 1.6, -0.15]);
    expect({ ...cam, position: before.position }).toEqual(before);
    expect(item('camera:s3').x).toBe(-0.35);
  });

  it("turns props, marks and a camera's aim about the vertical axis", () => {
    const { press, item, doc } = setup();
    press('prop:chair', { turn: -5 });
    expect(doc().scenes[0]!.props.find((p) => p.id === 'chair')!.yawDeg).toBe(-5);
    press('mark:mia', { turn: 15 });
    expect(doc().scenes[0]!.marks.find((m) => m.characterId === 'mia')!.facingDeg).toBe(-45);

    const h0 = item('camera:s2').heading;
    const before = doc().scenes[0]!.shots[1]!.camera;
    press('camera:s2', { turn: 5 });
    const cam = doc().scenes[0]!.shots[1]!.camera;
    expect(cam.position).toEqual(before.position);
    expect(cam.target[1]).toBe(before.target[1]);
    const dist = (c: typeof cam) => Math.hypot(c.target[0] - c.position[0], c.target[2] - c.position[2]);
    expect(dist(cam)).toBeCloseTo(dist(before), 2);
    expect(normDeg(item('camera:s2').heading - h0)).toBeCloseTo(5, 1);
    press('camera:s2', { turn: -5 });
    expect(doc().scenes[0]!.shots[1]!.camera.target[0]).toBeCloseTo(before.target[0], 2);
    expect(doc().scenes[0]!.shots[1]!.camera.target[2]).toBeCloseTo(before.target[2], 2);
  });

  it('formats metres and angles', () => {
    expect(fmtMetres(-3.4)).toBe('−3.40');
    expect(fmtMetres(-0.001)).toBe('0.00');
    expect(fmtMetres(1.2)).toBe('1.20');
    expect(normDeg(190)).toBe(-170);
    expect(normDeg(-180)).toBe(180);
    expect(normDeg(-360)).toBe(0);
    expect(cameraHeading([0, 0, 0], [1, 0, 0])).toBe(90);
    expect(cameraHeading([0, 0, 0], [0, 0, 1])).toBe(180);
  });

  it('makes no command for an item that is not in the scene', () => {
    const { scene, shots } = setup();
    expect(itemCommand(scene(), shots(), 'prop:nope', { turn: 5 })).toBeUndefined();
    expect(itemCommand(scene(), shots(), 'camera:s4', { move: [0.1, 0] })).toBeUndefined();
    expect(itemCommand(scene(), shots(), 'nothing:x', { move: [0.1, 0] })).toBeUndefined();
  });
});
