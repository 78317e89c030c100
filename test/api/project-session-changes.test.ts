/**
 * A ProjectSession reports each change as the Immer patches that made it:
 * an edit its patches, undo the inverse ones, redo the forward ones, a take
 * recorded outside history its own; applying them one after the other to the
 * document as opened gives the session's document. A save changes only
 * `dirty`. A project opened later starts above every earlier version.
 */
import { join } from 'node:path';
import { applyPatches } from 'immer';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectSession, type SessionChange } from '../../engine/api/project-session.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { tempDir } from '../support/env.js';

const t = tempDir('klappe-session-');
afterAll(() => t.cleanup());

function open(name: string) {
  const dir = join(t.dir, name);
  createProjectFromTemplate(dir, 'two-scenes', name);
  const changes: SessionChange[] = [];
  const session = ProjectSession.open(dir, (c) => changes.push(c), { autosaveDelayMs: 60_000 });
  return { session, changes };
}

describe('project session changes', () => {
  it('sends patches for edits, undo, redo and takes outside history; they rebuild the document', () => {
    const { session, changes } = open('one');
    const opened = session.state();
    let mirror = opened.doc;
    let version = opened.version;
    const follow = () => {
      for (const c of changes.splice(0)) {
        if (c.version === version) {
          expect(c.patches).toEqual([]);
          continue;
        }
        expect(c.version).toBe(version + 1);
        version = c.version;
        mirror = applyPatches(mirror, c.patches);
      }
      expect(mirror).toEqual(session.doc);
    };
    const shot = session.doc.scenes[0]!.shots[0]!;
    session.apply({ type: 'shot.update', shotId: shot.id, patch: { action: 'A new action' } });
    expect(changes[0]).toMatchObject({
      label: 'Edit shot',
      dirty: true,
      patches: [{ op: 'replace', path: ['scenes', 0, 'shots', 0, 'action'], value: 'A new action' }],
    });
    follow();
    session.apply(
      [
        { type: 'shot.remove', shotId: shot.id },
        { type: 'project.update', patch: { name: 'Two edits' } },
      ],
      'Both',
    );
    follow();
    session.undo();
    expect(changes[0]!.label).toBe('Undo Both');
    follow();
    session.redo();
    follow();
    session.applyOutsideHistory({
      type: 'take.add',
      take: {
        id: 'take-x',
        shotId: session.doc.scenes[0]!.shots[0]!.id,
        number: 1,
        backend: 'previz',
        model: 'previz',
        seed: 1,
        status: 'ready',
        media: {},
        duration: 48,
        createdAt: new Date(0).toISOString(),
      },
    });
    expect(changes[0]!.patches.some((p) => p.path[0] === 'takes')).toBe(true);
    follow();
    session.save();
    expect(changes[0]).toMatchObject({ version, patches: [], dirty: false });
    follow();
    session.close();
  });

  it('starts a project opened later above the versions of the one before', () => {
    const a = open('two');
    a.session.apply({ type: 'project.update', patch: { name: 'Edited' } });
    const b = open('three');
    expect(b.session.state().version).toBeGreaterThan(a.changes.at(-1)!.version);
    a.session.close();
    b.session.close();
  });
});
