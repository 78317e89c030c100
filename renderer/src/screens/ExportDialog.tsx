/** Export: preset (9:16 / 16:9, 720p / 1080p), progress with ETA and cancel, then the check of the finished file. */
import { useEffect, useState } from 'react';
import { EXPORT_PRESETS, LOUDNESS_PRESETS, type ExportPresetId, type LoudnessPresetId } from '../../../engine/api/contract.js';
import { Dialog } from '../components/Dialog.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { exportUpdated } from '../store/jobs-slice.js';
import { openDialog } from '../store/ui-slice.js';
import { useEditor, usePlayback } from '../editor/context.js';
import { clipsSel, sequenceEnd } from '../store/selectors.js';
import { framesToTimecode } from '../../../engine/common/time.js';
import { loudnessVerdict } from '../../../engine/common/export-record.js';
import { formatEta } from './QueuePanel.js';

const LOUDNESS_LABELS: Record<LoudnessPresetId, string> = {
  streaming: 'Streaming (−14 LUFS)',
  podcast: 'Podcast (−16 LUFS)',
  broadcast: 'Broadcast (−23 LUFS)',
};

type RangeChoice = 'whole' | 'marks' | 'selection';

/** What each range choice exports: frames [in, out) of the sequence, or why it cannot be chosen. */
function useRanges(): Record<RangeChoice, { in: number; out: number } | { why: string }> {
  const end = useAppSelector(sequenceEnd);
  const { inFrame, outFrame } = usePlayback();
  const clip = useAppSelector((s) => (s.ui.selectedClipId ? clipsSel.selectById(s, s.ui.selectedClipId) : undefined));
  const from = inFrame ?? 0;
  const to = Math.min(outFrame ?? end, end);
  return {
    whole: end > 0 ? { in: 0, out: end } : { why: 'the sequence is empty' },
    marks:
      inFrame === null && outFrame === null
        ? { why: 'set the in and out points on the timeline (I, O)' }
        : to > from
          ? { in: from, out: to }
          : { why: 'the out point must come after the in point' },
    selection: clip
      ? { in: clip.recordStart, out: Math.min(end, clip.recordStart + clip.duration) }
      : { why: 'select a clip on the timeline' },
  };
}

