/**
 * The project's spend: the budget (set, change, remove), what each take cost
 * (backend, seconds, money) and the totals per shot, backend and day.
 * A button in the top bar opens it.
 */
import { useEffect, useState } from 'react';
import { formatEstimateTime, formatUsd, type SpendSummary, type SpendTotal } from '../../../engine/common/cost.js';
import { Dialog } from '../components/Dialog.js';
import { useEditor } from '../editor/context.js';
import { useAppSelector } from '../store/store.js';

const money = (usd: number) => formatUsd(usd, { free: false });

function Totals(p: { title: string; rows: SpendTotal[] }) {
  return (
    <div className="cost-totals">
      <h3>{p.title}</h3>
      <ul>
        {p.rows.map((r) => (
          <li key={r.key}>
            <span>{r.key}</span>{' '}
            <span className="muted">
              {r.takes} take{r.takes === 1 ? '' : 's'} · {formatEstimateTime(r.seconds)}
            </span>{' '}
            <strong>{money(r.usd)}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CostPanel(p: { onClose(): void }) {
  const editor = useEditor();
  const version = useAppSelector((s) => s.doc.version);
  const budgetUsd = useAppSelector((s) => s.doc.raw?.doc.budgetUsd);
  const [summary, setSummary] = useState<SpendSummary>();
  const [budget, setBudget] = useState(budgetUsd !== undefined ? String(budgetUsd) : '');
  useEffect(() => {
    void editor.costSummary().then((s) => s && setSummary(s));
  }, [version]);
  const saveBudget = (value: number | null) =>
    void editor.apply({ type: 'project.update', patch: { budgetUsd: value } }, value === null ? 'Remove budget' : 'Set budget');
  return (
    <Dialog title="Cost" onClose={p.onClose} wide>
      <form
        className="budget-row"
        onSubmit={(e) => {
          e.preventDefault();
          const v = Number(budget);
          if (budget.trim() && Number.isFinite(v) && v >= 0) saveBudget(v);
        }}
      >
        <div className="field">
          <label htmlFor="project-budget">Project budget ($)</label>
          <input
            id="project-budget"
            type="number"
            min={0}
            step="0.01"
            value={budget}
            placeholder="no limit"
            onChange={(e) => setBudget(e.target.value)}
          />
        </div>
        <button type="submit">Set budget</button>
        {budgetUsd !== undefined ? (
          <button
            type="button"
            onClick={() => {
              setBudget('');
              saveBudget(null);
            }}
          >
            Remove budget
          </button>
        ) : null}
      </form>
      {summary ? (
        <>
          <p aria-label="Spent">
            Spent <strong>{money(summary.total.usd)}</strong> on {summary.total.takes} take{summary.total.takes === 1 ? '' : 's'} (
            {formatEstimateTime(summary.total.seconds)} of generation)
            {summary.budgetUsd !== undefined ? (
              <>
                {' '}
                of a budget of {money(summary.budgetUsd)}:{' '}
                {summary.total.usd > summary.budgetUsd ? (
                  <strong className="over">{money(summary.total.usd - summary.budgetUsd)} over</strong>
                ) : (
                  <>
                    <strong>{money(summary.budgetUsd - summary.total.usd)}</strong> left
                  </>
                )}
              </>
            ) : null}
            {summary.unrecorded ? (
              <span className="muted">
                {' '}
                · {summary.unrecorded} older or cached take{summary.unrecorded === 1 ? '' : 's'} without a recorded cost
              </span>
            ) : null}
          </p>
          <table className="cost-table" aria-label="Takes and their cost">
            <thead>
              <tr>
                <th>Shot</th>
                <th>Take</th>
                <th>Backend</th>
                <th>Seconds</th>
                <th>Billed</th>
                <th>Cost</th>
                <th>Day</th>
              </tr>
            </thead>
            <tbody>
              {summary.takes.map((r) => (
                <tr key={r.takeId}>
                  <td>{r.shotNumber}</td>
                  <td>{r.takeNumber}</td>
                  <td>{r.backend}</td>
                  <td>{r.seconds.toFixed(1)}</td>
                  <td>{r.billedSeconds !== undefined ? `${r.billedSeconds} s` : '–'}</td>
                  <td>{money(r.usd)}</td>
                  <td>{r.day}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="cost-groups">
            <Totals title="Per shot" rows={summary.perShot} />
            <Totals title="Per backend" rows={summary.perBackend} />
            <Totals title="Per day" rows={summary.perDay} />
          </div>
        </>
      ) : (
        <p className="muted">Loading…</p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={p.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

/** The top bar's "$ Cost" button and its panel. */
export function CostButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" aria-label="Cost" onClick={() => setOpen(true)} title="Spend and budget">
        $ Cost
      </button>
      {open ? <CostPanel onClose={() => setOpen(false)} /> : null}
    </>
  );
}
