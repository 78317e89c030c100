/**
 * The domain tables of engine/common/ are the ones both sides use: the blocking
 * map draws each prop kind as big as the previz simulation's body, the
 * storyboard's current take is the engine's, and the audio editor's ops are the
 * document's.
 */
import { describe, expect, it } from 'vitest';
import { configureStore } from '@reduxjs/toolkit';
import docReducer, { docLoaded } from '../../renderer/src/store/doc-slice.js';
import { currentTakes } from '../../renderer/src/store/selectors.js';
import { propOnMap } from '../../renderer/src/screens/blocking-items.js';
import { editCommand } from '../../renderer/audio-editor/edit-commands.js';
import { AUDIO_EDIT_OPS, AUDIO_EDIT_OP_INFO } from '../../engine/common/audio-edit-ops.js';
import { keptRanges } from '../../engine/common/edit-pieces.js';
import { PROP_KINDS, resolveProp } from '../../engine/common/prop-kinds.js';
import { loadRapier } from '../../engine/generate/previz/rapier.js';
import { propCollider } from '../../engine/generate/previz/simulate.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { currentTake } from '../../engine/model/lookup.js';
import { loadProject } from '../../engine/model/project-file.js';
import { AudioEditOpSchema, type Prop, type PropKind, type Project, type Take } from '../../engine/model/schema.js';
import { assetPath } from '../../engine/util/paths.js';

const SCALE = 1000; // px a metre: every footprint is above the map's 8 px minimum (Rapier keeps sizes as f32: equal to 3 decimals of a px)

describe('prop kinds: one table for the previz and the blocking map', () => {
  it('the map footprint of every kind (default and own size) is the previz body seen from above', async () => {
    const R = await loadRapier();
    const world = new R.World({ x: 0, y: -9.81, z: 0 });
    const sizes: Array<Prop['size']> = [undefined, [0.3, 0.7, 0.5]];
    for (const kind of Object.keys(PROP_KINDS) as PropKind[]) {
      for (const size of sizes) {
        const prop: Prop = {
          id: `p-${kind}`,
          kind,
          name: kind,
          color: '#888888',
          position: [0, 0, 0],
          yawDeg: 0,
          fixed: false,
          ...(size ? { size } : {}),
        } as Prop;
        const body = world.createCollider(propCollider(R, resolveProp(prop)));
        const shape = body.shape.type;
        const [x, z] =
          shape === R.ShapeType.Cuboid ? [2 * body.halfExtents()!.x, 2 * body.halfExtents()!.z] : [2 * body.radius(), 2 * body.radius()];
        const onMap = propOnMap(prop, SCALE);
        expect({ kind, size, round: onMap.round, width: onMap.width, depth: onMap.depth }).toEqual({
          kind,
          size,
          round: shape !== R.ShapeType.Cuboid,
          width: expect.closeTo(x * SCALE, 3),
          depth: expect.closeTo(z * SCALE, 3),
        });
      }
    }
    world.free();
  });
});

describe('current take: one rule for the engine and the storyboard', () => {
  it('selected, else newest ready, else none, for each shot', () => {
    let doc: Project = loadProject(assetPath('templates', 'two-scenes')).doc;
    const take = (shotId: string, number: number, status: Take['status']) => {
      doc = applyCommand(doc, {
        type: 'take.add',
        take: {
          id: `t-${shotId}-${number}`,
          shotId,
          number,
          backend: 'slate',
          status,
          duration: 24,
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      }).doc;
    };
    take('s1', 1, 'ready');
    take('s1', 2, 'ready');
    take('s1', 3, 'failed'); // newest ready: 2
    take('s2', 1, 'ready');
    take('s2', 2, 'ready');
    doc = applyCommand(doc, { type: 'shot.update', shotId: 's2', patch: { selectedTakeId: 't-s2-1' } }).doc; // selected: 1
    take('s3', 1, 'failed'); // none
    const store = configureStore({ reducer: { doc: docReducer } });
    store.dispatch(docLoaded({ doc, dir: '/p', version: 0, history: { canUndo: false, canRedo: false }, dirty: false }));
    const shown = currentTakes(store.getState() as never);
    const ids = ['s1', 's2', 's3', 's4'];
    expect(ids.map((id) => shown.get(id)?.id)).toEqual(ids.map((id) => currentTake(doc, id)?.id));
    expect(ids.map((id) => currentTake(doc, id)?.id)).toEqual(['t-s1-2', 't-s2-1', undefined, undefined]);
  });
});

describe('audio edit ops: one table for the document and the editor', () => {
  it('the editor offers exactly the document ops, each a valid command; the removing ones remove audio', () => {
    expect([...AUDIO_EDIT_OPS]).toEqual(AudioEditOpSchema.options);
    for (const op of AUDIO_EDIT_OPS) {
      const cmd = editCommand('clip-1', op, { startSample: 48000, endSample: 96000 });
      const parsed = AudioEditOpSchema.parse(cmd.edit.op);
      const removed = keptRanges(0, 240000, [{ id: 'e', ...cmd.edit, op: parsed }]).every(([a, b]) => b <= 48000 || a >= 96000);
      expect({ op, removes: removed }).toEqual({ op, removes: AUDIO_EDIT_OP_INFO[op].removes });
    }
  });
});
