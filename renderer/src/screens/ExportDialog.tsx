/** Export: preset (9:16 / 16:9, 720p / 1080p), progress with ETA and cancel, then the check of the finished file. */
import { useEffect, useState } from 'react';
import { EXPORT_PRESETS, LOUDNESS_PRESETS, type ExportPresetId, type LoudnessPresetId } from '../../../engine/api/contract.js';
import { Dialog } from '../components/Dialog.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { exportUpdated } from '../store/jobs-slice.js';
import { openDialog } from '../store/ui-slice.js';
import { useEditor } from '../editor/context.js';
import { formatEta } from './QueuePanel.js';

const LOUDNESS_LABELS: Record<LoudnessPresetId, string> = {
  streaming: 'Streaming (−14 LUFS)',
  podcast: 'Podcast (−16 LUFS)',
  broadcast: 'Broadcast (−23 LUFS)',
};

export function ExportDialog() {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  const info = useAppSelector((s) => s.jobs.export);
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
    });
  };
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
            <button type="button" className="primary" onClick={() => void start()}>
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
                    <dd data-testid="export-loudness">
                      {info.verification.loudness.integrated.toFixed(1)} LUFS, {info.verification.loudness.truePeak.toFixed(1)} dBTP
                    </dd>
                  </>
                ) : null}
                <dt>Length</dt>
                <dd>{info.verification.durationSeconds.toFixed(2)} s</dd>
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
