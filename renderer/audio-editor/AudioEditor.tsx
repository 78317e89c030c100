/**
 * The audio editor of one clip: its waveform drawn by wavesurfer.js from
 * peaks the host computed (never decoding the file here), speech regions from
 * VAD, the clip's edits, and a selected range that the buttons turn into
 * document commands. Transport-agnostic: the host passes `source` (peaks,
 * speech) and `apply` (commands → the project's undoable history).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin, { type Region } from 'wavesurfer.js/dist/plugins/regions.esm.js';
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.esm.js';
import ZoomPlugin from 'wavesurfer.js/dist/plugins/zoom.esm.js';
import type { AudioEdit } from '../../engine/model/schema';
import { ACTION_LABELS, EDIT_COLORS, editCommand, viewToRange, type EditAction, type EditCommand, type SampleRange } from './edit-commands';

export interface PeaksView {
  samplesPerPeak: number;
  startSample: number;
  /** Per channel, interleaved min/max in −1..1. */
  channels: number[][];
}

export interface AudioEditorSource {
  /** Peaks of the clip's source over [startSample, endSample) with at least `minPeaks` pairs. */
  peaks(view: { startSample: number; endSample: number; minPeaks: number }): Promise<PeaksView>;
  /** Speech found by VAD, in source samples. */
  speech?(): Promise<SampleRange[]>;
}

export interface AudioEditorClip {
  id: string;
  name: string;
  /** First source sample the clip plays (48 kHz). */
  sourceStartSample: number;
  /** Samples the clip spans. */
  samples: number;
  edits: AudioEdit[];
}

export interface AudioEditorProps {
  clip: AudioEditorClip;
  source: AudioEditorSource;
  apply(commands: Array<EditCommand | { type: string; [k: string]: unknown }>, label: string): Promise<void>;
  /** Integrated loudness and true peak of the last export (the meter), if measured. */
  loudness?: { integrated: number; truePeak: number; target?: number } | null;
}

const ACTIONS: EditAction[] = ['cut', 'delete', 'silence', 'gain', 'fadeIn', 'fadeOut', 'normalize'];
const SPEECH_COLOR = 'rgba(60, 180, 90, 0.28)';
const SELECTION_COLOR = 'rgba(70, 130, 230, 0.35)';

