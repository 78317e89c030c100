/**
 * The audio editor of one clip: its waveform drawn by wavesurfer.js from
 * peaks the host computed (never decoding the file here), speech regions from
 * VAD, the clip's edits, and a selected range that the buttons turn into
 * document commands. Transport-agnostic: the host passes `source` (peaks,
 * speech) and `apply` (commands → the project's undoable history).
 *
 * The waveform is the clip's audio as it will export: the source peaks run
 * through the clip's edits (engine/common/edited-peaks.ts, the same pieces
 * export renders), with the unedited source faintly behind ("Show original").
 * Its time axis, and so the selection's, is the clip as it plays after its
 * edits: seconds from the clip's start, the way the export lays it out (after
 * a cut the audio moves up and the clip keeps its length). Edits, speech and
 * selections are mapped between that axis and source samples (where edits
 * live) through the same pieces; a removed range shows as a marker at its seam.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin, { type Region } from 'wavesurfer.js/dist/plugins/regions.esm.js';
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.esm.js';
import ZoomPlugin from 'wavesurfer.js/dist/plugins/zoom.esm.js';
import { editedPeaks, sourceSpan, sourceToClip, type PeaksView } from '../../engine/common/edited-peaks';
import type { AudioEdit, GainPoint } from '../../engine/model/schema';
import type { CommandInput } from '../../engine/model/commands/registry';
import { AUDIO_EDIT_OPS, AUDIO_EDIT_OP_INFO, removesAudio } from '../../engine/common/audio-edit-ops';
import { editCommand, viewToRange, type EditAction, type SampleRange } from './edit-commands';

export type { PeaksView };

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
  /** The clip's gain envelope, gain (dB) and fades (samples): drawn into the waveform as export renders them. */
  envelope?: GainPoint[];
  gainDb?: number;
  fadeInSamples?: number;
  fadeOutSamples?: number;
}

export interface AudioEditorProps {
  clip: AudioEditorClip;
  source: AudioEditorSource;
  apply(commands: CommandInput[], label: string): Promise<void>;
  /** Integrated loudness and true peak of the last export (the meter), if measured. */
  loudness?: { integrated: number; truePeak: number; target?: number } | null;
}

const SPEECH_COLOR = 'rgba(60, 180, 90, 0.28)';
const SELECTION_COLOR = 'rgba(70, 130, 230, 0.35)';
const EDITED_COLOR = '#6b8fd6';
const ORIGINAL_COLOR = 'rgba(200, 206, 224, 0.26)';
const SEAM_COLOR = 'rgba(240, 90, 90, 0.95)';

/** wavesurfer draws one waveform per peaks array: the original (faint or hidden), then the edited audio over it. */
function layers(showOriginal: boolean) {
  return [
    { waveColor: showOriginal ? ORIGINAL_COLOR : 'rgba(0, 0, 0, 0)', progressColor: showOriginal ? ORIGINAL_COLOR : 'rgba(0, 0, 0, 0)' },
    { waveColor: EDITED_COLOR, progressColor: EDITED_COLOR, overlay: true },
  ];
}

/** The channels as one waveform: per block the lowest min and the highest max (wavesurfer draws the magnitude, mirrored). */
function mergeChannels(channels: number[][]): number[] {
  const [first, ...rest] = channels;
  if (!first) return [];
  const out = first.slice();
  for (const ch of rest) {
    for (let i = 0; i < out.length; i += 2) {
      out[i] = Math.min(out[i]!, ch[i] ?? 0);
      out[i + 1] = Math.max(out[i + 1]!, ch[i + 1] ?? 0);
    }
  }
  return out;
}

/** The page load's CSP style nonce, from <meta name="csp-nonce"> (written by the host, engine/host/csp.ts). */
function cspNonce(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content || undefined;
}

