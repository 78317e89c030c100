/**
 * The renderer's document store applies each new document by writing only
 * what changed: after an edit of one shot, every other shot, take, clip and
 * the document's meta keep their objects (memoized views do not redraw).
 */
import { describe, expect, it } from 'vitest';
import { configureStore } from '@reduxjs/toolkit';
import docReducer, { docLoaded } from '../../renderer/src/store/doc-slice.js';
import { sameValue } from '../../renderer/src/store/reconcile.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import { assetPath } from '../../engine/util/paths.js';

describe('document store', () => {
  it('keeps the objects of everything an edit did not touch, and follows adds, removes and order', () => {
    const store = configureStore({ reducer: { doc: docReducer } });
    let doc = loadProject(assetPath('templates', 'two-scenes')).doc;
    const history = { canUndo: false, canRedo: false };
    store.dispatch(docLoaded({ doc, dir: '/p', version: 0, history, dirty: false }));
    const before = store.getState().doc;
    const [first, second] = doc.scenes[0]!.shots;

    doc = applyCommand(doc, { type: 'shot.update', shotId: first!.id, patch: { action: 'Something else happens' } }).doc;
    store.dispatch(docLoaded({ doc, version: 1, history, dirty: true }));
    const after = store.getState().doc;
    expect(after.shots.entities[first!.id]!.action).toBe('Something else happens');
    expect(after.shots.entities[second!.id]).toBe(before.shots.entities[second!.id]);
    expect(after.meta).toBe(before.meta);
    expect(after.clips).toBe(before.clips);
    expect(after.tracks).toBe(before.tracks);
    expect(after.scenes).toBe(before.scenes);

    doc = applyCommand(doc, { type: 'shot.move', shotId: second!.id, toSceneId: doc.scenes[0]!.id, index: 0 }).doc;
    doc = applyCommand(doc, { type: 'shot.remove', shotId: first!.id }).doc;
    store.dispatch(docLoaded({ doc, version: 2, history, dirty: true }));
    const moved = store.getState().doc;
    expect(moved.shots.entities[first!.id]).toBeUndefined();
    expect(moved.scenes.entities[doc.scenes[0]!.id]!.shotIds[0]).toBe(second!.id);
    expect(moved.shots.ids).toEqual(doc.scenes.flatMap((s) => s.shots.map((x) => x.id)));
  });

  it('holds each media entry\'s kind and length, not its path, and keeps unchanged ones', () => {
    const store = configureStore({ reducer: { doc: docReducer } });
    let doc = loadProject(assetPath('templates', 'two-scenes')).doc;
    const history = { canUndo: false, canRedo: false };
    const hash = 'a'.repeat(64);
    doc = applyCommand(doc, { type: 'media.add', media: { id: 'media-one', path: 'audio/one.wav', kind: 'audio', durationSamples: 67_200, sha256: hash } }).doc;
    store.dispatch(docLoaded({ doc, dir: '/p', version: 0, history, dirty: false }));
    const before = store.getState().doc;
    expect(before.media.entities['media-one']).toEqual({ id: 'media-one', kind: 'audio', durationSamples: 67_200 });

    doc = applyCommand(doc, { type: 'media.add', media: { id: 'media-two', path: 'audio/two.wav', kind: 'audio', durationSamples: 24_000 } }).doc;
    store.dispatch(docLoaded({ doc, version: 1, history, dirty: true }));
    const after = store.getState().doc;
    expect(after.media.ids).toEqual(['media-one', 'media-two']);
    expect(after.media.entities['media-one']).toBe(before.media.entities['media-one']);
    expect(after.media.entities['media-two']!.durationSamples).toBe(24_000);

    doc = applyCommand(doc, { type: 'shot.update', shotId: doc.scenes[0]!.shots[0]!.id, patch: { action: 'Elsewhere' } }).doc;
    store.dispatch(docLoaded({ doc, version: 2, history, dirty: true }));
    expect(store.getState().doc.media).toBe(after.media);
  });

  it('compares JSON values structurally', () => {
    expect(sameValue({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameValue({ a: [1] }, { a: [1, 2] })).toBe(false);
  });
});
