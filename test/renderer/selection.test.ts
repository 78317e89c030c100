/** A clip picked on the timeline picks its shot for the inspector, and a shot picked on a card picks its clip. */
import { describe, expect, it } from 'vitest';
import { createStore } from '../../renderer/src/store/store.js';
import { docLoaded } from '../../renderer/src/store/doc-slice.js';
import { pickClip, pickShot } from '../../renderer/src/store/selection.js';
import { applyAll, emptyProject, SCENE_COMMANDS } from '../direct/scene-doc.js';

function loaded() {
  const doc = applyAll(emptyProject(), SCENE_COMMANDS);
  const store = createStore();
  store.dispatch(docLoaded({ doc, dir: '/p', version: 0, history: { canUndo: false, canRedo: false }, dirty: false }));
  const clipOf = (shotId: string) =>
    doc.sequence.tracks.flatMap((t) => t.clips).find((c) => c.source.type === 'shot' && c.source.shotId === shotId)!.id;
  return { store, clipOf };
}

describe('timeline ↔ inspector selection', () => {
  it("picking a shot's clip on the timeline selects the shot and its scene", () => {
    const { store, clipOf } = loaded();
    store.dispatch(pickClip(clipOf('close')));
    expect(store.getState().ui).toMatchObject({ selectedClipId: clipOf('close'), selectedShotId: 'close', selectedSceneId: 'kitchen' });
  });

  it("picking a card selects the shot's clip on the timeline", () => {
    const { store, clipOf } = loaded();
    store.dispatch(pickShot('ots'));
    expect(store.getState().ui).toMatchObject({ selectedClipId: clipOf('ots'), selectedShotId: 'ots', selectedSceneId: 'kitchen' });
  });

  it('clearing the clip keeps the shot in the inspector', () => {
    const { store, clipOf } = loaded();
    store.dispatch(pickClip(clipOf('wide')));
    store.dispatch(pickClip(null));
    expect(store.getState().ui).toMatchObject({ selectedClipId: null, selectedShotId: 'wide' });
  });
});
