/**
 * The project document in Redux, normalized with entity adapters. It is a
 * mirror: every change comes from the engine (project.changed), every edit
 * goes to the engine as a command. Playhead, Konva nodes and media elements
 * are not in the store; of the document's media entries only what views show
 * (kind and length) is.
 */
import { createEntityAdapter, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { HistoryState } from '../../../engine/api/contract.js';
import type { Character, Clip, Line, Media, Project, Scene, Shot, Take, Track } from '../../../engine/model/schema.js';
import { reconcileEntities, sameValue } from './reconcile.js';

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
}

const initialState = {
  loaded: false,
  version: -1,
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

export interface DocLoad {
  doc: Project;
  dir?: string;
  version: number;
  history: HistoryState;
  dirty: boolean;
}

const docSlice = createSlice({
  name: 'doc',
  initialState,
  reducers: {
    docLoaded(state, { payload }: PayloadAction<DocLoad>) {
      if (state.loaded && payload.version < state.version && payload.dir === undefined) return;
      const { doc } = payload;
      state.loaded = true;
      state.version = payload.version;
      state.history = payload.history;
      state.dirty = payload.dirty;
      const meta: DocMeta = {
        id: doc.id, name: doc.name, dir: payload.dir ?? state.meta?.dir ?? '', rate: doc.sequence.rate,
        width: doc.sequence.width, height: doc.sequence.height, creatorName: doc.creator.name,
      };
      if (!sameValue(state.meta, meta)) state.meta = meta;
      // only what changed is written: unchanged entities keep their objects (and memoized views do not redraw)
      reconcileEntities(scenesAdapter, state.scenes, doc.scenes.map(({ shots, ...s }) => ({ ...s, shotIds: shots.map((x) => x.id) })));
      reconcileEntities(shotsAdapter, state.shots, doc.scenes.flatMap((s) => s.shots.map((shot) => ({ ...shot, sceneId: s.id }))));
      reconcileEntities(takesAdapter, state.takes, doc.takes);
      reconcileEntities(tracksAdapter, state.tracks, doc.sequence.tracks.map(({ clips, ...t }) => ({ ...t, clipIds: clips.map((c) => c.id) })));
      reconcileEntities(clipsAdapter, state.clips, doc.sequence.tracks.flatMap((t) => t.clips.map((c) => ({ ...c, trackId: t.id }))));
      reconcileEntities(charactersAdapter, state.characters, doc.characters);
      reconcileEntities(mediaAdapter, state.media, (doc.media ?? []).map(mediaEntity));
      reconcileEntities(linesAdapter, state.lines, doc.lines ?? []);
    },
    docClosed() {
      return initialState;
    },
  },
});

function mediaEntity(m: Media): MediaEntity {
  return {
    id: m.id, kind: m.kind,
    ...(m.durationSamples !== undefined ? { durationSamples: m.durationSamples } : {}),
    ...(m.durationFrames !== undefined ? { durationFrames: m.durationFrames } : {}),
  };
}

export const { docLoaded, docClosed } = docSlice.actions;
export default docSlice.reducer;
