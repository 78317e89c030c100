/**
 * A page that hosts the audio editor on its own, against the small HTTP host
 * in test/e2e-audio/audio-editor-host.ts (real project, real engine). Used by
 * the Playwright test until the editor lives in the studio.
 */
import { StrictMode, useCallback, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AudioEditor, type AudioEditorClip, type AudioEditorSource } from '../AudioEditor';

interface HostState {
  clip: AudioEditorClip;
  loudness: { integrated: number; truePeak: number; target?: number } | null;
}

async function call<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(
    path,
    body === undefined ? undefined : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  const json = await res.json();
  if (!res.ok) throw new Error(json.message ?? res.statusText);
  return json as T;
}

function Page() {
  const [state, setState] = useState<HostState | null>(null);
  useEffect(() => {
    void call<HostState>('/api/state').then(setState);
  }, []);
  const source = useMemo<AudioEditorSource>(
    () => ({
      peaks: (v) => call(`/api/peaks?start=${v.startSample}&end=${v.endSample}&min=${v.minPeaks}`),
      speech: () => call('/api/speech'),
    }),
    [],
  );
  const apply = useCallback(async (commands: unknown[], label: string) => {
    setState(await call<HostState>('/api/apply', { commands, label }));
  }, []);
  if (!state) return <p style={{ color: '#ccc' }}>loading…</p>;
  return <AudioEditor clip={state.clip} source={source} apply={apply} loudness={state.loudness} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Page />
  </StrictMode>,
);
