/**
 * Time and cost before a run: on a shot card the chosen backend's estimate
 * (the alternatives in its tooltip); in the inspector every backend side by
 * side, the one the shot runs on first, with a picker; next to "Generate all"
 * the run's total against the budget. After a run: a take's real cost.
 */
import type { CommandInput } from '../../../engine/api/contract.js';
import { formatConfidence, formatEstimate, formatEstimateTime, formatUsd, type CostEstimate } from '../../../engine/common/cost.js';
import type { Take } from '../../../engine/model/schema.js';
import { useEditor } from '../editor/context.js';
import { shotsSel } from '../store/selectors.js';
import { useAppSelector } from '../store/store.js';
import { useRunEstimate } from './use-estimate.js';

function optionTitle(o: CostEstimate): string {
  return `${formatEstimate(o)} — ${o.available ? formatConfidence(o.confidence) : (o.reason ?? 'not available')}`;
}

/** The shot card's line: "previz 4 s · free". */
export function ShotCostBadge(p: { shotId: string }) {
  const est = useRunEstimate()?.shots.find((s) => s.shotId === p.shotId);
  if (!est) return null;
  const [mine, ...others] = est.options;
  return (
    <span
      className="cost-badge small"
      aria-label={`Estimate for this shot: ${formatEstimate(mine!)}`}
      title={[optionTitle(mine!), ...others.map(optionTitle)].join('\n')}
    >
      {formatEstimate(mine!)}
    </span>
  );
}

type ShotPatch = Extract<CommandInput, { type: 'shot.update' }>['patch'];

/** The inspector's section: every backend for the shot, the chosen one first, and the backend picker. */
export function ShotCostOptions(p: { shotId: string }) {
  const editor = useEditor();
  const shot = useAppSelector((s) => shotsSel.selectById(s, p.shotId));
  const est = useRunEstimate()?.shots.find((s) => s.shotId === p.shotId);
  if (!shot) return null;
  const choose = (backend: string) => {
    // '' is "automatic": the router decides
    const patch: ShotPatch = { backend };
    void editor.apply({ type: 'shot.update', shotId: p.shotId, patch }, 'Choose backend');
  };
  return (
    <fieldset className="cost-options">
      <legend>Time and cost</legend>
      <div className="field">
        <label htmlFor={`backend-${p.shotId}`}>Backend</label>
        <select id={`backend-${p.shotId}`} value={shot.backend ?? ''} onChange={(e) => choose(e.target.value)}>
          <option value="">Automatic</option>
          {['previz', 'slate', 'veo', 'comfyui', 'onnx'].map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </div>
      {est ? (
        <ul className="cost-list" aria-label="Estimates by backend">
          {est.options.map((o, i) => (
            <li key={o.backend} className={`${i === 0 ? 'chosen' : ''} ${o.available ? '' : 'unavailable'}`} title={optionTitle(o)}>
              <span>{formatEstimate(o)}</span>
              <small className="muted">
                {i === 0 ? 'runs on · ' : ''}
                {o.available ? formatConfidence(o.confidence) : 'not set up'}
              </small>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">Estimating…</p>
      )}
    </fieldset>
  );
}

/** "≈ 31 s · $3.20" for "Generate all", with the budget. */
export function RunCostBadge() {
  const est = useRunEstimate();
  if (!est) return null;
  const left = est.budgetUsd !== undefined ? est.budgetUsd - est.spentUsd : undefined;
  const text = `≈ ${formatEstimateTime(est.total.seconds)} · ${formatUsd(est.total.usd)}`;
  return (
    <span
      className={`run-cost small ${est.overBudget ? 'over' : ''}`}
      aria-label={`Generate all: ${text}${est.overBudget ? ', over budget' : ''}`}
      title={`All shots on their backends: ${text}${left !== undefined ? `; ${formatUsd(Math.max(0, left), { free: false })} of the budget left` : ''}`}
    >
      {text}
      {est.overBudget ? ' · over budget' : ''}
    </span>
  );
}

/** A take's real time and cost: "5.2 s · free", "1 min · $3.20 (8 s billed)". */
export function TakeCostLabel(p: { take: Take }) {
  const c = p.take.cost;
  if (!c) return null;
  const text = `${c.wallMs < 60_000 ? `${(c.wallMs / 1000).toFixed(1)} s` : formatEstimateTime(c.wallMs / 1000)} · ${formatUsd(c.usd)}${c.billedSeconds !== undefined ? ` (${c.billedSeconds} s billed)` : ''}`;
  return (
    <small className="take-cost muted" aria-label={`Take ${p.take.number} cost: ${text}`}>
      {text}
    </small>
  );
}
