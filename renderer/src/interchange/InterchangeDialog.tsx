/**
 * Script & interchange: import a Fountain screenplay (with its proposed shot breakdown); export the cut for another editor
 * (OpenTimelineIO, FCPXML, Final Cut Pro 7 XML, EDL) or import one.
 */
import { useRef, useState } from 'react';
import type { MethodResults } from '../../../engine/api/contract.js';
import { TIMELINE_FORMATS, type TimelineFormatId } from '../../../engine/common/timeline-formats.js';
import { Dialog } from '../components/Dialog.js';
import { useEditor } from '../editor/context.js';
import { useAppDispatch } from '../store/store.js';
import { openDialog } from '../store/ui-slice.js';

type Report = MethodResults['script.import']['report'];
type TimelineReport = MethodResults['timeline.import']['report'];

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function InterchangeDialog() {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  const picker = useRef<HTMLInputElement>(null);
  const timelinePicker = useRef<HTMLInputElement>(null);
  const [timelineReport, setTimelineReport] = useState<TimelineReport>();
  const [breakdown, setBreakdown] = useState(true);
  const [report, setReport] = useState<Report>();
  /** A screenplay read but not applied yet: its proposed breakdown, to accept or edit. */
  const [pending, setPending] = useState<{ file: File; report: Report }>();
  const [skip, setSkip] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState('');

  const previewScript = async (file: File) => {
    setMessage(`reading ${file.name}…`);
    setReport(undefined);
    const r = await editor.importScript(file, breakdown, { preview: true });
    setSkip(new Set());
    setPending(r ? { file, report: r.report } : undefined);
    setMessage(r ? `${file.name}: check the proposed shots, then import` : `${file.name} could not be read`);
  };
  const importScript = async () => {
    if (!pending) return;
    setMessage(`importing ${pending.file.name}…`);
    const r = await editor.importScript(pending.file, breakdown, { skip: [...skip] });
    setReport(r?.report);
    if (r) setPending(undefined);
    setMessage(r ? `imported ${pending.file.name}` : `${pending.file.name} was not imported`);
  };
  const toggle = (key: string) =>
    setSkip((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const exportTimeline = async (format: TimelineFormatId) => {
    const r = await editor.exportTimeline(format);
    if (!r) return;
    download(r.fileName, r.text);
    setMessage(`exported ${r.fileName}`);
  };
  const importTimeline = async (file: File) => {
    setMessage(`importing ${file.name}…`);
    const r = await editor.importTimeline(file);
    setTimelineReport(r?.report);
    setMessage(r ? `imported ${file.name}` : `${file.name} was not imported`);
  };

  return (
    <Dialog title="Script & interchange" onClose={() => dispatch(openDialog(null))}>
      <section aria-label="Screenplay">
        <h3>Screenplay (Fountain)</h3>
        <label>
          <input type="checkbox" checked={breakdown} onChange={(e) => setBreakdown(e.target.checked)} /> Accept the proposed shot breakdown
          (wide, singles on speakers, inserts on named props)
        </label>
        <div>
          <button type="button" onClick={() => picker.current?.click()}>
            Import screenplay…
          </button>
          <input
            ref={picker}
            type="file"
            hidden
            accept=".fountain,.spmd,.txt"
            aria-label="Screenplay to import"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void previewScript(f);
            }}
          />
        </div>
        {pending ? (
          <div aria-label="Proposed shot breakdown">
            <p>
              {pending.report.scenesAdded} new scene(s), {pending.report.scenesUpdated} updated, {pending.report.linesAdded} new line(s).
              Untick a proposed shot to leave it out (its lines go to the wide).
            </p>
            <ul>
              {pending.report.breakdown.map((b, i) => (
                <li key={i}>
                  <b>{b.scene}</b>:{' '}
                  {b.shots.map((s) => (
                    <label key={s.name} className="inline-check">
                      <input
                        type="checkbox"
                        checked={s.kind === 'wide' || !skip.has(`${i}/${s.name}`)}
                        disabled={s.kind === 'wide'}
                        onChange={() => toggle(`${i}/${s.name}`)}
                        aria-label={`${b.scene}: ${s.name}`}
                      />{' '}
                      {s.name}
                    </label>
                  ))}
                </li>
              ))}
            </ul>
            <button type="button" className="primary" onClick={() => void importScript()}>
              Import {pending.file.name}
            </button>{' '}
            <button type="button" onClick={() => setPending(undefined)}>
              Cancel
            </button>
          </div>
        ) : null}
        {report ? (
          <div role="status" aria-label="Import report">
            <p>
              {report.scenesAdded} scene(s) added, {report.scenesUpdated} updated · {report.shotsAdded} shot(s) · {report.linesAdded}{' '}
              line(s) added, {report.linesUpdated} updated
              {report.charactersAdded.length ? ` · new characters: ${report.charactersAdded.join(', ')}` : ''}
            </p>
            <ul aria-label="Shot breakdown">
              {report.breakdown.map((b, i) => (
                <li key={i}>
                  <b>{b.scene}</b>:{' '}
                  {b.shots
                    .filter((s) => !s.skipped)
                    .map((s) => s.name)
                    .join(' · ')}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
      <section aria-label="Timeline">
        <h3>Timeline for another editor</h3>
        <div className="button-row">
          {TIMELINE_FORMATS.map((f) => (
            <button key={f.id} type="button" onClick={() => void exportTimeline(f.id)}>
              Export {f.label}
            </button>
          ))}
        </div>
        <div>
          <button type="button" onClick={() => timelinePicker.current?.click()}>
            Import a timeline…
          </button>
          <input
            ref={timelinePicker}
            type="file"
            hidden
            accept={TIMELINE_FORMATS.map((f) => f.ext).join(',')}
            aria-label="Timeline to import"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void importTimeline(f);
            }}
          />
        </div>
        {timelineReport ? (
          <div role="status" aria-label="Timeline import report">
            <p>
              {timelineReport.clips} clip(s) on {timelineReport.tracks} track(s)
              {timelineReport.missing ? ` · ${timelineReport.missing} with missing media` : ''}
            </p>
            {timelineReport.approximated.length ? (
              <ul aria-label="Approximated">
                {timelineReport.approximated.slice(0, 12).map((a, i) => (
                  <li key={i}>
                    {a.path}: {a.what}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </section>
      {message ? (
        <p className="muted" aria-live="polite">
          {message}
        </p>
      ) : null}
    </Dialog>
  );
}
