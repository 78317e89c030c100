/**
 * A command's result is checked on what it changed (the touched entities
 * against their schemas) plus the whole document's integrity: the same
 * problems `validateProject` finds, named by the same paths.
 */
import { produceWithPatches } from 'immer';
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../engine/model/commands/index.js';
import { changeIssues } from '../../engine/model/commands/validate-change.js';
import { loadProject, validateProject } from '../../engine/model/project-file.js';
import type { Project } from '../../engine/model/schema.js';
import { assetPath } from '../../engine/util/paths.js';

const template = () => loadProject(assetPath('templates', 'two-scenes')).doc;

/** The issues of a raw edit, next to those validateProject reports for the same document. */
function both(doc: Project, recipe: (d: Project) => void) {
  const [next, patches] = produceWithPatches(doc, recipe);
  let full: Array<{ path: string }> = [];
  try {
    validateProject(next, 'x');
  } catch (e) {
    full = (e as { issues: Array<{ path: string }> }).issues;
  }
  return { change: changeIssues(next, patches).map((i) => i.path), full: full.map((i) => i.path) };
}

describe('validating what a command changed', () => {
  it('finds a bad field of a touched shot at its full path', () => {
    const r = both(template(), (d) => {
      (d.scenes[1]!.shots[0]! as { duration: number }).duration = -5;
    });
    expect(r.change).toEqual(['scenes[1].shots[0].duration']);
    expect(r.change).toEqual(r.full);
  });

  it('checks the whole entity around a changed field (an audio edit ending before it starts)', () => {
    const doc = applyCommand(template(), {
      type: 'audio.edit.add',
      clipId: template().sequence.tracks.find((t) => t.clips.length)!.clips[0]!.id,
      edit: { op: 'silence', startSample: 100, endSample: 200 },
    }).doc;
    const r = both(doc, (d) => {
      d.sequence.tracks.find((t) => t.clips.length)!.clips[0]!.audioEdits![0]!.endSample = 50;
    });
    expect(r.change).toHaveLength(1);
    expect(r.change[0]).toMatch(/^sequence\.tracks\[\d+\]\.clips\[0\]\.audioEdits\[0\]\.endSample$/);
    expect(r.change).toEqual(r.full);
  });

  it('checks an added entity and a top-level field', () => {
    const added = both(template(), (d) => {
      d.characters.push({ ...d.characters[0]!, id: '', name: 'Nobody' });
    });
    expect(added.change).toEqual(added.full);
    expect(added.change[0]).toMatch(/^characters\[\d+\]\.id$/);
    const top = both(template(), (d) => {
      d.name = '';
    });
    expect(top.change).toEqual(['name']);
  });

  it('keeps the integrity checks across entities: a reference to nothing, a duplicate id', () => {
    const dangling = both(template(), (d) => {
      d.scenes[0]!.shots[0]!.characterIds.push('ghost');
    });
    expect(dangling.change).toEqual(dangling.full);
    expect(dangling.change[0]).toMatch(/characterIds\[\d+\]$/);
    const dup = both(template(), (d) => {
      d.scenes[0]!.shots[1]!.id = d.scenes[0]!.shots[0]!.id;
    });
    expect(dup.change).toEqual(dup.full);
  });

  it('rejects such a command with COMMAND_REJECTED naming the path', () => {
    const doc = template();
    expect(() =>
      applyCommand(doc, { type: 'shot.update', shotId: doc.scenes[0]!.shots[0]!.id, patch: { characterIds: ['ghost'] } }),
    ).toThrow(expect.objectContaining({ code: 'COMMAND_REJECTED', path: 'scenes[0].shots[0].characterIds[0]' }));
  });
});
