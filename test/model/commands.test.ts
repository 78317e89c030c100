import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCommand, applyDocPatches, COMMAND_TYPES } from '../../engine/model/commands/index.js';
import { createHistory, execute, redo, undo } from '../../engine/model/history.js';
import { findClip, findShot } from '../../engine/model/lookup.js';
import { loadProject } from '../../engine/model/project-file.js';
import { ROOT } from '../support/env.js';

const sample = () => loadProject(join(ROOT, 'assets', 'templates', 'two-scenes')).doc;

describe('commands', () => {
  it('apply is pure and its inverse patches restore the document', () => {
    const doc = sample();
    const frozen = JSON.stringify(doc);
    const r = applyCommand(doc, { type: 'clip.move', clipId: 'c2', recordStart: 500 });
    expect(JSON.stringify(doc)).toBe(frozen);
    expect(findClip(r.doc, 'c2')!.clip.recordStart).toBe(500);
    expect(JSON.stringify(applyDocPatches(r.doc, r.inversePatches))).toBe(frozen);
  });

  it('every command round-trips through undo and redo', () => {
    let h = createHistory(sample());
    const start = JSON.stringify(h.doc);
    const steps: unknown[] = [
      { type: 'shot.add', sceneId: 'kitchen', shot: { action: 'Leo sighs.', duration: 48 } },
      { type: 'line.add', line: { shotId: 's1', characterId: 'leo', text: 'Morning.' } },
      { type: 'shot.update', shotId: 's2', patch: { duration: 80, prompt: 'new prompt' } },
      { type: 'clip.trim', clipId: 'c3', edge: 'end', delta: -10 },
      { type: 'clip.trim', clipId: 'c4', edge: 'start', delta: 6 },
      { type: 'clip.split', clipId: 'c1', at: 40 },
      { type: 'clip.remove', clipId: 'c5', ripple: true },
      { type: 'prop.update', sceneId: 'kitchen', propId: 'cup', patch: { position: [0.2, 0.81, 0.2] } },
      { type: 'shot.move', shotId: 's3', index: 0 },
      { type: 'character.update', characterId: 'mia', patch: { name: 'Mia R.' } },
    ];
    const snapshots = [start];
    for (const s of steps) {
      h = execute(h, s);
      snapshots.push(JSON.stringify(h.doc));
    }
    for (let i = steps.length; i > 0; i--) {
      h = undo(h);
      expect(JSON.stringify(h.doc)).toBe(snapshots[i - 1]);
    }
    for (let i = 1; i <= steps.length; i++) {
      h = redo(h);
      expect(JSON.stringify(h.doc)).toBe(snapshots[i]);
    }
  });

  it('a list of commands is one undo step', () => {
    let h = createHistory(sample());
    h = execute(
      h,
      [
        { type: 'clip.move', clipId: 'c5', recordStart: 600 },
        { type: 'clip.trim', clipId: 'c5', edge: 'end', delta: -12 },
      ],
      'Drag',
    );
    expect(h.past).toHaveLength(1);
    expect(h.past[0]!.label).toBe('Drag');
    h = undo(h);
    expect(findClip(h.doc, 'c5')!.clip).toMatchObject({ recordStart: 336, duration: 72 });
  });

  it('split keeps source continuity', () => {
    const { doc } = applyCommand(sample(), { type: 'clip.split', clipId: 'c2', at: 120, newClipId: 'c2b' });
    expect(findClip(doc, 'c2')!.clip).toMatchObject({ recordStart: 96, duration: 24, sourceStart: 0 });
    expect(findClip(doc, 'c2b')!.clip).toMatchObject({ recordStart: 120, duration: 48, sourceStart: 24 });
  });

  it('rejects bad commands with a path and changes nothing', () => {
    const doc = sample();
    expect(() => applyCommand(doc, { type: 'shot.update', shotId: 's1', patch: { duration: 0 } })).toThrow(/patch.duration/);
    expect(() => applyCommand(doc, { type: 'clip.move', clipId: 'c2', recordStart: 100 })).toThrow(/overlaps/);
    expect(() => applyCommand(doc, { type: 'line.add', line: { shotId: 's1', characterId: 'ghost', text: 'Boo' } })).toThrow(
      /unknown character "ghost"/,
    );
    expect(() => applyCommand(doc, { type: 'shot.explode' })).toThrow(/unknown command type/);
    expect(() => applyCommand(doc, { type: 'shot.remove', shotId: 'zzz' })).toThrow(/no shot with id "zzz"/);
    expect(findShot(doc, 's1')!.shot.duration).toBe(96);
  });

  it('an update changes only the fields its patch names (no schema defaults for the others)', () => {
    const doc = sample();
    const s1 = findShot(doc, 's1')!.shot;
    const patched = (type: string, body: Record<string, unknown>) => applyCommand(doc, { type, ...body }).doc;
    // The camera alone: name, action, prompt, characters, seed and scene start stay.
    const shot = findShot(patched('shot.update', { shotId: 's1', patch: { camera: { ...s1.camera, lensMm: 50 } } }), 's1')!.shot;
    expect(shot).toEqual({ ...s1, camera: { ...s1.camera, lensMm: 50 } });
    expect(shot.name).not.toBe('');
    // Mute alone: gain, pan and solo stay.
    const track = (d: typeof doc) => d.sequence.tracks.find((t) => t.id === 'v1')!;
    const loud = patched('track.update', { trackId: 'v1', patch: { gainDb: -6, pan: 0.5, solo: true } });
    expect(track(applyCommand(loud, { type: 'track.update', trackId: 'v1', patch: { muted: true } }).doc)).toMatchObject({
      gainDb: -6,
      pan: 0.5,
      solo: true,
      muted: true,
    });
    // A prop's position alone, a character's name alone, a line's text alone, a clip's name alone, part of a set.
    const cup = doc.scenes[0]!.props.find((p) => p.id === 'cup')!;
    expect(
      patched('prop.update', { sceneId: 'kitchen', propId: 'cup', patch: { position: [0, 0, 0] } }).scenes[0]!.props.find(
        (p) => p.id === 'cup',
      ),
    ).toEqual({ ...cup, position: [0, 0, 0] });
    const mia = doc.characters.find((c) => c.id === 'mia')!;
    expect(patched('character.update', { characterId: 'mia', patch: { name: 'M.' } }).characters.find((c) => c.id === 'mia')).toEqual({
      ...mia,
      name: 'M.',
    });
    const line = doc.lines.find((l) => l.shotId === 's1')!;
    expect(patched('line.update', { lineId: line.id, patch: { text: 'Hm.' } }).lines.find((l) => l.id === line.id)).toEqual({
      ...line,
      text: 'Hm.',
    });
    const c1 = findClip(doc, 'c1')!.clip;
    expect(findClip(patched('clip.update', { clipId: 'c1', patch: { name: 'Open' } }), 'c1')!.clip).toEqual({ ...c1, name: 'Open' });
    const set = doc.scenes[0]!.set;
    expect(patched('scene.update', { sceneId: 'kitchen', patch: { set: { width: set.width + 1 } } }).scenes[0]!.set).toEqual({
      ...set,
      width: set.width + 1,
    });
  });

  it('removing a shot removes its takes and clips', () => {
    const { doc } = applyCommand(sample(), { type: 'shot.remove', shotId: 's2' });
    expect(findShot(doc, 's2')).toBeUndefined();
    expect(findClip(doc, 'c2')).toBeUndefined();
  });

  it('has one registry of command types', () => {
    expect(new Set(COMMAND_TYPES).size).toBe(COMMAND_TYPES.length);
    expect(COMMAND_TYPES).toContain('shot.update');
  });
});
