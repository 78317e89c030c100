import { describe, expect, it } from 'vitest';
import { planPrevizShot } from '../../engine/generate/previz/previz-backend.js';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { findShot } from '../../engine/model/lookup.js';
import { VARIATION_SEED_BASE } from '../../engine/model/variation-seed.js';
import { applyAll, emptyProject, SCENE_COMMANDS } from './scene-doc.js';

describe('variations', () => {
  it('"generate again" gives the shot a new seed; the previz moves its camera a little; the same seed reproduces exactly', async () => {
    const base = applyAll(emptyProject(), SCENE_COMMANDS);
    const doc0 = { ...base, sequence: { ...base.sequence, width: 160, height: 90 } };
    const doc1 = applyCommand(doc0, { type: 'shot.vary', shotId: 'close' }).doc;
    expect(findShot(doc1, 'close')!.shot.seed).toBe(VARIATION_SEED_BASE);
    const doc2 = applyCommand(
      {
        ...doc1,
        takes: [
          {
            id: 't1',
            shotId: 'close',
            number: 1,
            backend: 'previz',
            model: '',
            modelVersion: '',
            seed: VARIATION_SEED_BASE,
            status: 'ready',
            media: {},
            duration: 72,
            createdAt: '',
            params: {},
          },
        ],
      },
      { type: 'shot.vary', shotId: 'close' },
    ).doc;
    expect(findShot(doc2, 'close')!.shot.seed).toBe(VARIATION_SEED_BASE + 1);
    const cams = async (d: typeof doc0) => (await planPrevizShot(buildShotRequest(d, 'close'))).frames.cameras;
    const [a, b, again] = [await cams(doc0), await cams(doc1), await cams(doc1)];
    expect(b).not.toEqual(a);
    expect(again).toEqual(b);
    // the subject stays in frame in the variation
    const plan = await planPrevizShot(buildShotRequest(doc1, 'close'));
    for (const t of plan.frames.tracks) expect(t.boxes['leo#head']).not.toBeNull();
  });
});
