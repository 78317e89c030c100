/** The mixer: per-track gain, mute, solo and pan as document commands, and the loudness of the last export. */
import { tracksSel } from '../store/selectors.js';
import { useAppSelector } from '../store/store.js';
import { studio } from '../studio.js';

function update(trackId: string, patch: Record<string, unknown>, label: string): void {
  void studio().apply({ type: 'track.update', trackId, patch }, label);
}

export function MixerPanel() {
  const tracks = useAppSelector(tracksSel.selectAll).filter((t) => t.kind !== 'video');
  const loudness = useAppSelector((s) => s.jobs.export?.verification?.loudness);
  return (
    <div className="mixer" data-testid="mixer" style={{ display: 'flex', gap: 12, alignItems: 'flex-end', flexWrap: 'wrap' }}>
      {tracks.map((t) => (
        <fieldset key={t.id} data-track={t.id} style={{ minWidth: 150 }}>
          <legend>{t.name || t.id}{t.characterId ? ' (lane)' : ''}</legend>
          <label>gain {t.gainDb.toFixed(1)} dB
            <input type="range" min={-48} max={12} step={0.5} value={t.gainDb} aria-label={`${t.name || t.id} gain`}
              onChange={(e) => update(t.id, { gainDb: Number(e.target.value) }, 'Track gain')} />
          </label>
          <label>pan {t.pan.toFixed(2)}
            <input type="range" min={-1} max={1} step={0.05} value={t.pan} aria-label={`${t.name || t.id} pan`}
              onChange={(e) => update(t.id, { pan: Number(e.target.value) }, 'Track pan')} />
          </label>
          <button type="button" aria-pressed={t.muted} aria-label={`Mute ${t.name || t.id}`} title="Mute" onClick={() => update(t.id, { muted: !t.muted }, t.muted ? 'Unmute track' : 'Mute track')}>M</button>
          <button type="button" aria-pressed={t.solo} aria-label={`Solo ${t.name || t.id}`} title="Solo" onClick={() => update(t.id, { solo: !t.solo }, t.solo ? 'Unsolo track' : 'Solo track')}>S</button>
        </fieldset>
      ))}
      <div data-testid="mixer-loudness" title="Measured on the last export (EBU R128)">
        {loudness ? `last export: ${loudness.integrated.toFixed(1)} LUFS${loudness.target !== undefined ? ` (target ${loudness.target})` : ''}, ${loudness.truePeak.toFixed(1)} dBTP` : 'loudness: export to measure'}
      </div>
    </div>
  );
}