export function AudioEditor({ clip, source, apply, loudness }: AudioEditorProps) {
  const waveRef = useRef<HTMLDivElement>(null);
  const timelineRef = useRef<HTMLDivElement>(null);
  const regionsRef = useRef<RegionsPlugin | null>(null);
  const selectionRef = useRef<Region | null>(null);
  const [ws, setWs] = useState<WaveSurfer | null>(null);
  const [selection, setSelection] = useState<{ start: number; end: number } | null>(null);
  const [gainDb, setGainDb] = useState(-6);
  const [status, setStatus] = useState('loading waveform…');
  const [speech, setSpeech] = useState<SampleRange[] | null>(null);
  const [showOriginal, setShowOriginal] = useState(true);
  /** Source peaks over [start, end): at least the source range the edited clip reads. */
  const [peaks, setPeaks] = useState<{ view: PeaksView; start: number; end: number } | null>(null);
  /** Bumped each time wavesurfer finished drawing: regions are placed only against a loaded waveform. */
  const [drawn, setDrawn] = useState(0);
  const seconds = clip.samples / 48000;
  const [spanStart, spanEnd] = useMemo(() => sourceSpan(clip), [clip.sourceStartSample, clip.samples, clip.edits]);

  // wavesurfer: created once per clip, drawn from host peaks
  useEffect(() => {
    const container = waveRef.current;
    if (!container) return;
    const regions = RegionsPlugin.create();
    const wave = WaveSurfer.create({
      container,
      // its shadow root's <style> carries the page's CSP nonce (styles without 'unsafe-inline')
      cspNonce: cspNonce(),
      height: 140,
      waveColor: EDITED_COLOR,
      progressColor: EDITED_COLOR,
      cursorWidth: 0,
      interact: false,
      normalize: false,
      splitChannels: layers(true),
      plugins: [
        regions,
        TimelinePlugin.create({ container: timelineRef.current ?? undefined, height: 18 }),
        ZoomPlugin.create({ scale: 0.2, maxZoom: 2000 }),
      ],
    });
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
    container.dataset.createdAt = String(performance.now());
    delete container.dataset.openMs;
    setWs(wave);
    return () => {
      wave.destroy();
      setWs(null);
      regionsRef.current = null;
      selectionRef.current = null;
    };
  }, [clip.id, clip.sourceStartSample, clip.samples]);

  // the source peaks, fetched again only when the edits make the clip read past them
  useEffect(() => {
    if (peaks && peaks.start <= spanStart && peaks.end >= spanEnd) return;
    const width = Math.max(400, waveRef.current?.clientWidth ?? 0);
    // enough pairs for the clip's length across the view, over the whole span
    const minPeaks = Math.max(1, Math.round(width * 2 * Math.max(1, (spanEnd - spanStart) / Math.max(1, clip.samples))));
    let cancelled = false;
    source.peaks({ startSample: spanStart, endSample: spanEnd, minPeaks }).then(
      (view) => {
        if (!cancelled) setPeaks({ view, start: spanStart, end: spanEnd });
      },
      (e: unknown) => setStatus(`could not load the waveform: ${(e as Error).message}`),
    );
    return () => {
      cancelled = true;
    };
  }, [peaks, spanStart, spanEnd, clip.samples, source]);

  // draw: the edited audio over the original
  useEffect(() => {
    const container = waveRef.current;
    if (!ws || !peaks || !container) return;
    const shape = { sourceStartSample: clip.sourceStartSample, samples: clip.samples };
    const edited = editedPeaks(peaks.view, {
      ...shape,
      edits: clip.edits,
      envelope: clip.envelope,
      gainDb: clip.gainDb,
      fadeInSamples: clip.fadeInSamples,
      fadeOutSamples: clip.fadeOutSamples,
    });
    const original = editedPeaks(peaks.view, shape);
    let cancelled = false;
    ws.load('', [mergeChannels(original.channels), mergeChannels(edited.channels)], seconds).then(
      () => {
        if (cancelled) return;
        container.dataset.samplesPerPeak = String(edited.samplesPerPeak);
        if (!container.dataset.openMs) {
          const ms = performance.now() - Number(container.dataset.createdAt ?? 0);
          container.dataset.openMs = ms.toFixed(1);
          setStatus(`waveform: ${edited.samplesPerPeak} samples per peak, opened in ${ms.toFixed(0)} ms`);
        }
        setDrawn((n) => n + 1);
      },
      (e: unknown) => setStatus(`could not draw the waveform: ${(e as Error).message}`),
    );
    return () => {
      cancelled = true;
    };
  }, [
    ws,
    peaks,
    clip.sourceStartSample,
    clip.samples,
    clip.edits,
    clip.envelope,
    clip.gainDb,
    clip.fadeInSamples,
    clip.fadeOutSamples,
    seconds,
  ]);

  useEffect(() => {
    ws?.setOptions({ splitChannels: layers(showOriginal) });
  }, [ws, showOriginal]);

  // speech found by VAD, once per source
  useEffect(() => {
    let cancelled = false;
    setSpeech(null);
    source.speech?.().then(
      (segs) => {
        if (!cancelled) setSpeech(segs);
      },
      () => {
        if (!cancelled) setSpeech(null);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [source]);

  // speech and the clip's edits as fixed regions, in the clip's time after its edits
  useEffect(() => {
    const regions = regionsRef.current;
    // while wavesurfer loads new peaks it has no duration, and a region added then would be clamped to 0: the load's end comes back here
    if (!regions || !ws || !drawn || !(ws.getDuration() > 0)) return;
    for (const r of regions.getRegions()) if (r !== selectionRef.current) r.remove();
    const toView = (s: number) => s / 48000;
    for (const e of clip.edits) {
      const removes = removesAudio(e.op);
      sourceToClip(clip, e.startSample, e.endSample, { seams: removes }).forEach(([a, b], i) => {
        const label = e.op === 'gain' ? `gain ${e.gainDb} dB` : e.op;
        if (removes)
          regions.addRegion({ id: `edit-${e.id}-${i}`, start: toView(a), color: SEAM_COLOR, drag: false, resize: false, content: label });
        else
          regions.addRegion({
            id: `edit-${e.id}-${i}`,
            start: toView(a),
            end: Math.min(seconds, toView(b)),
            color: AUDIO_EDIT_OP_INFO[e.op].color,
            drag: false,
            resize: false,
            content: label,
          });
      });
    }
    speech?.forEach((seg, i) => {
      for (const [a, b] of sourceToClip(clip, seg.startSample, seg.endSample)) {
        regions.addRegion({
          id: `speech-${i}-${a}`,
          start: toView(a),
          end: Math.min(seconds, toView(b)),
          color: SPEECH_COLOR,
          drag: false,
          resize: false,
          content: 'speech',
        });
      }
    });
  }, [ws, drawn, clip, seconds, speech]);

  const run = useCallback(
    async (action: EditAction) => {
      if (!selection) return;
      const range = viewToRange(clip, selection.start, selection.end);
      setStatus(`${AUDIO_EDIT_OP_INFO[action].label}…`);
      try {
        await apply([editCommand(clip.id, action, range, { gainDb })], `${AUDIO_EDIT_OP_INFO[action].label} audio`);
        setStatus(`${AUDIO_EDIT_OP_INFO[action].label} ${((range.endSample - range.startSample) / 48000).toFixed(2)} s`);
        selectionRef.current?.remove();
        selectionRef.current = null;
        setSelection(null);
      } catch (e) {
        setStatus(`${AUDIO_EDIT_OP_INFO[action].label} failed: ${(e as Error).message}`);
      }
    },
    [apply, clip, gainDb, selection],
  );

  const remove = useCallback(
    (editId: string) => apply([{ type: 'audio.edit.remove', clipId: clip.id, editId }], 'Remove audio edit'),
    [apply, clip.id],
  );

  return (
    <div
      className="audio-editor"
      data-testid="audio-editor"
      style={{ fontFamily: 'DejaVu Sans, sans-serif', fontSize: 13, color: '#ddd', background: '#1e1f24', padding: 12, borderRadius: 6 }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 6 }}>
        <span style={{ display: 'inline-flex', alignItems: 'center' }}>
          <strong data-testid="audio-clip-title">{clip.name}</strong>
          <label
            style={{
              display: 'inline-flex',
              flexDirection: 'row',
              alignItems: 'center',
              gap: 4,
              margin: '0 0 0 14px',
              color: 'inherit',
              fontSize: 'inherit',
              whiteSpace: 'nowrap',
              opacity: 0.85,
            }}
            title="The source without the edits, faintly behind the audio as it will export"
          >
            <input
              type="checkbox"
              data-testid="show-original"
              checked={showOriginal}
              onChange={(e) => setShowOriginal(e.target.checked)}
              style={{ width: 'auto', margin: 0 }}
            />{' '}
            Show original
          </label>
        </span>
        <span data-testid="loudness-meter" title="Integrated loudness and true peak of the last export">
          {loudness
            ? `${loudness.integrated.toFixed(1)} LUFS${loudness.target !== undefined ? ` (target ${loudness.target})` : ''} · ${loudness.truePeak.toFixed(1)} dBTP`
            : 'loudness: not measured'}
        </span>
      </div>
      <div ref={timelineRef} />
      <div ref={waveRef} data-testid="waveform" style={{ background: '#15161a', cursor: 'crosshair' }} />
      <div style={{ display: 'flex', gap: 6, alignItems: 'center', marginTop: 8, flexWrap: 'wrap' }}>
        {AUDIO_EDIT_OPS.map((a) => (
          <button key={a} type="button" data-action={a} disabled={!selection} onClick={() => void run(a)}>
            {AUDIO_EDIT_OP_INFO[a].label}
          </button>
        ))}
        <label>
          Gain{' '}
          <input
            data-testid="gain-db"
            type="number"
            step={0.5}
            min={-48}
            max={24}
            value={gainDb}
            onChange={(e) => setGainDb(Number(e.target.value))}
            style={{ width: 56 }}
          />{' '}
          dB
        </label>
        <span data-testid="selection">
          {selection ? `selection ${selection.start.toFixed(2)}–${selection.end.toFixed(2)} s` : 'drag on the waveform to select'}
        </span>
      </div>
      <div style={{ marginTop: 6, opacity: 0.8 }} data-testid="status">
        {status}
        {speech ? ` · ${speech.length} speech region(s)` : ''}
      </div>
      <ul data-testid="edits" style={{ margin: '6px 0 0', paddingLeft: 18 }}>
        {clip.edits.map((e) => (
          <li key={e.id} data-edit-op={e.op}>
            {AUDIO_EDIT_OP_INFO[e.op].label}
            {e.op === 'gain' ? ` ${e.gainDb} dB` : ''} {(e.startSample / 48000).toFixed(2)}–{(e.endSample / 48000).toFixed(2)} s{' '}
            <button type="button" onClick={() => void remove(e.id)} aria-label={`Remove ${AUDIO_EDIT_OP_INFO[e.op].label.toLowerCase()}`}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
