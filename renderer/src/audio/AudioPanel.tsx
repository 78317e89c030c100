/**
 * The Edit screen's audio panel: the audio editor (renderer/audio-editor) on
 * the selected clip, fed by the api (peaks and VAD computed by the engine)
 * and editing through document commands; and a drop zone that imports
 * WAV/MP3/M4A/FLAC files onto a track.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { CommandInput } from '../../../engine/api/contract.js';
import { frameToSample } from '../../../engine/common/time.js';
import { AudioEditor, type AudioEditorClip, type AudioEditorSource } from '../../audio-editor/AudioEditor.js';
import { charactersSel, clipsSel, currentTakes, linesSel, takesSel, tracksSel } from '../store/selectors.js';
import { shotTitles } from '../store/shot-titles.js';
import { useAppSelector, type RootState } from '../store/store.js';
import type { ClipEntity } from '../store/doc-slice.js';
import { clipTitle } from './clip-title.js';
import { useEditor } from '../editor/context.js';

const AUDIO_EXTENSIONS = ['.wav', '.mp3', '.m4a', '.flac'];
const CAPTIONS_EXTENSIONS = ['.srt', '.vtt'];

export function AudioPanel() {
  const editor = useEditor();
  const clipId = useAppSelector((s) => s.ui.selectedClipId);
  const clip = useAppSelector((s) => (clipId ? clipsSel.selectById(s, clipId) : undefined));
  const title = useAppSelector((s) => (clip ? clipTitleIn(s, clip) : ''));
  const rate = useAppSelector((s) => s.doc.meta?.rate);
  const loudness = useAppSelector((s) => s.jobs.export?.verification?.loudness ?? null);

  const view = useMemo<AudioEditorClip | null>(() => {
    if (!clip || !rate || clip.source.type === 'line') return null;
    const start = frameToSample(clip.recordStart, rate);
    return {
      id: clip.id,
      name: title,
      sourceStartSample: frameToSample(clip.sourceStart, rate),
      samples: frameToSample(clip.recordStart + clip.duration, rate) - start,
      edits: clip.audioEdits ?? [],
      envelope: clip.gainEnvelope,
      gainDb: clip.gainDb,
      fadeInSamples: clip.fadeInSamples,
      fadeOutSamples: clip.fadeOutSamples,
    };
  }, [clip, title, rate]);

  const source = useMemo<AudioEditorSource | null>(
    () =>
      clipId
        ? {
            peaks: (v) => editor.peaks(clipId, v),
            speech: () => editor.speech(clipId),
          }
        : null,
    [clipId, editor],
  );

  const apply = useCallback(
    async (commands: CommandInput[], label: string) => {
      await editor.applyOrThrow(commands, label);
    },
    [editor],
  );

  return (
    <div className="audio-panel" data-testid="audio-panel">
      {view && source ? (
        <AudioEditor key={view.id} clip={view} source={source} apply={apply} loudness={loudness} />
      ) : (
        <p className="hint">
          {clip?.source.type === 'line' ? 'This line has no speech yet.' : 'Select a clip on the timeline to edit its sound.'}
        </p>
      )}
      <ImportDrop />
    </div>
  );
}

/** The clip's title in words (its line, its shot and take, its file), never its id. */
function clipTitleIn(s: RootState, clip: ClipEntity): string {
  return clipTitle(clip, {
    shotTitle: (id) => shotTitles(s).get(id),
    take: (id) => takesSel.selectById(s, id),
    currentTake: (id) => currentTakes(s).get(id),
    line: (id) => {
      const l = linesSel.selectById(s, id);
      return l ? { text: l.text, speaker: charactersSel.selectById(s, l.characterId)?.name } : undefined;
    },
    mediaPath: (id) => s.doc.raw?.doc.media?.find((m) => m.id === id)?.path,
    trackName: (id) => tracksSel.selectById(s, id)?.name,
  });
}

function ImportDrop() {
  const editor = useEditor();
  const tracks = useAppSelector(tracksSel.selectAll);
  const audioTracks = tracks.filter((t) => t.kind !== 'video');
  const [trackId, setTrackId] = useState<string>('');
  const [over, setOver] = useState(false);
  const [message, setMessage] = useState('');
  const picker = useRef<HTMLInputElement>(null);
  const target = trackId || audioTracks[0]?.id || '';

  /** Audio onto the chosen track; an SRT's cues onto it as lines to be spoken (a dialogue track). */
  const importFile = useCallback(
    async (file: File) => {
      if (!target) return;
      const ext = file.name.slice(file.name.lastIndexOf('.')).toLowerCase();
      if (!AUDIO_EXTENSIONS.includes(ext) && !CAPTIONS_EXTENSIONS.includes(ext)) {
        setMessage(`${file.name}: only ${AUDIO_EXTENSIONS.join(', ')} and ${CAPTIONS_EXTENSIONS.join(', ')} files can be imported`);
        return;
      }
      setMessage(`importing ${file.name}…`);
      if (CAPTIONS_EXTENSIONS.includes(ext)) {
        const r = await editor.importCaptions(target, file);
        setMessage(
          r ? `imported ${r.imported} caption${r.imported === 1 ? '' : 's'} from ${file.name} as lines` : `${file.name} was not imported`,
        );
        return;
      }
      const r = await editor.importAudio(target, file);
      setMessage(r ? `imported ${file.name} as ${r.clipId}` : `${file.name} was not imported`);
    },
    [target, editor],
  );

  const onDrop = useCallback(
    async (e: React.DragEvent) => {
      e.preventDefault();
      setOver(false);
      const file = e.dataTransfer.files[0];
      if (file) await importFile(file);
    },
    [importFile],
  );

  return (
    <div
      className={`audio-drop${over ? ' over' : ''}`}
      data-testid="audio-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => void onDrop(e)}
      style={{ marginTop: 8, padding: 8, border: '1px dashed #667', borderRadius: 4, background: over ? '#2a3350' : 'transparent' }}
    >
      Drop a WAV, MP3, M4A or FLAC file (or an SRT of lines) here, or{' '}
      <button type="button" className="mini" onClick={() => picker.current?.click()}>
        Choose a file…
      </button>
      <input
        ref={picker}
        type="file"
        hidden
        accept={[...AUDIO_EXTENSIONS, ...CAPTIONS_EXTENSIONS].join(',')}
        aria-label="Audio or SRT file to import"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void importFile(f);
        }}
      />{' '}
      to import it onto{' '}
      <select value={target} onChange={(e) => setTrackId(e.target.value)} aria-label="Import onto track">
        {audioTracks.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name || t.id}
          </option>
        ))}
      </select>
      {message ? (
        <span data-testid="audio-drop-message" style={{ marginLeft: 8 }}>
          {message}
        </span>
      ) : null}
    </div>
  );
}