export function ExportDialog() {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  const info = useAppSelector((s) => s.jobs.export);
  const rate = useAppSelector((s) => s.doc.meta?.rate ?? { num: 24, den: 1 });
  const ranges = useRanges();
  const [rangeChoice, setRangeChoice] = useState<RangeChoice>('whole');
  const chosen = ranges[rangeChoice];
  const seconds = (frames: number) => ((frames * rate.den) / rate.num).toFixed(2);
  const [preset, setPreset] = useState<ExportPresetId>('16:9-720p');
  // the loudness saved with the project (new projects: streaming); a change is saved back through a command
  const savedLoudness = useAppSelector((s) => s.doc.meta?.exportLoudness ?? 'streaming');
  const [loudness, setLoudness] = useState<LoudnessPresetId | 'off'>(savedLoudness);
  const chooseLoudness = (next: LoudnessPresetId | 'off') => {
    setLoudness(next);
    if (next !== savedLoudness) void editor.apply({ type: 'project.setExportLoudness', loudness: next }, 'Set export loudness');
  };
  const [burnCaptions, setBurnCaptions] = useState(false);
  const [captionFiles, setCaptionFiles] = useState(false);
  const [prov, setProv] = useState({ watermark: true, invisibleWatermark: true, sign: true });
  const projectCreator = useAppSelector((s) => s.doc.meta?.creatorName ?? '');
  const [where, setWhere] = useState({ fileName: '', folder: '' });
  // The name on the watermark: the creator name saved in Settings, else the project's.
  const [creatorName, setCreatorName] = useState(projectCreator);
  useEffect(() => {
    let live = true;
    void editor.settings().then((v) => {
      if (live && v?.creatorName.trim()) setCreatorName(v.creatorName.trim());
    });
    return () => {
      live = false;
    };
  }, [editor]);
  const close = () => {
    dispatch(openDialog(null));
    if (info && info.status !== 'running') dispatch(exportUpdated(null));
  };
  const start = async () => {
    await editor.startExport({
      preset,
      loudness,
      burnCaptions,
      captionFiles,
      ...prov,
      fileName: where.fileName,
      folder: where.folder,
      ...(creatorName.trim() ? { creatorName: creatorName.trim() } : {}),
      ...(rangeChoice !== 'whole' && 'out' in chosen ? { range: { in: chosen.in, out: chosen.out } } : {}),
    });
  };
  const verdict = info?.verification?.loudness ? loudnessVerdict(info.verification.loudness) : undefined;
  return (
    <Dialog title="Export" onClose={close}>
      {!info ? (
        <>
          <fieldset className="presets">
            <legend>Format</legend>
            {(Object.keys(EXPORT_PRESETS) as ExportPresetId[]).map((id) => (
              <label key={id} className={`preset ${preset === id ? 'on' : ''}`}>
                <input type="radio" name="preset" value={id} checked={preset === id} onChange={() => setPreset(id)} />
                <span className={`aspect ${id.startsWith('9:16') ? 'tall' : 'wide'}`} aria-hidden />
                {EXPORT_PRESETS[id].label}
                <small className="muted">
                  {EXPORT_PRESETS[id].width}×{EXPORT_PRESETS[id].height}
                </small>
              </label>
            ))}
          </fieldset>
          <fieldset className="export-range">
            <legend>Range</legend>
            {(
              [
                ['whole', 'Whole sequence'],
                ['marks', 'In to out'],
                ['selection', 'Selected clip'],
              ] as const
            ).map(([id, label]) => {
              const r = ranges[id];
              return (
                <label key={id} className={`check ${'why' in r ? 'muted' : ''}`}>
                  <input
                    type="radio"
                    name="range"
                    value={id}
                    checked={rangeChoice === id}
                    disabled={'why' in r}
                    onChange={() => setRangeChoice(id)}
                  />{' '}
                  {label}{' '}
                  <small className="muted" data-testid={`range-${id}`}>
                    {'why' in r
                      ? `(${r.why})`
                      : `${framesToTimecode(r.in, rate)} – ${framesToTimecode(r.out, rate)}, ${r.out - r.in} frames (${seconds(r.out - r.in)} s)`}
                  </small>
                </label>
              );
            })}
          </fieldset>
          <fieldset className="export-where">
            <legend>File</legend>
            <label>
              File name{' '}
              <input
                value={where.fileName}
                onChange={(e) => setWhere({ ...where, fileName: e.target.value })}
                placeholder="project name, format and time.mp4"
              />
            </label>
            <label>
              Folder{' '}
              <input
                value={where.folder}
                onChange={(e) => setWhere({ ...where, folder: e.target.value })}
                placeholder="exports (in the project folder)"
              />
            </label>
          </fieldset>
          <fieldset>
            <legend>Sound and captions</legend>
            <label>
              Loudness{' '}
              <select
                value={loudness}
                onChange={(e) => chooseLoudness(e.target.value as LoudnessPresetId | 'off')}
                aria-label="Loudness target"
              >
                <option value="off">as mixed</option>
                {LOUDNESS_PRESETS.map((l) => (
                  <option key={l} value={l}>
                    {LOUDNESS_LABELS[l]}
                  </option>
                ))}
              </select>
            </label>
            <label className="check">
              <input type="checkbox" checked={burnCaptions} onChange={(e) => setBurnCaptions(e.target.checked)} /> Burn in captions
            </label>
            <label className="check">
              <input type="checkbox" checked={captionFiles} onChange={(e) => setCaptionFiles(e.target.checked)} /> Caption files (SRT and
              WebVTT next to the video)
            </label>
          </fieldset>
          <fieldset>
            <legend>Provenance</legend>
            <label className="check">
              <input type="checkbox" checked={prov.watermark} onChange={(e) => setProv({ ...prov, watermark: e.target.checked })} /> Visible
              watermark
            </label>
            <label>
              Creator name{' '}
              <input
                value={creatorName}
                onChange={(e) => setCreatorName(e.target.value)}
                placeholder="shown in the watermark and the credentials"
              />
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={prov.invisibleWatermark}
                onChange={(e) => setProv({ ...prov, invisibleWatermark: e.target.checked })}
              />{' '}
              Invisible watermark (slower)
            </label>
            <label className="check">
              <input type="checkbox" checked={prov.sign} onChange={(e) => setProv({ ...prov, sign: e.target.checked })} /> Sign (C2PA
              content credentials)
            </label>
          </fieldset>
          <div className="dialog-actions">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="button" className="primary" disabled={'why' in chosen} onClick={() => void start()}>
              Export
            </button>
          </div>
        </>
      ) : (
        <div className="export-status" aria-live="polite">
          <p>
            <strong>
              {info.status === 'running'
                ? 'Exporting…'
                : info.status === 'done'
                  ? 'Export finished'
                  : info.status === 'cancelled'
                    ? 'Export cancelled'
                    : 'Export failed'}
            </strong>
          </p>
          <div
            className="bar big"
            role="progressbar"
            aria-label="Export progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(info.progress * 100)}
          >
            <div style={{ width: `${Math.round(info.progress * 100)}%` }} />
          </div>
          <p className="muted small">{info.status === 'running' ? `${info.stage ?? ''} ${formatEta(info.etaSeconds)}` : info.output}</p>
          {info.error ? (
            <p className="error">
              {info.error.message}
              {info.error.hint ? (
                <>
                  <br />
                  <span className="muted">{info.error.hint}</span>
                </>
              ) : null}
            </p>
          ) : null}
          {info.verification ? (
            <div className={`verification ${info.verification.ok ? 'ok' : 'bad'}`} aria-label="Verification result">
              <p>{info.verification.ok ? '✔ File checked: plays' : '✖ File has problems'}</p>
              <dl>
                <dt>File</dt>
                <dd className="path">{info.output}</dd>
                <dt>Picture</dt>
                <dd>
                  {info.verification.width}×{info.verification.height} {info.verification.videoCodec}
                </dd>
                <dt>Sound</dt>
                <dd>{info.verification.audioCodec ?? 'none'}</dd>
                {info.verification.loudness ? (
                  <>
                    <dt>Loudness</dt>
                    <dd data-testid="export-loudness" className={verdict ? (verdict.met ? 'ok' : 'bad') : undefined}>
                      {info.verification.loudness.integrated.toFixed(1)} LUFS measured
                      {info.verification.loudness.target !== undefined
                        ? `, target ${info.verification.loudness.target} LUFS: ${verdict!.met ? '✔' : '✖'} ${verdict!.text}`
                        : ' (as mixed, no target)'}
                      ; true peak {info.verification.loudness.truePeak.toFixed(1)} dBTP
                    </dd>
                  </>
                ) : null}
                <dt>Length</dt>
                <dd data-testid="export-length">
                  {info.verification.durationSeconds.toFixed(2)} s
                  {info.range
                    ? ` (${framesToTimecode(info.range.in, rate)} – ${framesToTimecode(info.range.out, rate)}, ${info.range.out - info.range.in} frames)`
                    : ''}
                </dd>
                <dt>Size</dt>
                <dd>{(info.verification.bytes / 1e6).toFixed(2)} MB</dd>
                {info.captions ? (
                  <>
                    <dt>Captions</dt>
                    <dd className="path" data-testid="export-captions" title={info.captions.join('\n')}>
                      {info.captions.map((f) => f.split(/[\\/]/).pop()).join(', ')} (next to the video)
                    </dd>
                  </>
                ) : null}
                {info.verification.provenance ? (
                  <>
                    <dt>Provenance</dt>
                    <dd>{info.verification.provenance}</dd>
                  </>
                ) : null}
              </dl>
              {info.verification.problems.map((p) => (
                <p key={p} className="error">
                  {p}
                </p>
              ))}
            </div>
          ) : null}
          <div className="dialog-actions">
            {info.status === 'running' ? (
              <button type="button" onClick={() => void editor.cancelExport(info.id)}>
                Cancel export
              </button>
            ) : (
              <>
                <button type="button" onClick={() => dispatch(exportUpdated(null))}>
                  Export again
                </button>
                <button type="button" className="primary" onClick={close}>
                  Done
                </button>
              </>
            )}
          </div>
        </div>
      )}
    </Dialog>
  );
}
