/**
 * The preview's sound: the engine mixes the sequence (every track, as the
 * export mixes it) a moment after the document changes, and measures its
 * loudness. Until the new mix is ready, the previous one keeps playing.
 * Held outside the Redux store, like the playhead (editor.previewMix): the
 * preview plays it and the mixer's meter shows its loudness.
 */
import { useEffect } from 'react';
import type { MethodResults } from '../../../engine/api/contract.js';
import { useEditor } from '../editor/context.js';
import { useAppSelector } from '../store/store.js';

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

export class PreviewMix {
  private state: PreviewMixState = { url: null, version: -1, pending: false };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly mix: () => Promise<MethodResults['preview.mix']>) {}

  get = () => this.state;
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  };

  private set(next: Partial<PreviewMixState>): void {
    this.state = { ...this.state, ...next };
    this.listeners.forEach((l) => l());
  }

  /** Mixes after MIX_DELAY_MS unless cancelled (a newer version came); returns the cancel. */
  schedule(): () => void {
    let live = true;
    this.set({ pending: true });
    const timer = setTimeout(() => {
      this.mix().then(
        (r) => {
          if (live) this.set({ url: r.url, version: r.version, loudness: r.loudness, pending: false, error: undefined });
        },
        (e: unknown) => {
          if (live) this.set({ pending: false, error: (e as Error).message });
        },
      );
    }, MIX_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }
}

/** Keeps the mix up to date with the document; mounted once, by the preview. */
export function useMixOnChange(): void {
  const { previewMix } = useEditor();
  const version = useAppSelector((s) => s.doc.version);
  const loaded = useAppSelector((s) => s.doc.loaded);
  useEffect(() => (loaded ? previewMix.schedule() : undefined), [version, loaded, previewMix]);
}
