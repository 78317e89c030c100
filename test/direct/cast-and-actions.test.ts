/** Issue 13 (Cast panel and scene actions): reference images, reordered actions and spread cameras, as typed, undoable commands. */
import { cpSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHistory, execute, undo } from '../../engine/model/history.js';
import { insideSet, CAMERA_SPREAD_M } from '../../engine/model/framing.js';
import { checkIntegrity } from '../../engine/model/integrity.js';
import { buildShotRequest, cacheKey } from '../../engine/generate/shot-request.js';
import { importReferenceImage } from '../../engine/media/reference-image.js';
import { veoRequestBody } from '../../engine/generate/cloud/veo.js';
import { tempDir } from '../support/env.js';
import { RED_PIXEL_PNG } from '../support/images.js';
import { applyAll, emptyProject, SCENE_COMMANDS } from './scene-doc.js';

describe('cameras of a new scene', () => {
  it('are spread, not stacked: shots added without framing or camera stand apart, inside the set, aimed at the marks', () => {
    const doc = applyAll(emptyProject(), [
      ...SCENE_COMMANDS.slice(0, 4),
      { type: 'shot.add', sceneId: 'kitchen', shot: { id: 'a' } },
      { type: 'shot.add', sceneId: 'kitchen', shot: { id: 'b' } },
      { type: 'shot.add', sceneId: 'kitchen', shot: { id: 'c' } },
      { type: 'shot.add', sceneId: 'kitchen', shot: { id: 'd' } },
    ]);
    const scene = doc.scenes.find((s) => s.id === 'kitchen')!;
    const cams = scene.shots.map((s) => s.camera.position);
    for (let i = 0; i < cams.length; i++)
      for (let j = i + 1; j < cams.length; j++)
        expect(Math.hypot(cams[i]![0] - cams[j]![0], cams[i]![2] - cams[j]![2]), `${i} and ${j}`).toBeGreaterThanOrEqual(CAMERA_SPREAD_M);
    for (const s of scene.shots) expect(insideSet(scene.set, s.camera.position), s.id).toBe(true);
  });
});

describe('reference images of a character', () => {
  it('are copied into the project once per picture, named by the character, removable, undoable, and sent to backends', async () => {
    const t = tempDir();
    const png = join(t.dir, 'mia face.png');
    writeFileSync(png, RED_PIXEL_PNG);
    const projectDir = join(t.dir, 'p');
    mkdirSync(projectDir);
    const media = await importReferenceImage(projectDir, png);
    expect(media.kind).toBe('image');
    expect(existsSync(join(projectDir, media.path))).toBe(true);
    expect(await importReferenceImage(projectDir, png)).toEqual(media);

    let h = createHistory(applyAll(emptyProject(), SCENE_COMMANDS));
    h = execute(h, { type: 'character.addReference', characterId: 'mia', media });
    const mia = () => h.doc.characters.find((c) => c.id === 'mia')!;
    expect(mia().references).toEqual([media.id]);
    expect(h.doc.media.filter((m) => m.id === media.id)).toHaveLength(1);
    expect(checkIntegrity(h.doc)).toEqual([]);
    // the backends that take reference images get the file (the over-the-shoulder shows Mia)
    expect(buildShotRequest(h.doc, 'ots', { projectDir }).references.images).toEqual([join(projectDir, media.path)]);
    // Veo sends them as reference images of the asset kind, inline
    const veo = veoRequestBody(buildShotRequest(h.doc, 'ots', { projectDir })) as { instances: Array<{ referenceImages?: unknown }> };
    expect(veo.instances[0]!.referenceImages).toEqual([
      { image: { inlineData: { mimeType: 'image/png', data: RED_PIXEL_PNG.toString('base64') } }, referenceType: 'asset' },
    ]);
    // the cache key counts the picture, not where it lies: the same project in another folder keeps its keys; another picture does not
    const moved = join(t.dir, 'moved');
    cpSync(projectDir, moved, { recursive: true });
    const previz = { id: 'previz', version: '1' };
    const key = cacheKey(previz, buildShotRequest(h.doc, 'ots', { projectDir }));
    expect(cacheKey(previz, buildShotRequest(h.doc, 'ots', { projectDir: moved }))).toBe(key);
    writeFileSync(join(moved, media.path), Buffer.concat([RED_PIXEL_PNG, Buffer.from([0])]));
    expect(cacheKey(previz, buildShotRequest(h.doc, 'ots', { projectDir: moved }))).not.toBe(key);
    // without the project's folder nothing is sent (and a character without references changes no request)
    expect(buildShotRequest(h.doc, 'ots').references.images).toBeUndefined();

    h = execute(h, { type: 'character.removeReference', characterId: 'mia', mediaId: media.id });
    expect(mia().references).toBeUndefined();
    expect(h.doc.media.some((m) => m.id === media.id)).toBe(false);
    h = undo(h);
    expect(mia().references).toEqual([media.id]);
    h = undo(h);
    expect(mia().references).toBeUndefined();
    t.cleanup();
  });

  it('refuses a file that is not an image, naming it', async () => {
    const t = tempDir();
    const txt = join(t.dir, 'notes.png');
    writeFileSync(txt, 'hello');
    await expect(importReferenceImage(t.dir, txt, 'notes.png')).rejects.toThrow('notes.png is not a PNG, JPEG or WebP image');
    t.cleanup();
  });
});

describe('scene actions', () => {
  const withActions = () =>
    applyAll(emptyProject(), [
      ...SCENE_COMMANDS.slice(0, 4),
      { type: 'prop.add', sceneId: 'kitchen', prop: { id: 'cup', kind: 'cup', name: 'cup', position: [0, 0.8, -0.8] } },
      { type: 'action.add', sceneId: 'kitchen', action: { id: 'walk', at: 24, actorId: 'mia', verb: 'walk', to: [0, -0.5] } },
      { type: 'action.add', sceneId: 'kitchen', action: { id: 'pick', at: 96, actorId: 'mia', verb: 'pickup', targetId: 'cup' } },
      { type: 'action.add', sceneId: 'kitchen', action: { id: 'turn', at: 144, actorId: 'leo', verb: 'turn' } },
    ]);

  it('reorder: the action takes the place and the time of the one it moves before; the times stay sorted; undo puts it back', () => {
    let h = createHistory(withActions());
    const list = () => h.doc.scenes.find((s) => s.id === 'kitchen')!.actions.map((a) => `${a.id}@${a.at}`);
    expect(list()).toEqual(['walk@24', 'pick@96', 'turn@144']);
    h = execute(h, { type: 'action.move', sceneId: 'kitchen', actionId: 'turn', index: 0 });
    expect(list()).toEqual(['turn@24', 'walk@96', 'pick@144']);
    h = execute(h, { type: 'action.update', sceneId: 'kitchen', actionId: 'walk', patch: { at: 200 } });
    expect(list()).toEqual(['turn@24', 'pick@144', 'walk@200']);
    h = undo(undo(h));
    expect(list()).toEqual(['walk@24', 'pick@96', 'turn@144']);
  });
});
