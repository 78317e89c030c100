/** The editor for React: provided once at the root, read with `useEditor()`; hooks for its view state outside the store. */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { PlaybackState } from '../playback.js';
import type { PreviewMixState } from '../screens/preview-mix.js';
import type { TimelineViewState } from '../timeline/timeline-view.js';
import type { Editor } from './editor.js';

const EditorContext = createContext<Editor | null>(null);

export function EditorProvider({ editor, children }: { editor: Editor; children: ReactNode }) {
  return <EditorContext.Provider value={editor}>{children}</EditorContext.Provider>;
}

export function useEditor(): Editor {
  const editor = useContext(EditorContext);
  if (!editor) throw new Error('useEditor outside <EditorProvider>');
  return editor;
}

/** The playhead (re-renders on every frame during playback: only the timeline, preview and timecode read it). */
export function usePlayback(): PlaybackState {
  const { playback } = useEditor();
  return useSyncExternalStore(playback.subscribe, playback.get);
}

export function useTimelineView(): TimelineViewState {
  const { timelineView } = useEditor();
  return useSyncExternalStore(timelineView.subscribe, timelineView.get);
}

/** The latest preview mix. */
export function usePreviewMix(): PreviewMixState {
  const { previewMix } = useEditor();
  return useSyncExternalStore(previewMix.subscribe, previewMix.get);
}
