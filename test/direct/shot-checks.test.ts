import { describe, expect, it } from 'vitest';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { checkRequest } from '../../engine/generate/previz/scene-input.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { checkShot, checkShots } from '../../engine/model/shot-checks.js';
import type { Project } from '../../engine/model/schema.js';
import { applyAll, emptyProject, SCENE_COMMANDS } from './scene-doc.js';

const scene = () =>
  applyAll(emptyProject(), [
    { type: 'shot.remove', shotId: 'shot-1' },
    ...SCENE_COMMANDS,
    ...['wide', 'close', 'ots'].map((id) => ({ type: 'shot.update' as const, shotId: id, patch: { prompt: 'In the kitchen.' } })),
  ]);
const fixWith = (doc: Project, shotId: string, code: string) => {
  const c = checkShot(doc, shotId).find((x) => x.code === code)!;
  expect(c.fix, code).toBeDefined();
  return applyAll(doc, c.fix!.commands);
};

describe('checks before generating', () => {
  it('a well-made scene has nothing to say', () => {
    expect(checkShots(scene())).toEqual([]);
  });

  it('names in the prompt that are not in the cast, with a fix that adds them', () => {
    let doc = applyCommand(scene(), {
      type: 'shot.update',
      shotId: 'wide',
      patch: { prompt: 'Anna hands the cup to Ben while Leo watches.' },
    }).doc;
    const found = checkShot(doc, 'wide').filter((c) => c.code === 'UNKNOWN_NAME');
    expect(found.map((c) => c.message)).toEqual([
      'Shot 2/1: the prompt names “Anna”, who is not in the cast; the picture would not show them',
      'Shot 2/1: the prompt names “Ben”, who is not in the cast; the picture would not show them',
    ]);
    doc = fixWith(doc, 'wide', 'UNKNOWN_NAME');
    expect(doc.characters.map((c) => c.name)).toContain('Anna');
    expect(doc.scenes.find((s) => s.id === 'kitchen')!.marks.map((m) => m.characterId)).toContain('anna');
  });

  it('a line longer than its shot says how long it needs, and the fix makes the shot that long', () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    let doc = applyAll(scene(), [
      { type: 'shot.update', shotId: 'close', patch: { duration: 48 } },
      { type: 'line.update', lineId: 'line-2', patch: { text: long } },
    ]);
    const c = checkShot(doc, 'close').find((x) => x.code === 'LINE_TOO_LONG')!;
    expect(c.message).toBe('Shot 2/2: its line needs about 24.3 s, but the shot lasts 2.0 s');
    doc = fixWith(doc, 'close', 'LINE_TOO_LONG');
    expect(checkShot(doc, 'close').some((x) => x.code === 'LINE_TOO_LONG')).toBe(false);
  });

  it('a camera outside the set, a subject out of frame, a lens out of range, an empty prompt', () => {
    const doc0 = scene();
    const cam = doc0.scenes[1]!.shots[1]!.camera;
    let doc = applyCommand(doc0, { type: 'shot.update', shotId: 'close', patch: { camera: { ...cam, position: [50, 1.6, 0] } } }).doc;
    expect(checkShot(doc, 'close').map((c) => c.message)).toContain(
      'Shot 2/2: the camera stands outside the set (50, 0 m in a 6 × 5 m room); it would film through a wall',
    );
    doc = fixWith(doc, 'close', 'CAMERA_OUTSIDE_SET');
    expect(checkShot(doc, 'close')).toEqual([]);
    doc = applyCommand(doc, {
      type: 'shot.update',
      shotId: 'close',
      patch: { camera: { ...cam, target: [cam.position[0] * 2 - cam.target[0], cam.target[1], cam.position[2] * 2 - cam.target[2]] } },
    }).doc;
    expect(checkShot(doc, 'close').map((c) => c.code)).toEqual(['SUBJECT_OUT_OF_FRAME']);
    doc = fixWith(doc, 'close', 'SUBJECT_OUT_OF_FRAME');
    doc = applyCommand(doc, { type: 'shot.update', shotId: 'close', patch: { camera: { ...cam, lensMm: 8 }, prompt: '' } }).doc;
    expect(
      checkShot(doc, 'close')
        .map((c) => c.code)
        .sort(),
    ).toEqual(['EMPTY_PROMPT', 'LENS_UNUSUAL']);
    doc = fixWith(doc, 'close', 'EMPTY_PROMPT');
    expect(doc.scenes[1]!.shots[1]!.prompt).toBe('Close-up shot of Leo. Leo says: “Every single day.”');
  });

  it('a speaker without a mark is named in words at generation, never by id', () => {
    const doc = scene();
    const raw = structuredClone(doc);
    raw.scenes[1]!.marks = raw.scenes[1]!.marks.filter((m) => m.characterId !== 'leo');
    raw.scenes[1]!.actions = [];
    expect(() => checkRequest(buildShotRequest(raw, 'wide'))).toThrow(
      'Shot 2/1: Leo says “I kept it for three years.” but has no start mark in scene 2 “Kitchen”',
    );
    const c = checkShot(raw, 'wide').find((x) => x.code === 'NO_MARK')!;
    expect(c.message).not.toMatch(/line-\d|shot-|"leo"/);
    expect(checkShot(applyAll(raw, c.fix!.commands), 'wide').some((x) => x.code === 'NO_MARK')).toBe(false);
  });
});

describe('names in a prompt', () => {
  it('words in quotes are spoken, not people', async () => {
    const { namesIn } = await import('../../engine/model/shot-checks.js');
    expect(namesIn('Close-up shot of Leo. Leo says: “Every single day.” Anna waits.')).toEqual(['Leo', 'Anna']);
  });
});
