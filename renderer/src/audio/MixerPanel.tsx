/**
 * The mixer: a channel strip per track (gain, pan, mute, solo) as document
 * commands, and a loudness meter on the current mix (remade a moment after
 * each edit) and on the last export. A slider previews locally while it is
 * dragged and commits one command when it is let go (one undo step).
 */
import { useEffect, useRef, useState } from 'react';
import type { CommandInput } from '../../../engine/api/contract.js';
import { loudnessVerdict } from '../../../engine/common/export-record.js';
import type { TrackEntity } from '../store/doc-slice.js';
import { tracksSel } from '../store/selectors.js';
import { useAppSelector } from '../store/store.js';
import { useEditor, usePreviewMix } from '../editor/context.js';

type TrackPatch = Extract<CommandInput, { type: 'track.update' }>['patch'];

export function MixerPanel() {
  const tracks = useAppSelector(tracksSel.selectAll);
  // the project's last finished export (its export history): stays after the dialog closes and across restarts
  const last = useAppSelector((s) => s.jobs.lastExport);
  const loudness = last?.loudness;
  const verdict = loudness ? loudnessVerdict(loudness) : undefined;
  const mix = usePreviewMix();
  return (
    <div className="mixer" data-testid="mixer">
      <div className="mixer-meters">
        <div
          data-testid="mix-loudness"
          role="status"
          aria-label="Loudness of the mix"
          title="The sequence's mix as it is now, before the export's loudness target (EBU R128)"
        >
          {mix.loudness
            ? `mix now: ${formatDb(mix.loudness.integrated)} LUFS, ${formatDb(mix.loudness.truePeak)} dBTP${mix.pending ? ' (updating…)' : ''}`
            : mix.pending
              ? 'mix: measuring…'
              : 'mix: no sound'}
        </div>
        <div
          data-testid="mixer-loudness"
          className={verdict ? (verdict.met ? 'ok' : 'bad') : undefined}
          title={
            last
              ? `Measured on ${last.output} (EBU R128), ${new Date(last.finishedAt).toLocaleString()}`
              : 'Measured on the last export (EBU R128)'
          }
        >
          {loudness
            ? `last export: ${formatDb(loudness.integrated)} LUFS${loudness.target !== undefined ? ` (target ${loudness.target}, ${verdict!.text})` : ''}, ${formatDb(loudness.truePeak)} dBTP`
            : 'last export: not yet'}
        </div>
        <p className="hint">
          The export can bring the mix to a loudness target (streaming −14, podcast −16, broadcast −23 LUFS) under −1 dBTP.
        </p>
      </div>
      {tracks.map((t) => (
        <ChannelStrip key={t.id} track={t} />
      ))}
    </div>
  );
}

function ChannelStrip({ track: t }: { track: TrackEntity }) {
  const editor = useEditor();
  const update = (trackId: string, patch: TrackPatch, label: string) => void editor.apply({ type: 'track.update', trackId, patch }, label);
  const name = t.name || t.id;
  return (
    <fieldset className="channel" data-track={t.id}>
      <legend title={t.kind === 'video' ? 'The sound of the takes on this video track' : undefined}>
        {name}
        {t.kind === 'video' ? ' (takes)' : t.characterId ? ' (lane)' : ''}
      </legend>
      <TrackSlider
        label={`${name} gain`}
        text={(v) => `gain ${v.toFixed(1)} dB`}
        min={-48}
        max={12}
        step={0.5}
        value={t.gainDb}
        commit={(v) => update(t.id, { gainDb: v }, 'Track gain')}
      />
      <TrackSlider
        label={`${name} pan`}
        text={(v) => `pan ${v === 0 ? 'C' : v < 0 ? `L${Math.round(-v * 100)}` : `R${Math.round(v * 100)}`}`}
        min={-1}
        max={1}
        step={0.05}
        value={t.pan}
        commit={(v) => update(t.id, { pan: v }, 'Track pan')}
      />
      <div className="channel-buttons">
        <button
          type="button"
          className="mini"
          aria-label={`Mute ${name}`}
          title="Mute"
          aria-pressed={t.muted}
          onClick={() => update(t.id, { muted: !t.muted }, t.muted ? 'Unmute track' : 'Mute track')}
        >
          M
        </button>
        <button
          type="button"
          className="mini"
          aria-label={`Solo ${name}`}
          title="Solo"
          aria-pressed={t.solo}
          onClick={() => update(t.id, { solo: !t.solo }, t.solo ? 'Unsolo track' : 'Solo track')}
        >
          S
        </button>
      </div>
    </fieldset>
  );
}

function TrackSlider(p: {
  label: string;
  text: (v: number) => string;
  min: number;
  max: number;
  step: number;
  value: number;
  commit: (v: number) => void;
}) {
  const [local, setLocal] = useState<number | null>(null);
  // from the first change of a gesture until the document holds what it committed, the slider shows its own value:
  // the document catching up with earlier key presses must not move it back
  const moving = useRef(false);
  const latest = useRef(p.value);
  const committed = useRef<number | null>(null);
  useEffect(() => {
    if (moving.current || (committed.current !== null && p.value !== committed.current)) return;
    committed.current = null;
    setLocal(null);
  }, [p.value]);
  const shown = local ?? p.value;
  const done = () => {
    if (!moving.current) return;
    moving.current = false;
    if (latest.current === (committed.current ?? p.value)) return;
    committed.current = latest.current;
    p.commit(latest.current);
  };
  return (
    <label className="channel-slider">
      <span>{p.text(shown)}</span>
      <input
        type="range"
        min={p.min}
        max={p.max}
        step={p.step}
        value={shown}
        aria-label={p.label}
        onChange={(e) => {
          moving.current = true;
          latest.current = Number(e.target.value);
          setLocal(latest.current);
        }}
        onPointerUp={done}
        onKeyUp={done}
        onBlur={done}
        onDoubleClick={() => p.commit(p.min < 0 && p.max > 0 ? 0 : p.value)}
        title="Double-click: back to 0"
      />
    </label>
  );
}

function formatDb(v: number): string {
  return Number.isFinite(v) ? v.toFixed(1) : '−∞';
}