export function AudioEditor({ clip, source, apply, loudness }: AudioEditorProps) {
  const waveRef = useRef<HTMLDivElement>(null);
  const timelineRef = useRef<HTMLDivElement>(null);
  const wsRef = useRef<WaveSurfer | null>(null);
  const regionsRef = useRef<RegionsPlugin | null>(null);
  const selectionRef = useRef<Region | null>(null);
  const [selection, setSelection] = useState<{ start: number; end: number } | null>(null);
  const [gainDb, setGainDb] = useState(-6);
  const [status, setStatus] = useState('loading waveform…');
  const [speechCount, setSpeechCount] = useState<number | null>(null);
  const [ready, setReady] = useState(false);
  const seconds = clip.samples / 48000;

  // wavesurfer: created once per clip, drawn from host peaks
  useEffect(() => {
    const container = waveRef.current;
    if (!container) return;
    const regions = RegionsPlugin.create();
    const ws = WaveSurfer.create({
      container,
      height: 140,
      waveColor: '#6b8fd6',
      progressColor: '#6b8fd6',
      cursorWidth: 0,
      interact: false,
      normalize: false,
      plugins: [regions, TimelinePlugin.create({ container: timelineRef.current ?? undefined, height: 18 }), ZoomPlugin.create({ scale: 0.2, maxZoom: 2000 })],
    });
    wsRef.current = ws;
    regionsRef.current = regions;
    regions.enableDragSelection({ color: SELECTION_COLOR, id: 'selection' });
    regions.on('region-created', (r) => {
      if (r.id !== 'selection' && !r.id.startsWith('selection')) return;
      if (selectionRef.current && selectionRef.current !== r) selectionRef.current.remove();
      selectionRef.current = r;
      setSelection({ start: r.start, end: r.end });
    });
    regions.on('region-updated', (r) => {
      if (r === selectionRef.current) setSelection({ start: r.start, end: r.end });
    });
    let cancelled = false;
    const started = performance.now();
    const width = Math.max(400, container.clientWidth);
    source.peaks({ startSample: clip.sourceStartSample, endSample: clip.sourceStartSample + clip.samples, minPeaks: width * 2 }).then(async (view) => {
      if (cancelled) return;
      // the view may start a little before the clip (peak block boundary): drop those blocks
      const skip = Math.max(0, Math.floor((clip.sourceStartSample - view.startSample) / view.samplesPerPeak));
      const count = Math.ceil(clip.samples / view.samplesPerPeak);
      const channels = view.channels.map((c) => c.slice(2 * skip, 2 * (skip + count)));
      await ws.load('', channels, seconds);
      if (cancelled) return;
      const ms = performance.now() - started;
      container.dataset.openMs = ms.toFixed(1);
      setStatus(`waveform: ${view.samplesPerPeak} samples per peak, opened in ${ms.toFixed(0)} ms`);
      setReady(true);
    }, (e: unknown) => setStatus(`could not load the waveform: ${(e as Error).message}`));
    return () => {
      cancelled = true;
      ws.destroy();
      wsRef.current = null;
      regionsRef.current = null;
      selectionRef.current = null;
    };
  }, [clip.id, clip.sourceStartSample, clip.samples, source, seconds]);

  // speech (VAD) and the clip's edits as fixed regions
  useEffect(() => {
    const regions = regionsRef.current;
    if (!regions || !ready) return;
    for (const r of regions.getRegions()) if (r !== selectionRef.current) r.remove();
    const toView = (s: number) => (s - clip.sourceStartSample) / 48000;
    for (const e of clip.edits) {
      regions.addRegion({ id: `edit-${e.id}`, start: Math.max(0, toView(e.startSample)), end: Math.min(seconds, toView(e.endSample)), color: EDIT_COLORS[e.op], drag: false, resize: false, content: e.op === 'gain' ? `gain ${e.gainDb} dB` : e.op });
    }
    let cancelled = false;
    source.speech?.().then((segs) => {
      if (cancelled || !regionsRef.current) return;
      setSpeechCount(segs.length);
      segs.forEach((s, i) => {
        const start = Math.max(0, toView(s.startSample));
        const end = Math.min(seconds, toView(s.endSample));
        if (end > start) regionsRef.current!.addRegion({ id: `speech-${i}`, start, end, color: SPEECH_COLOR, drag: false, resize: false, content: 'speech' });
      });
    }, () => setSpeechCount(null));
    return () => { cancelled = true; };
  }, [ready, clip.edits, clip.sourceStartSample, seconds, source]);

  const run = useCallback(async (action: EditAction) => {
    if (!selection) return;
    const range = viewToRange(clip.sourceStartSample, selection.start, selection.end);
    setStatus(`${ACTION_LABELS[action]}…`);
    try {
      await apply([editCommand(clip.id, action, range, { gainDb })], `${ACTION_LABELS[action]} audio`);
      setStatus(`${ACTION_LABELS[action]} ${((range.endSample - range.startSample) / 48000).toFixed(2)} s`);
      selectionRef.current?.remove();
      selectionRef.current = null;
      setSelection(null);
    } catch (e) {
      setStatus(`${ACTION_LABELS[action]} failed: ${(e as Error).message}`);
    }
  }, [apply, clip.id, clip.sourceStartSample, gainDb, selection]);

  const remove = useCallback((editId: string) => apply([{ type: 'audio.edit.remove', clipId: clip.id, editId }], 'Remove audio edit'), [apply, clip.id]);

  return (
    <div className="audio-editor" data-testid="audio-editor" style={{ fontFamily: 'DejaVu Sans, sans-serif', fontSize: 13, color: '#ddd', background: '#1e1f24', padding: 12, borderRadius: 6 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 6 }}>
        <strong>{clip.name || clip.id}</strong>
        <span data-testid="loudness-meter" title="Integrated loudness and true peak of the last export">
          {loudness ? `${loudness.integrated.toFixed(1)} LUFS${loudness.target !== undefined ? ` (target ${loudness.target})` : ''} · ${loudness.truePeak.toFixed(1)} dBTP` : 'loudness: not measured'}
        </span>
      </div>
      <div ref={timelineRef} />
      <div ref={waveRef} data-testid="waveform" style={{ background: '#15161a', cursor: 'crosshair' }} />
      <div style={{ display: 'flex', gap: 6, alignItems: 'center', marginTop: 8, flexWrap: 'wrap' }}>
        {ACTIONS.map((a) => (
          <button key={a} type="button" data-action={a} disabled={!selection} onClick={() => void run(a)}>{ACTION_LABELS[a]}</button>
        ))}
        <label>
          gain <input data-testid="gain-db" type="number" step={0.5} min={-48} max={24} value={gainDb} onChange={(e) => setGainDb(Number(e.target.value))} style={{ width: 56 }} /> dB
        </label>
        <span data-testid="selection">{selection ? `selection ${selection.start.toFixed(2)}–${selection.end.toFixed(2)} s` : 'drag on the waveform to select'}</span>
      </div>
      <div style={{ marginTop: 6, opacity: 0.8 }} data-testid="status">{status}{speechCount !== null ? ` · ${speechCount} speech region(s)` : ''}</div>
      <ul data-testid="edits" style={{ margin: '6px 0 0', paddingLeft: 18 }}>
        {clip.edits.map((e) => (
          <li key={e.id} data-edit-op={e.op}>
            {e.op}{e.op === 'gain' ? ` ${e.gainDb} dB` : ''} {(e.startSample / 48000).toFixed(2)}–{(e.endSample / 48000).toFixed(2)} s{' '}
            <button type="button" onClick={() => void remove(e.id)} aria-label={`remove ${e.op}`}>×</button>
          </li>
        ))}
      </ul>
    </div>
  );
}
