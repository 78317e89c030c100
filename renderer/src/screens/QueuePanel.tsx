/** The generation queue: every job with progress bar, ETA, backend, cancel and retry. */
import { jobsSel } from '../store/selectors.js';
import { shotTitles } from '../store/shot-titles.js';
import { useAppSelector } from '../store/store.js';
import { useEditor } from '../editor/context.js';
import { formatUsd } from '../../../engine/common/cost.js';

export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s left`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s left`;
}

export function QueuePanel() {
  const editor = useEditor();
  const jobs = useAppSelector(jobsSel.selectAll);
  // each job's shot as it is now (numbers follow moves and renames); a deleted shot keeps its last title, marked
  const titles = useAppSelector(shotTitles);
  const active = jobs.filter((j) => j.status === 'queued' || j.status === 'running').length;
  return (
    <aside className="queue" aria-label="Generation queue">
      <header>
        <h2>Queue</h2>
        <span className="muted small" aria-live="polite">
          {active ? `${active} running or waiting` : jobs.length ? 'All done' : 'Empty'}
        </span>
        <button type="button" onClick={() => void editor.generate()}>
          ⚡ Generate all
        </button>
      </header>
      <ol className="jobs">
        {[...jobs].reverse().map((j) => {
          const live = titles.get(j.shotId);
          const title = live ?? j.shotTitle ?? `Shot ${j.shotNumber}`;
          const deleted = !live;
          const shot = title.split(' · ')[0]!;
          return (
            <li
              key={j.id}
              className={`job ${j.status}${deleted ? ' shot-deleted' : ''}`}
              aria-label={`${title}: ${deleted ? 'shot deleted, ' : ''}${j.status}`}
            >
              <div className="job-line">
                <strong className="job-title" title={title}>
                  {title}
                  {deleted ? <span className="muted"> (deleted)</span> : null}
                </strong>
                <span className="muted small" title={j.fallbackReason}>
                  {j.backend}
                  {j.server ? ` · ${j.server}` : ''}
                  {j.fallbackReason ? ' (fallback)' : ''}
                </span>
                <span className={`status ${j.status}`}>{j.error?.code === 'SAFETY_BLOCKED' ? 'blocked' : j.status}</span>
              </div>
              <div
                className="bar"
                role="progressbar"
                aria-label={`Progress of ${shot}`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(j.progress * 100)}
              >
                <div style={{ width: `${Math.round(j.progress * 100)}%` }} />
              </div>
              {j.fallbackReason ? <div className="job-line small muted job-fallback">{j.fallbackReason}</div> : null}
              {j.error?.code === 'SAFETY_BLOCKED' ? (
                <div className="job-safety small" role="note" aria-label={`${shot} blocked by the safety policy`}>
                  <div>{j.error.message}</div>
                  {j.error.hint ? (
                    <div>
                      <strong>How to proceed:</strong> {j.error.hint}
                    </div>
                  ) : null}
                </div>
              ) : null}
              <div className="job-line small">
                <span className="muted">
                  {j.status === 'running'
                    ? `${j.stage ?? ''} ${formatEta(j.etaSeconds)}`
                    : j.error
                      ? j.error.code === 'SAFETY_BLOCKED'
                        ? ''
                        : j.error.message
                      : j.cost
                        ? `took ${(j.cost.wallMs / 1000).toFixed(1)} s · ${formatUsd(j.cost.usd)}`
                        : ''}
                </span>
                {j.status === 'queued' || j.status === 'running' ? (
                  <button
                    type="button"
                    className="mini"
                    aria-label={`Cancel ${shot.toLowerCase()}`}
                    onClick={() => void editor.cancelJob(j.id)}
                  >
                    Cancel
                  </button>
                ) : (j.status === 'failed' || j.status === 'cancelled') && !deleted ? (
                  <button
                    type="button"
                    className="mini"
                    aria-label={`Retry ${shot.toLowerCase()}`}
                    onClick={() => void editor.retryJob(j.id)}
                  >
                    Retry
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
    </aside>
  );
}
