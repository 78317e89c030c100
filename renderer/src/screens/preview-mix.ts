/**
 * The preview's sound: the engine mixes the sequence (every track, as the
 * export mixes it) a moment after the document changes, and measures its
 * loudness. Until the new mix is ready, the previous one keeps playing.
 * Held outside the Redux store, like the playhead: the preview plays it and
 * the mixer's meter shows its loudness.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { useAppSelector } from '../store/store.js';
import { studio } from '../studio.js';

/** Wait this long after the last edit before mixing (a drag makes many versions). */
const MIX_DELAY_MS = 400;

export interface PreviewMixState {
  url: string | null;
  /** The document version the mix is of; −1 before the first. */
  version: number;
  /** A newer mix is being made. */
  pending: boolean;
  loudness?: { integrated: number; truePeak: number };
  error?: string;
}

let state: PreviewMixState = { url: null, version: -1, pending: false };
const listeners = new Set<() => void>();
function set(next: Partial<PreviewMixState>): void {
  state = { ...state, ...next };
  listeners.forEach((l) => l());
}
const subscribe = (l: () => void) => { listeners.add(l); return () => { listeners.delete(l); }; };

/** The latest mix (any component). */
export function usePreviewMix(): PreviewMixState {
  return useSyncExternalStore(subscribe, () => state);
}

/** Keeps the mix up to date with the document; mounted once, by the preview. */
export function useMixOnChange(): void {
  const version = useAppSelector((s) => s.doc.version);
  const loaded = useAppSelector((s) => s.doc.loaded);
  useEffect(() => {
    if (!loaded) return;
    let live = true;
    set({ pending: true });
    const timer = setTimeout(() => {
      studio().api.call('preview.mix', {}).then(
        (r) => { if (live) set({ url: r.url, version: r.version, loudness: r.loudness, pending: false, error: undefined }); },
        (e: unknown) => { if (live) set({ pending: false, error: (e as Error).message }); },
      );
    }, MIX_DELAY_MS);
    return () => { live = false; clearTimeout(timer); };
  }, [version, loaded]);
}
