/**
 * The preview's sound: asks the engine for the sequence's mix (every track,
 * as the export mixes it) a moment after the document changes. Until the new
 * mix is ready, the previous one keeps playing.
 */
import { useEffect, useState } from 'react';
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
  error?: string;
}

export function usePreviewMix(): PreviewMixState {
  const version = useAppSelector((s) => s.doc.version);
  const loaded = useAppSelector((s) => s.doc.loaded);
  const [state, setState] = useState<PreviewMixState>({ url: null, version: -1, pending: false });
  useEffect(() => {
    if (!loaded) return;
    let live = true;
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(() => {
      studio().api.call('preview.mix', {}).then(
        (r) => { if (live) setState({ url: r.url, version: r.version, pending: false }); },
        (e: unknown) => { if (live) setState((s) => ({ ...s, pending: false, error: (e as Error).message })); },
      );
    }, MIX_DELAY_MS);
    return () => { live = false; clearTimeout(timer); };
  }, [version, loaded]);
  return state;
}
