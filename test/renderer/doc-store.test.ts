/**
 * The renderer's document store applies `project.changed` patches: after each
 * kind of change (add, replace, remove, reorder, undo, a whole-document
 * replace) it holds exactly what loading the whole document gives, and every
 * entity the change did not touch keeps its object (memoized views do not
 * redraw).
 */
import { describe, expect, it } from 'vitest';
import { configureStore } from '@reduxjs/toolkit';
import docReducer, { changeFits, docChanged, docLoaded } from '../../renderer/src/store/doc-slice.js';
import { applyCommand, applyDocPatches, type CommandInput, type Patch } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import type { Project } from '../../engine/model/schema.js';
import { assetPath } from '../../engine/util/paths.js';

const history = { canUndo: false, canRedo: false };

function storeWith(doc: Project, version = 0) {
  const store = configureStore({ reducer: { doc: docReducer } });
  store.dispatch(docLoaded({ doc, dir: '/p', version, history, dirty: false }));
  return store;
}
type Store = ReturnType<typeof storeWith>;

/** Applies commands as the host does and sends their patches to the store; the new document and the patches back. */
function edit(store: Store, doc: Project, commands: CommandInput[]): { doc: Project; inverse: Patch[] } {
  let next = doc;
  const patches: Patch[] = [];
  const inverse: Patch[] = [];
  for (const c of commands) {
    const r = applyCommand(next, c);
    next = r.doc;
    patches.push(...r.patches);
    inverse.unshift(...r.inversePatches);
  }
  send(store, patches);
  return { doc: next, inverse };
}

function send(store: Store, patches: Patch[]): void {
  store.dispatch(docChanged({ version: store.getState().doc.version + 1, patches, history, dirty: false }));
}

/** The store holds what loading `doc` whole gives. */
function expectSameAsLoading(store: Store, doc: Project): void {
  expect(store.getState().doc).toEqual(storeWith(doc, store.getState().doc.version).getState().doc);
}

const template = () => loadProject(assetPath('templates', 'two-scenes')).doc;

