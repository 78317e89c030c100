/** The Edit screen's "Audio" panel: the wavesurfer audio editor (renderer/audio-editor) on the selected clip, fed by the api. */
import { useCallback, useMemo } from 'react';
import { AudioEditor, type AudioEditorSource } from '../../audio-editor/AudioEditor';
import { frameToSample } from '../../../engine/model/time.js';
import { clipsSel } from '../store/selectors.js';
import { useAppSelector } from '../store/store.js';
import { studio } from '../studio.js';

export function AudioPanel() {
  const clipId = useAppSelector((s) => s.ui.selectedClipId);
  const clip = useAppSelector((s) => (clipId ? clipsSel.selectById(s, clipId) : undefined));
  const rate = useAppSelector((s) => s.doc.meta?.rate);
  const source = useMemo<AudioEditorSource | undefined>(() => clipId ? {
    peaks: (v) => studio().api.call('audio.peaks', { clipId, ...v }),
    speech: () => studio().api.call('audio.speech', { clipId }),
  } : undefined, [clipId]);
  const apply = useCallback(async (commands: Array<{ type: string; [k: string]: unknown }>, label: string) => { await studio().apply(commands, label); }, []);
  if (!clip || !rate || !source) return <p className="muted panel-empty">Select a clip on the timeline to edit its sound.</p>;
  const view = {
    id: clip.id, name: clip.name || clip.id, sourceStartSample: frameToSample(clip.sourceStart, rate),
    samples: frameToSample(clip.recordStart + clip.duration, rate) - frameToSample(clip.recordStart, rate), edits: clip.audioEdits ?? [],
  };
  return <AudioEditor key={clip.id} clip={view} source={source} apply={apply} />;
}
