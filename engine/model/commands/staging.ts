/** Commands that stage a scene from what its shots need: start marks placed for characters. */
import { z } from 'zod';
import { findScene, findShot } from '../lookup.js';
import { nextVariationSeed } from '../variation-seed.js';
import { ensureMarks, reframeScene } from '../staging.js';
import { defineCommand, notFound } from './define.js';

export const markPlace = defineCommand({
  type: 'mark.place',
  label: 'Place characters',
  schema: z.object({ type: z.literal('mark.place'), sceneId: z.string().min(1), characterIds: z.array(z.string().min(1)).min(1) }),
  perform(doc, cmd) {
    const scene = findScene(doc, cmd.sceneId) ?? notFound('scene', cmd.sceneId, 'sceneId');
    cmd.characterIds.forEach((id, i) => {
      if (!doc.characters.some((c) => c.id === id)) notFound('character', id, `characterIds[${i}]`);
    });
    ensureMarks(doc, scene, cmd.characterIds);
    reframeScene(doc, scene);
  },
});

/** "Generate again": the shot's next takes are made with a new variation seed (its earlier takes stay in the take picker). */
export const shotVary = defineCommand({
  type: 'shot.vary',
  label: 'New variation',
  schema: z.object({ type: z.literal('shot.vary'), shotId: z.string().min(1) }),
  perform(doc, cmd) {
    const loc = findShot(doc, cmd.shotId) ?? notFound('shot', cmd.shotId, 'shotId');
    loc.shot.seed = nextVariationSeed(doc, cmd.shotId);
    delete loc.shot.selectedTakeId;
  },
});