describe('document store: patches', () => {
  it('writes only the shot an edit replaced; the rest keep their objects', () => {
    let doc = template();
    const store = storeWith(doc);
    const before = store.getState().doc;
    const [first, second] = doc.scenes[0]!.shots;
    ({ doc } = edit(store, doc, [{ type: 'shot.update', shotId: first!.id, patch: { action: 'Something else happens' } }]));
    const after = store.getState().doc;
    expect(after.shots.entities[first!.id]!.action).toBe('Something else happens');
    expect(after.shots.entities[second!.id]).toBe(before.shots.entities[second!.id]);
    expect(after.shots.ids).toBe(before.shots.ids);
    expect(after.meta).toBe(before.meta);
    expect(after.clips).toBe(before.clips);
    expect(after.tracks).toBe(before.tracks);
    expect(after.scenes).toBe(before.scenes);
    expect(after.takes).toBe(before.takes);
    expectSameAsLoading(store, doc);
  });

  it('follows adds, removes, moves between scenes and reorders, and undo', () => {
    let doc = template();
    const store = storeWith(doc);
    const [first, second] = doc.scenes[0]!.shots;
    const other = doc.scenes[1]!;
    const steps: Array<{ inverse: Patch[]; doc: Project }> = [];
    const run = (commands: CommandInput[]) => {
      const r = edit(store, doc, commands);
      steps.push({ inverse: r.inverse, doc });
      doc = r.doc;
      expectSameAsLoading(store, doc);
    };
    run([
      { type: 'shot.add', sceneId: other.id, shot: { id: 'shot-new', action: 'New' } },
      { type: 'line.add', line: { shotId: 'shot-new', characterId: 'mia', text: 'Hi' } },
    ]);
    run([{ type: 'shot.move', shotId: second!.id, toSceneId: doc.scenes[0]!.id, index: 0 }]);
    run([{ type: 'shot.move', shotId: first!.id, toSceneId: other.id, index: 0 }]);
    run([{ type: 'shot.remove', shotId: 'shot-new' }]);
    run([{ type: 'scene.add', scene: { name: 'Third' }, index: 0 }]);
    run([
      { type: 'character.add', character: { id: 'char-x', name: 'Xu' } },
      { type: 'character.update', characterId: 'char-x', patch: { name: 'Xu Li' } },
    ]);
    run([{ type: 'project.update', patch: { name: 'Renamed' } }]);
    const video = doc.sequence.tracks.find((t) => t.kind === 'video')!;
    const clip = video.clips[0]!;
    run([{ type: 'clip.split', clipId: clip.id, at: clip.recordStart + Math.floor(clip.duration / 2) }]);
    run([{ type: 'clip.remove', clipId: clip.id, ripple: true }]);
    run([{ type: 'track.update', trackId: video.id, patch: { muted: true } }]);
    expect(store.getState().doc.meta!.name).toBe('Renamed');
    // undo, newest first: the inverse patches take the store back step by step
    while (steps.length) {
      const { inverse, doc: back } = steps.pop()!;
      send(store, inverse);
      doc = applyDocPatches(doc, inverse);
      expect(doc).toEqual(back);
      expectSameAsLoading(store, doc);
    }
  });

  it("holds each media entry's kind and length, not its path, and keeps unchanged ones", () => {
    let doc = template();
    const store = storeWith(doc);
    const hash = 'a'.repeat(64);
    ({ doc } = edit(store, doc, [
      { type: 'media.add', media: { id: 'media-one', path: 'audio/one.wav', kind: 'audio', durationSamples: 67_200, sha256: hash } },
    ]));
    const before = store.getState().doc;
    expect(before.media.entities['media-one']).toEqual({ id: 'media-one', kind: 'audio', durationSamples: 67_200 });
    ({ doc } = edit(store, doc, [
      { type: 'media.add', media: { id: 'media-two', path: 'audio/two.wav', kind: 'audio', durationSamples: 24_000 } },
    ]));
    const after = store.getState().doc;
    expect(after.media.ids).toEqual(['media-one', 'media-two']);
    expect(after.media.entities['media-one']).toBe(before.media.entities['media-one']);
    ({ doc } = edit(store, doc, [{ type: 'shot.update', shotId: doc.scenes[0]!.shots[0]!.id, patch: { action: 'Elsewhere' } }]));
    expect(store.getState().doc.media).toBe(after.media);
    expectSameAsLoading(store, doc);
  });

  it('takes a whole-document replace (recovered edits) as a patch at the root', () => {
    const doc = template();
    const store = storeWith(doc);
    const other = applyCommand(applyCommand(doc, { type: 'project.update', patch: { name: 'Recovered' } }).doc, {
      type: 'shot.remove',
      shotId: doc.scenes[0]!.shots[0]!.id,
    }).doc;
    send(store, [{ op: 'replace', path: [], value: other }]);
    expectSameAsLoading(store, other);
  });

  it('applies only the next version; a gap asks for the whole document, an older one is ignored', () => {
    expect(changeFits(4, { version: 5, patches: [] })).toBe('apply');
    expect(changeFits(4, { version: 4, patches: [] })).toBe('apply'); // a save: same version, dirty changes
    expect(changeFits(4, { version: 7, patches: [{ op: 'replace', path: ['name'], value: 'x' }] })).toBe('resync');
    expect(changeFits(4, { version: 3, patches: [{ op: 'replace', path: ['name'], value: 'x' }] })).toBe('stale');
    const doc = template();
    const store = storeWith(doc, 4);
    store.dispatch(docChanged({ version: 7, patches: [{ op: 'replace', path: ['name'], value: 'Skipped' }], history, dirty: true }));
    expect(store.getState().doc.meta!.name).toBe(doc.name);
    expect(store.getState().doc.version).toBe(4);
  });
});
