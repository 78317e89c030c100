/** A character's voice in the Cast panel: which embedded voice, its rate and pitch, and a button that plays a sample of it. */
import { useEffect, useRef, useState } from 'react';
import type { Character, Voice } from '../../../engine/model/schema.js';
import { NumberField, SelectField } from '../components/fields.js';
import { useEditor } from '../editor/context.js';

export const VOICES = [
  { value: 'slt', label: 'Woman, clear (slt)' },
  { value: 'kal', label: 'Man, low (kal)' },
  { value: 'kal16', label: 'Man, brighter (kal16)' },
  { value: 'awb', label: 'Man, Scottish (awb)' },
  { value: 'rms', label: 'Man, deep (rms)' },
];

/** The pitch field: Hz, or empty for the voice's own. */
function PitchField(p: { name: string; value: number | undefined; onCommit(v: number | undefined): void }) {
  const [v, setV] = useState(p.value === undefined ? '' : String(p.value));
  useEffect(() => setV(p.value === undefined ? '' : String(p.value)), [p.value]);
  const commit = () => {
    const t = v.trim();
    if (!t) {
      if (p.value !== undefined) p.onCommit(undefined);
      return;
    }
    const n = Number(t);
    if (!Number.isFinite(n)) return setV(p.value === undefined ? '' : String(p.value));
    const clamped = Math.round(Math.max(50, Math.min(400, n)));
    setV(String(clamped));
    if (clamped !== p.value) p.onCommit(clamped);
  };
  return (
    <label className="field compact">
      <span>Pitch</span>
      <span className="with-suffix">
        <input
          type="number"
          aria-label={`Pitch of ${p.name}`}
          placeholder="own"
          min={50}
          max={400}
          step={5}
          value={v}
          onChange={(e) => setV(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
        <span className="suffix">Hz</span>
      </span>
    </label>
  );
}

export function VoiceControls(p: { character: Character; onChange(voice: Voice): void }) {
  const editor = useEditor();
  const c = p.character;
  const audio = useRef<HTMLAudioElement>(null);
  const [state, setState] = useState<'idle' | 'making' | 'playing'>('idle');
  const preview = async () => {
    setState('making');
    const r = await editor.previewVoice({
      voice: c.voice.voice,
      rate: c.voice.rate,
      ...(c.voice.pitchHz !== undefined ? { pitch: c.voice.pitchHz } : {}),
    });
    const el = audio.current;
    if (!r || !el) return setState('idle');
    el.src = r.url;
    setState('playing');
    el.play().catch(() => setState('idle'));
  };
  return (
    <div className="cast-row voice-row">
      <SelectField
        label={`Voice of ${c.name}`}
        value={c.voice.voice}
        options={VOICES.some((v) => v.value === c.voice.voice) ? VOICES : [{ value: c.voice.voice, label: c.voice.voice }, ...VOICES]}
        onChange={(voice) => p.onChange({ ...c.voice, voice })}
      />
      <NumberField
        compact
        label={`Speaking rate of ${c.name}`}
        value={c.voice.rate}
        min={0.5}
        max={2}
        step={0.05}
        suffix="×"
        onCommit={(rate) => p.onChange({ ...c.voice, rate })}
      />
      <PitchField
        name={c.name}
        value={c.voice.pitchHz}
        onCommit={(pitchHz) => {
          const voice: Voice = { ...c.voice };
          if (pitchHz === undefined) delete voice.pitchHz;
          else voice.pitchHz = pitchHz;
          p.onChange(voice);
        }}
      />
      <button
        type="button"
        className="voice-preview"
        aria-label={`Preview the voice of ${c.name}`}
        disabled={state === 'making'}
        onClick={() => void preview()}
      >
        {state === 'making' ? '… Speaking' : state === 'playing' ? '■ Playing' : '▶ Preview'}
      </button>
      <audio ref={audio} data-testid={`voice-preview-${c.id}`} onEnded={() => setState('idle')} onPause={() => setState('idle')} hidden />
    </div>
  );
}
