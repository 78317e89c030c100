import { describe, expect, it } from 'vitest';
import { planPrevizShot } from '../../engine/generate/previz/previz-backend.js';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { linesOfShot } from '../../engine/model/lines.js';
import type { Project } from '../../engine/model/schema.js';
import { frameToSample } from '../../engine/common/time.js';
import { applyAll, emptyProject, SCENE_COMMANDS } from './scene-doc.js';

function small(doc: Project): Project {
  return { ...doc, sequence: { ...doc.sequence, width: 320, height: 180 } };
}

describe('previz of a scene framed in film language', () => {
  it("the close-up shows its subject's head, big, on every frame (from the previz's own screen boxes)", async () => {
    const doc = applyAll(small(emptyProject()), SCENE_COMMANDS);
    const plan = await planPrevizShot(buildShotRequest(doc, 'close'));
    for (const track of plan.frames.tracks) {
      const head = track.boxes['leo#head'];
      expect(head).not.toBeNull();
      const [x0, y0, x1, y1] = head!;
      expect(x0).toBeGreaterThan(0);
      expect(x1).toBeLessThan(320);
      expect(y0).toBeGreaterThan(0);
      expect(y1 - y0).toBeGreaterThan(180 * 0.2); // a close-up: the head fills a fifth of the height or more
    }
    // the over-the-shoulder shows Mia's head whole
    const ots = await planPrevizShot(buildShotRequest(doc, 'ots'));
    const mia = ots.frames.tracks[0]!.boxes['mia#head']!;
    expect(mia[0]).toBeGreaterThan(0);
    expect(mia[2]).toBeLessThan(320);
  });

  it("each take speaks exactly its own shot's lines, also after shots moved between scenes", async () => {
    let doc = applyAll(small(emptyProject()), [
      ...SCENE_COMMANDS,
      { type: 'scene.add', scene: { id: 'hall', name: 'Hall' } },
      { type: 'shot.add', sceneId: 'hall', shot: { id: 'h1', duration: 72 } },
      { type: 'line.add', line: { characterId: 'mia', text: 'Wait for me.', shotId: 'h1' } },
    ]);
    // the hall's shot (scene time 0) goes to the middle of the kitchen; the kitchen's last shot to the hall
    doc = applyCommand(doc, { type: 'shot.move', shotId: 'h1', toSceneId: 'kitchen', index: 1 }).doc;
    doc = applyCommand(doc, { type: 'shot.move', shotId: 'ots', toSceneId: 'hall', index: 0 }).doc;
    for (const shotId of ['wide', 'h1', 'close', 'ots']) {
      const request = buildShotRequest(doc, shotId);
      const plan = await planPrevizShot(request);
      const shot = request.shot;
      const from = frameToSample(shot.sceneStart, doc.sequence.rate);
      const to = frameToSample(shot.sceneStart + shot.duration, doc.sequence.rate);
      const heard = plan.lines.filter((l) => l.startSample < to && l.endSample > from).map((l) => l.text);
      expect(heard, shotId).toEqual(linesOfShot(doc, shotId).map((l) => l.text));
    }
  });
});
