/** Each shot's title as people read it ("Shot 2/3 · Close-up of Leo", engine/common/shot-title.ts), from the document held now. */
import { createSelector } from '@reduxjs/toolkit';
import { shotTitle } from '../../../engine/common/shot-title.js';
import { charactersSel, scenesSel, shotsSel } from './selectors.js';

export const shotTitles = createSelector([scenesSel.selectAll, shotsSel.selectEntities, charactersSel.selectAll], (scenes, shots, cast) => {
  const names = new Map(cast.map((c) => [c.id, c.name]));
  const out = new Map<string, string>();
  for (const scene of scenes) {
    const props = new Map((scene.props ?? []).map((p) => [p.id, p.name]));
    for (const id of scene.shotIds) {
      const shot = shots[id];
      if (shot)
        out.set(
          id,
          shotTitle(scene.number, shot, (x) => names.get(x) ?? props.get(x)),
        );
    }
  }
  return out;
});
