/**
 * The project document in Redux, normalized with entity adapters. It is a
 * mirror: every change comes from the engine (`project.changed` with Immer
 * patches), every edit goes to the engine as a command. Playhead, Konva nodes
 * and media elements are not in the store; of the document's media entries
 * only what views show (kind and length) is.
 *
 * The raw document is kept beside the entities. A change applies its patches
 * to it (Immer shares every subtree a patch did not touch), then the areas its
 * paths name (scenes and shots, tracks and clips, takes, characters, media, lines,
 * the top level) are compared with the previous raw document by reference:
 * only the entities whose raw object is new are written, so memoized views of
 * everything else keep their objects and do not redraw. No deep compares.
 */
import { createEntityAdapter, createSlice, original, type EntityAdapter, type EntityState, type PayloadAction } from '@reduxjs/toolkit';
import { applyPatches, enablePatches } from 'immer';
import type { HistoryState, ProjectChange } from '../../../engine/api/contract.js';
import type { Character, Clip, Line, Media, Project, Scene, Shot, Take, Track } from '../../../engine/model/schema.js';

enablePatches();

export type SceneEntity = Omit<Scene, 'shots'> & { shotIds: string[] };
export type ShotEntity = Shot & { sceneId: string };
export type TrackEntity = Omit<Track, 'clips'> & { clipIds: string[] };
export type ClipEntity = Clip & { trackId: string };
/** A media entry as views need it: no path or hash. */
export type MediaEntity = Pick<Media, 'id' | 'kind' | 'durationSamples' | 'durationFrames'>;

export const scenesAdapter = createEntityAdapter<SceneEntity>();
export const shotsAdapter = createEntityAdapter<ShotEntity>();
export const takesAdapter = createEntityAdapter<Take>();
export const tracksAdapter = createEntityAdapter<TrackEntity>();
export const clipsAdapter = createEntityAdapter<ClipEntity>();
export const charactersAdapter = createEntityAdapter<Character>();
export const mediaAdapter = createEntityAdapter<MediaEntity>();
/** Dialogue lines in document order (a shot's lines are those naming it, in this order). */
export const linesAdapter = createEntityAdapter<Line>();

export interface DocMeta {
  id: string;
  name: string;
  dir: string;
  rate: Project['sequence']['rate'];
  width: number;
  height: number;
  creatorName: string;
  /** The export's loudness target saved with the project. */
  exportLoudness: Project['exportLoudness'];
}

const initialState = {
  loaded: false,
  version: -1,
  /**
   * The document as the engine holds it at `version` (patches apply to it), in a
   * frozen box: Immer stops at a frozen object, so storing it never walks the document.
   */
  raw: null as RawDoc | null,
  meta: null as DocMeta | null,
  history: { canUndo: false, canRedo: false } as HistoryState,
  dirty: false,
  scenes: scenesAdapter.getInitialState(),
  shots: shotsAdapter.getInitialState(),
  takes: takesAdapter.getInitialState(),
  tracks: tracksAdapter.getInitialState(),
  clips: clipsAdapter.getInitialState(),
  characters: charactersAdapter.getInitialState(),
  media: mediaAdapter.getInitialState(),
  lines: linesAdapter.getInitialState(),
};
export type DocState = typeof initialState;

export interface RawDoc {
  readonly doc: Project;
}

/** A whole document (project.open/new/get/recover, or a resync). */
export interface DocLoad {
  doc: Project;
  dir?: string;
  version: number;
  history: HistoryState;
  dirty: boolean;
}

/** What a change event means for a store at `version`: apply it, ignore it (already held), or ask for the whole document. */
export function changeFits(held: number, change: Pick<ProjectChange, 'version' | 'patches'>): 'apply' | 'stale' | 'resync' {
  if (change.version === held + 1) return 'apply';
  if (change.version === held && !change.patches.length) return 'apply';
  return change.version <= held ? 'stale' : 'resync';
}

