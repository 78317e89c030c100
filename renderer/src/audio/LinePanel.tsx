/**
 * The Edit screen's lines panel: add a dialogue line on a character's lane at
 * the playhead (spoken with the character's voice), and, for the line the
 * selected clip plays, speak it again (new words, another voice, rate or
 * pitch) and pick among its readings (each with its length). The line is the
 * document's one line entity (the shot inspector edits the same one).
 * Speaking goes through `line.add` / `line.speak` (one undo step each);
 * picking a reading is the `line.reading.select` command.
 */
import { useEffect, useId, useState } from 'react';
import type { Line, LineReading } from '../../../engine/model/schema.js';
import { charactersSel, clipsSel, linesSel, mediaSel } from '../store/selectors.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { selectClip } from '../store/ui-slice.js';
import type { ClipEntity } from '../store/doc-slice.js';
import { useEditor, usePlayback } from '../editor/context.js';
import { secondsText } from './format.js';

/** The speech engines' voices (app.info, asked for once by the editor). */
function useVoices(): string[] {
  const editor = useEditor();
  const [voices, setVoices] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    void editor.appInfo().then((i) => {
      if (live) setVoices(i?.voices ?? []);
    });
    return () => {
      live = false;
    };
  }, [editor]);
  return voices;
}

export function LinePanel() {
  const clipId = useAppSelector((s) => s.ui.selectedClipId);
  const clip = useAppSelector((s) => (clipId ? clipsSel.selectById(s, clipId) : undefined));
  const line = useAppSelector((s) => (clip?.lineId ? linesSel.selectById(s, clip.lineId) : undefined));
  const [busy, setBusy] = useState<string | null>(null);
  const voices = useVoices();
  return (
    <div className="line-panel" data-testid="line-panel" aria-busy={!!busy}>
      <AddLineForm busy={busy} setBusy={setBusy} />
      {clip && line ? (
        <SelectedLine
          key={`${clip.id}:${line.id}:${line.selectedReadingId ?? ''}:${line.text}`}
          clip={clip}
          line={line}
          voices={voices}
          busy={busy}
          setBusy={setBusy}
        />
      ) : (
        <p className="hint muted">Select a dialogue line on the timeline to speak it again or pick one of its readings.</p>
      )}
      <p className="line-status" role="status">
        {busy ?? ''}
      </p>
    </div>
  );
}

interface BusyProps {
  busy: string | null;
  setBusy(b: string | null): void;
}

