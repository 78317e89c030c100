/**
 * The safety decision log: every check (prompts, shots, dialogue, reference
 * images, frames before export, cameo consent) with what was checked, the rule
 * or model, score, outcome, policy version and time; the policy in force and
 * the imported opt-out lists. `klappe safety log --json` exports the same.
 */
import { useEffect, useState } from 'react';
import type { SafetyDecisionView, SafetyPolicyView } from '../../../engine/api/contract.js';
import { Dialog } from '../components/Dialog.js';
import { useEditor } from '../editor/context.js';
import { jobsSel } from '../store/selectors.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { openDialog } from '../store/ui-slice.js';

type Filter = 'all' | 'warn' | 'block';

export function SafetyLogDialog() {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  const [entries, setEntries] = useState<SafetyDecisionView[]>();
  const [policy, setPolicy] = useState<SafetyPolicyView>();
  const [filter, setFilter] = useState<Filter>('all');
  const [projectOnly, setProjectOnly] = useState(true);
  // a job that finishes (a blocked one too) may have written entries
  const jobsDone = useAppSelector((s) => jobsSel.selectAll(s).filter((j) => j.status !== 'queued' && j.status !== 'running').length);
  useEffect(() => {
    void editor.safetyPolicy().then(setPolicy);
  }, [editor]);
  useEffect(() => {
    void editor
      .safetyLog({ project: projectOnly, limit: 500, ...(filter !== 'all' ? { outcome: filter } : {}) })
      .then((e) => setEntries(e ?? []));
  }, [editor, filter, projectOnly, jobsDone]);
  return (
    <Dialog title="Safety log" onClose={() => dispatch(openDialog(null))} wide>
      <div className="safety-log">
        {policy ? (
          <p className="muted small">
            Policy <strong>{policy.name}</strong> ({policy.version}) · {policy.optouts.length} opt-out list
            {policy.optouts.length === 1 ? '' : 's'}
            {policy.optouts.length ? `: ${policy.optouts.map((o) => `${o.holder} (${o.entries})`).join(', ')}` : ''}
            {policy.optoutsRefused.length ? ` · ${policy.optoutsRefused.length} refused (signature)` : ''} · frames before export: faces
            against cameos; no local image model for {policy.framesUnchecked.join(', ')}
          </p>
        ) : null}
        <div className="safety-filters" role="group" aria-label="Filter">
          {(['all', 'warn', 'block'] as const).map((f) => (
            <button key={f} type="button" className="mini" aria-pressed={filter === f} onClick={() => setFilter(f)}>
              {f === 'all' ? 'All' : f === 'warn' ? 'Warnings' : 'Blocks'}
            </button>
          ))}
          <label className="small">
            <input type="checkbox" checked={projectOnly} onChange={(e) => setProjectOnly(e.target.checked)} /> This project only
          </label>
        </div>
        {entries === undefined ? (
          <p className="muted">Loading…</p>
        ) : entries.length === 0 ? (
          <p className="muted">No decisions yet: checks run when a shot is generated (and with klappe safety check-prompt).</p>
        ) : (
          <table className="safety-table" aria-label="Decisions">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Outcome</th>
                <th scope="col">Checked</th>
                <th scope="col">Rule / model</th>
                <th scope="col">Score</th>
                <th scope="col">Reason</th>
                <th scope="col">Policy</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} className={`decision ${e.outcome}`}>
                  <td className="small">{new Date(e.at).toLocaleTimeString()}</td>
                  <td>
                    <span className={`status ${e.outcome === 'block' ? 'failed' : e.outcome === 'warn' ? 'running' : 'done'}`}>
                      {e.outcome}
                    </span>
                  </td>
                  <td>
                    <div>{e.excerpt || e.subject}</div>
                    <div className="muted small" title={e.ref}>
                      {e.subject}
                      {e.ref ? ` · ${shortRef(e.ref)}` : ''}
                    </div>
                  </td>
                  <td className="small">
                    {e.rule ? <code>{e.rule}</code> : '—'}
                    <div className="muted">{e.checker}</div>
                  </td>
                  <td className="small">{e.score !== undefined ? e.score.toFixed(2) : ''}</td>
                  <td className="small">{e.reason}</td>
                  <td className="small muted">{e.policyVersion}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Dialog>
  );
}

/** "…/project.klappe#shot s1 prompt" → "shot s1 prompt". */
function shortRef(ref: string): string {
  const i = ref.indexOf('#');
  return i >= 0 ? ref.slice(i + 1) : ref.split('/').pop()!;
}