const docSlice = createSlice({
  name: 'doc',
  initialState,
  reducers: {
    /** A whole document: a new state, built without Immer drafts (opening a large project stays cheap). */
    docLoaded(state, { payload }: PayloadAction<DocLoad>) {
      if (state.loaded && payload.version < state.version && payload.dir === undefined) return;
      const { doc } = payload;
      return {
        loaded: true,
        version: payload.version,
        raw: Object.freeze({ doc }),
        meta: metaOf(doc, payload.dir ?? original(state)?.meta?.dir ?? ''),
        history: payload.history,
        dirty: payload.dirty,
        scenes: entityState(doc.scenes.map(sceneEntity)),
        shots: entityState(doc.scenes.flatMap((s) => s.shots.map((shot) => ({ ...shot, sceneId: s.id })))),
        takes: entityState(doc.takes),
        tracks: entityState(doc.sequence.tracks.map(trackEntity)),
        clips: entityState(doc.sequence.tracks.flatMap((t) => t.clips.map((c) => ({ ...c, trackId: t.id })))),
        characters: entityState(doc.characters),
        media: entityState((doc.media ?? []).map(mediaEntity)),
        lines: entityState(doc.lines ?? []),
      };
    },
    /** Applies a `project.changed` that fits the version held (see changeFits; the editor resyncs otherwise). */
    docChanged(state, { payload }: PayloadAction<ProjectChange>) {
      const base = original(state);
      if (!state.loaded || !base?.raw || changeFits(state.version, payload) !== 'apply') return;
      state.version = payload.version;
      state.history = payload.history;
      state.dirty = payload.dirty;
      if (!payload.patches.length) return;
      const prev = base.raw.doc;
      const next = applyPatches(prev, payload.patches);
      state.raw = Object.freeze({ doc: next });
      const areas = new Set(payload.patches.map((p) => areaOf(p.path)));
      if (areas.has('all') || areas.has('meta')) {
        const meta = metaOf(next, base.meta?.dir ?? '');
        if (!base.meta || (Object.keys(meta) as Array<keyof DocMeta>).some((k) => meta[k] !== base.meta![k])) state.meta = meta;
      }
      if (areas.has('all') || areas.has('scenes'))
        syncNested(
          prev.scenes,
          next.scenes,
          (s) => s.shots,
          sceneEntity,
          'sceneId',
          state.scenes,
          scenesAdapter,
          state.shots,
          shotsAdapter,
        );
      if (areas.has('all') || areas.has('tracks'))
        syncNested(
          prev.sequence.tracks,
          next.sequence.tracks,
          (t) => t.clips,
          trackEntity,
          'trackId',
          state.tracks,
          tracksAdapter,
          state.clips,
          clipsAdapter,
        );
      if (areas.has('all') || areas.has('takes')) syncList(prev.takes, next.takes, (t) => t, state.takes, takesAdapter);
      if (areas.has('all') || areas.has('characters'))
        syncList(prev.characters, next.characters, (c) => c, state.characters, charactersAdapter);
      if (areas.has('all') || areas.has('media')) syncList(prev.media ?? [], next.media ?? [], mediaEntity, state.media, mediaAdapter);
      if (areas.has('all') || areas.has('lines')) syncList(prev.lines ?? [], next.lines ?? [], (l) => l, state.lines, linesAdapter);
    },
    docClosed() {
      return initialState;
    },
  },
});

type Area = 'all' | 'meta' | 'scenes' | 'tracks' | 'takes' | 'characters' | 'media' | 'lines';

/** Which part of the store a patch path can change. */
function areaOf(path: ReadonlyArray<string | number>): Area {
  const [top, second] = path;
  if (top === undefined) return 'all';
  if (top === 'scenes' || top === 'takes' || top === 'characters' || top === 'media' || top === 'lines') return top;
  if (top === 'sequence' && second === 'tracks') return 'tracks';
  if (top === 'sequence' && second === undefined) return 'all';
  return 'meta';
}

function metaOf(doc: Project, dir: string): DocMeta {
  return {
    id: doc.id,
    name: doc.name,
    dir,
    rate: doc.sequence.rate,
    width: doc.sequence.width,
    height: doc.sequence.height,
    creatorName: doc.creator.name,
    exportLoudness: doc.exportLoudness,
  };
}

function sceneEntity({ shots, ...s }: Scene): SceneEntity {
  return { ...s, shotIds: shots.map((x) => x.id) };
}

function trackEntity({ clips, ...t }: Track): TrackEntity {
  return { ...t, clipIds: clips.map((c) => c.id) };
}

function mediaEntity(m: Media): MediaEntity {
  return {
    id: m.id,
    kind: m.kind,
    ...(m.durationSamples !== undefined ? { durationSamples: m.durationSamples } : {}),
    ...(m.durationFrames !== undefined ? { durationFrames: m.durationFrames } : {}),
  };
}

/** An entity adapter's state holding `list` in its order. */
function entityState<T extends { id: string }>(list: T[]): EntityState<T, string> {
  const entities: Record<string, T> = {};
  for (const e of list) entities[e.id] = e;
  return { ids: list.map((e) => e.id), entities };
}