function AddLineForm({ busy, setBusy }: BusyProps) {
  const editor = useEditor();
  const characters = useAppSelector(charactersSel.selectAll);
  const playhead = usePlayback().frame;
  const dispatch = useAppDispatch();
  const [characterId, setCharacterId] = useState('');
  const [text, setText] = useState('');
  /** null: at the playhead, wherever it is. */
  const [at, setAt] = useState<number | null>(null);
  const id = useId();
  const who = characters.some((c) => c.id === characterId) ? characterId : (characters[0]?.id ?? '');
  const frame = at ?? playhead;

  const add = async () => {
    if (!who || !text.trim() || busy) return;
    setBusy('Speaking the new line…');
    const r = await editor.addLine({ characterId: who, text: text.trim(), at: frame });
    setBusy(null);
    if (r) {
      setText('');
      setAt(null);
      if (r.clipId) dispatch(selectClip(r.clipId));
    }
  };

  return (
    <form
      className="line-add"
      aria-label="Add line"
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <h3>Add line</h3>
      <div className="line-row">
        <div className="field">
          <label htmlFor={`${id}-who`}>Character</label>
          <select id={`${id}-who`} value={who} onChange={(e) => setCharacterId(e.target.value)} disabled={!characters.length}>
            {characters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-at`}>At frame{at === null ? ' (playhead)' : ''}</label>
          <input
            id={`${id}-at`}
            type="number"
            min={0}
            step={1}
            value={frame}
            onChange={(e) => {
              const n = Math.round(Number(e.target.value));
              setAt(Number.isFinite(n) && n >= 0 ? n : 0);
            }}
          />
        </div>
        <button type="button" onClick={() => setAt(null)} disabled={at === null} title="Follow the playhead again">
          At playhead
        </button>
      </div>
      <div className="line-row">
        <div className="field">
          <label htmlFor={`${id}-text`}>Line text</label>
          <input id={`${id}-text`} value={text} maxLength={1000} placeholder="What they say" onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={!!busy || !who || !text.trim()}>
          Add line
        </button>
      </div>
    </form>
  );
}

/** "kal · rate 1.3 · 150 Hz" */
function voiceText(v: LineReading['voice']): string {
  return [v.voice, `rate ${v.rate}`, v.pitchHz !== undefined ? `${v.pitchHz} Hz` : 'own pitch'].join(' · ');
}

function SelectedLine({ clip, line, voices, busy, setBusy }: BusyProps & { clip: ClipEntity; line: Line; voices: string[] }) {
  const editor = useEditor();
  const character = useAppSelector((s) => charactersSel.selectById(s, line.characterId));
  const media = useAppSelector(mediaSel.selectEntities);
  const playing = line.readings.find((r) => r.id === line.selectedReadingId);
  const base = playing?.voice ?? character?.voice;
  const [text, setText] = useState(line.text);
  const [voice, setVoice] = useState(base?.voice ?? voices[0] ?? '');
  const [rate, setRate] = useState(String(base?.rate ?? 1));
  const [pitch, setPitch] = useState(base?.pitchHz !== undefined ? String(base.pitchHz) : '');
  const id = useId();
  const options = voice && !voices.includes(voice) ? [voice, ...voices] : voices;

  const speak = async () => {
    if (busy || !text.trim()) return;
    setBusy(`Speaking ${clip.name || clip.id} again…`);
    await editor.speakLine({
      lineId: line.id,
      ...(text.trim() !== line.text ? { text: text.trim() } : {}),
      ...(voice ? { voice } : {}),
      rate: Number(rate),
      pitch: pitch.trim() === '' ? null : Number(pitch),
    });
    setBusy(null);
  };

  const pick = (readingId: string) => {
    if (readingId !== line.selectedReadingId)
      void editor.apply({ type: 'line.reading.select', lineId: line.id, readingId }, 'Pick line reading');
  };

  return (
    <form
      className="line-selected"
      aria-label="Selected line"
      onSubmit={(e) => {
        e.preventDefault();
        void speak();
      }}
    >
      <h3>
        Selected line: {character?.name ?? line.characterId} ({clip.id})
      </h3>
      <div className="field">
        <label htmlFor={`${id}-text`}>Words</label>
        <input id={`${id}-text`} value={text} maxLength={1000} onChange={(e) => setText(e.target.value)} />
      </div>
      <div className="line-row">
        <div className="field">
          <label htmlFor={`${id}-voice`}>Voice</label>
          <select id={`${id}-voice`} value={voice} onChange={(e) => setVoice(e.target.value)}>
            {options.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-rate`}>Rate</label>
          <input id={`${id}-rate`} type="number" min={0.25} max={4} step={0.05} value={rate} onChange={(e) => setRate(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-pitch`}>Pitch (Hz)</label>
          <input
            id={`${id}-pitch`}
            type="number"
            min={40}
            max={600}
            step={5}
            value={pitch}
            placeholder="voice's own"
            onChange={(e) => setPitch(e.target.value)}
          />
        </div>
        <button type="submit" className="primary" disabled={!!busy || !text.trim()}>
          {busy ? 'Speaking…' : 'Speak again'}
        </button>
      </div>
      <div className="line-readings" role="radiogroup" aria-label="Readings">
        {line.readings.length ? (
          line.readings.map((t, i) => {
            const words = t.text !== undefined && t.text !== line.text ? ` · “${t.text}”` : '';
            const length = secondsText(media[t.mediaId]?.durationSamples);
            const label = `Reading ${i + 1}: ${voiceText(t.voice)}${length ? ` · ${length}` : ''} · ${new Date(t.createdAt).toLocaleTimeString()}${words}`;
            return (
              <label key={t.id} className={t.id === line.selectedReadingId ? 'reading on' : 'reading'}>
                <input
                  type="radio"
                  name={`${id}-reading`}
                  value={t.id}
                  checked={t.id === line.selectedReadingId}
                  disabled={!!busy}
                  onChange={() => pick(t.id)}
                />
                <span>{label}</span>
              </label>
            );
          })
        ) : (
          <p className="muted">Not spoken yet.</p>
        )}
      </div>
    </form>
  );
}
