import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../engine/model/commands/index.js';
import { applyAll, emptyProject, SCENE_COMMANDS } from './scene-doc.js';

describe('shot numbers follow the scene order', () => {
  it('after moving a shot within and between scenes, no two cards of a scene share a number', () => {
    let doc = applyAll(emptyProject(), [
      ...SCENE_COMMANDS,
      { type: 'scene.add', scene: { id: 'hall', name: 'Hall' } },
      { type: 'shot.add', sceneId: 'hall', shot: { id: 'h1', duration: 48 } },
    ]);
    const numbers = (sceneId: string) => doc.scenes.find((s) => s.id === sceneId)!.shots.map((s) => `${s.id}:${s.number}`);
    expect(numbers('kitchen')).toEqual(['wide:1', 'close:2', 'ots:3']);
    doc = applyCommand(doc, { type: 'shot.move', shotId: 'ots', index: 0 }).doc;
    expect(numbers('kitchen')).toEqual(['ots:1', 'wide:2', 'close:3']);
    doc = applyCommand(doc, { type: 'shot.move', shotId: 'ots', toSceneId: 'hall', index: 0 }).doc;
    expect(numbers('kitchen')).toEqual(['wide:1', 'close:2']);
    expect(numbers('hall')).toEqual(['ots:1', 'h1:2']);
  });

  it('script numbers written by hand ("2A") stay as written', () => {
    let doc = applyAll(emptyProject(), [...SCENE_COMMANDS, { type: 'shot.update', shotId: 'close', patch: { number: '2A' } }]);
    doc = applyCommand(doc, { type: 'shot.move', shotId: 'close', index: 0 }).doc;
    expect(doc.scenes.find((s) => s.id === 'kitchen')!.shots.map((s) => s.number)).toEqual(['2A', '2', '3']);
  });
});