function byId<T extends { id: string }>(list: readonly T[]): Map<string, T> {
  return new Map(list.map((x) => [x.id, x]));
}

/** Makes the ids of `draft` follow `ids` when their order or membership changed. */
function followOrder(draft: EntityState<{ id: string }, string>, ids: string[]): void {
  if (draft.ids.length !== ids.length || draft.ids.some((id, i) => id !== ids[i])) draft.ids = ids;
}

/** A flat list (takes, characters, media): writes the items whose raw object is new, removes the gone ones, follows the order. */
function syncList<R extends { id: string }, E extends { id: string }>(
  prev: readonly R[],
  next: readonly R[],
  toEntity: (r: R) => E,
  draft: EntityState<E, string>,
  adapter: EntityAdapter<E, string>,
): void {
  if (prev === next) return;
  const old = byId(prev);
  const changed = next.filter((r) => old.get(r.id) !== r).map(toEntity);
  const keep = new Set(next.map((r) => r.id));
  const removed = prev.filter((r) => !keep.has(r.id)).map((r) => r.id);
  if (removed.length) adapter.removeMany(draft, removed);
  if (changed.length) adapter.setMany(draft, changed);
  followOrder(
    draft as EntityState<{ id: string }, string>,
    next.map((r) => r.id),
  );
}

/**
 * A list of parents holding children (scenes → shots, tracks → clips): a parent
 * whose raw object is the same was not touched, nor were its children; in a
 * touched parent only the children whose raw object is new (or that moved in
 * from another parent) are written.
 */
function syncNested<P extends { id: string }, C extends { id: string }, PE extends { id: string }, K extends string>(
  prev: readonly P[],
  next: readonly P[],
  childrenOf: (p: P) => readonly C[],
  toParent: (p: P) => PE,
  parentKey: K,
  parents: EntityState<PE, string>,
  parentAdapter: EntityAdapter<PE, string>,
  children: EntityState<C & Record<K, string>, string>,
  childAdapter: EntityAdapter<C & Record<K, string>, string>,
): void {
  if (prev === next) return;
  const old = byId(prev);
  const changedParents: PE[] = [];
  const changedChildren: Array<C & Record<K, string>> = [];
  for (const p of next) {
    const o = old.get(p.id);
    if (o === p) continue;
    if (!o || !sameParentFields(o, p, childrenOf)) changedParents.push(toParent(p));
    const oldChildren = o ? byId(childrenOf(o)) : new Map<string, C>();
    for (const c of childrenOf(p)) {
      if (oldChildren.get(c.id) !== c || children.entities[c.id]?.[parentKey] !== p.id)
        changedChildren.push({ ...c, [parentKey]: p.id } as C & Record<K, string>);
    }
  }
  const keepParents = new Set(next.map((p) => p.id));
  const goneParents = prev.filter((p) => !keepParents.has(p.id)).map((p) => p.id);
  if (goneParents.length) parentAdapter.removeMany(parents, goneParents);
  if (changedParents.length) parentAdapter.setMany(parents, changedParents);
  followOrder(
    parents as EntityState<{ id: string }, string>,
    next.map((p) => p.id),
  );
  const childIds = next.flatMap((p) => childrenOf(p).map((c) => c.id));
  const keepChildren = new Set(childIds);
  const goneChildren = (children.ids as string[]).filter((id) => !keepChildren.has(id));
  if (goneChildren.length) childAdapter.removeMany(children, goneChildren);
  if (changedChildren.length) childAdapter.setMany(children, changedChildren);
  followOrder(children as EntityState<{ id: string }, string>, childIds);
}

/** A parent's own fields (not its children) are the same objects, and its children's ids are in the same order. */
function sameParentFields<P extends { id: string }, C extends { id: string }>(a: P, b: P, childrenOf: (p: P) => readonly C[]): boolean {
  const ka = Object.keys(a) as Array<keyof P>;
  if (ka.length !== Object.keys(b).length) return false;
  const ca = childrenOf(a);
  const cb = childrenOf(b);
  for (const k of ka) if ((a[k] as unknown) !== ca && a[k] !== b[k]) return false;
  return ca === cb || (ca.length === cb.length && ca.every((c, i) => c.id === cb[i]!.id));
}

export const { docLoaded, docChanged, docClosed } = docSlice.actions;
export default docSlice.reducer;
