import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../engine/model/commands/index.js';
import { createHistory, execute, undo } from '../../engine/model/history.js';
import { insideSet, projectPoint } from '../../engine/model/framing.js';
import { findShot } from '../../engine/model/lookup.js';
import { applyAll, emptyProject, SCENE_COMMANDS } from './scene-doc.js';

const videoClips = (doc: ReturnType<typeof emptyProject>) =>
  doc.sequence.tracks
    .find((t) => t.id === 'v1')!
    .clips.map((c) => ({ shot: c.source.type === 'shot' ? c.source.shotId : '', start: c.recordStart, duration: c.duration }));

describe("a scene of one's own: cast, set, marks, shots in film language", () => {
  it('a new scene gets start marks for its cast, apart and facing each other; undo takes them back', () => {
    let h = createHistory(emptyProject());
    h = execute(h, SCENE_COMMANDS.slice(0, 3));
    h = execute(h, SCENE_COMMANDS[3]!);
    const marks = h.doc.scenes.find((s) => s.id === 'kitchen')!.marks;
    expect(marks.map((m) => m.characterId)).toEqual(['leo', 'mia']);
    const [a, b] = marks;
    expect(Math.hypot(a!.position[0] - b!.position[0], a!.position[1] - b!.position[1])).toBeGreaterThan(0.9);
    expect(a!.facingDeg).toBe(90); // Leo looks towards Mia (+x)
    expect(b!.facingDeg).toBe(-90);
    h = undo(h);
    expect(h.doc.scenes.find((s) => s.id === 'kitchen')!.marks).toEqual([]);
  });

  it('a line or a shot that uses a character without a mark gives it one (no "who has no mark" at generation)', () => {
    const doc = applyAll(emptyProject(), [
      ...SCENE_COMMANDS.slice(0, 3),
      { type: 'shot.add', sceneId: 'kitchen', shot: { id: 'a' } },
      { type: 'line.add', line: { characterId: 'mia', text: 'Hello.', shotId: 'a' } },
    ]);
    expect(doc.scenes.find((s) => s.id === 'kitchen')!.marks.map((m) => m.characterId)).toEqual(['mia']);
  });

  it("each shot's camera is placed from its size and subject: subject in frame, eyes near the upper third, inside the set, cameras spread", () => {
    const doc = applyAll(emptyProject(), SCENE_COMMANDS);
    const scene = doc.scenes.find((s) => s.id === 'kitchen')!;
    const { width, height } = doc.sequence;
    const cams = scene.shots.map((s) => s.camera);
    for (const shot of scene.shots) {
      expect(insideSet(scene.set, shot.camera.position), shot.id).toBe(true);
      const subject = scene.marks.find((m) => m.characterId === shot.framing!.subjectId)!;
      const h = doc.characters.find((c) => c.id === subject.characterId)!.look.height;
      const eye = projectPoint(shot.camera, width, height, [subject.position[0], h * 0.93, subject.position[1]])!;
      expect(eye[0], shot.id).toBeGreaterThan(width * 0.25);
      expect(eye[0], shot.id).toBeLessThan(width * 0.75);
      expect(Math.abs(eye[1] - height / 3), shot.id).toBeLessThan(height * 0.06);
    }
    for (let i = 0; i < cams.length; i++)
      for (let j = i + 1; j < cams.length; j++) {
        expect(Math.hypot(cams[i]!.position[0] - cams[j]!.position[0], cams[i]!.position[2] - cams[j]!.position[2])).toBeGreaterThan(0.5);
      }
    // the close-up is closer (or longer) than the wide: the subject's head is bigger
    const headPx = (shotId: string) => {
      const cam = findShot(doc, shotId)!.shot.camera;
      const m = scene.marks[0]!;
      const top = projectPoint(cam, width, height, [m.position[0], 1.75, m.position[1]])!;
      const chin = projectPoint(cam, width, height, [m.position[0], 1.5, m.position[1]])!;
      return chin[1] - top[1];
    };
    expect(headPx('close')).toBeGreaterThan(headPx('wide') * 2.5);
  });

  it('a camera never stands outside the set, even when the size wants more room', () => {
    const doc = applyAll(emptyProject(), [
      ...SCENE_COMMANDS.slice(0, 2),
      { type: 'scene.add', scene: { id: 'tiny', name: 'Closet', set: { width: 2, depth: 2 } } },
      { type: 'shot.add', sceneId: 'tiny', shot: { id: 'w', framing: { size: 'wide', subjectId: 'leo' } } },
    ]);
    const scene = doc.scenes.find((s) => s.id === 'tiny')!;
    expect(insideSet(scene.set, scene.shots[0]!.camera.position)).toBe(true);
  });

  it('moving a mark moves the framed cameras with it', () => {
    let doc = applyAll(emptyProject(), SCENE_COMMANDS);
    const before = findShot(doc, 'close')!.shot.camera;
    doc = applyCommand(doc, { type: 'mark.set', sceneId: 'kitchen', mark: { characterId: 'leo', position: [-1.5, 1], facingDeg: 60 } }).doc;
    expect(findShot(doc, 'close')!.shot.camera.position).not.toEqual(before.position);
  });
});

describe('storyboard and timeline agree', () => {
  it("a new shot's clip has the shot's duration; no gap at the start", () => {
    const doc = applyAll(emptyProject(), [{ type: 'shot.remove', shotId: 'shot-1' }, ...SCENE_COMMANDS]);
    expect(videoClips(doc)).toEqual([
      { shot: 'wide', start: 0, duration: 72 },
      { shot: 'close', start: 72, duration: 72 },
      { shot: 'ots', start: 144, duration: 60 },
    ]);
  });

  it("changing a shot's duration changes the clip that shows all of it, and later clips and shots follow", () => {
    let doc = applyAll(emptyProject(), [{ type: 'shot.remove', shotId: 'shot-1' }, ...SCENE_COMMANDS]);
    doc = applyCommand(doc, { type: 'shot.update', shotId: 'close', patch: { duration: 96 } }).doc;
    expect(videoClips(doc)).toEqual([
      { shot: 'wide', start: 0, duration: 72 },
      { shot: 'close', start: 72, duration: 96 },
      { shot: 'ots', start: 168, duration: 60 },
    ]);
    expect(findShot(doc, 'ots')!.shot.sceneStart).toBe(168);
  });

  it('deleting a shot closes the gap it leaves (ripple), unless ripple is off', () => {
    const doc = applyAll(emptyProject(), SCENE_COMMANDS);
    const rippled = applyCommand(doc, { type: 'shot.remove', shotId: 'shot-1' }).doc;
    expect(videoClips(rippled)[0]).toEqual({ shot: 'wide', start: 0, duration: 72 });
    const kept = applyCommand(doc, { type: 'shot.remove', shotId: 'shot-1', ripple: false }).doc;
    expect(videoClips(kept)[0]).toEqual({ shot: 'wide', start: 72, duration: 72 });
  });
});
