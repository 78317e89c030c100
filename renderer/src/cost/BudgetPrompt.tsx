/** The question before a run over the project budget: what it would cost, what is spent, go over or not. */
import { useSyncExternalStore } from 'react';
import { formatEstimateTime, formatUsd } from '../../../engine/common/cost.js';
import { Dialog } from '../components/Dialog.js';
import { useEditor } from '../editor/context.js';

export function BudgetPrompt() {
  const q = useEditor().budgetQuestion;
  const est = useSyncExternalStore(q.subscribe, q.current);
  if (!est) return null;
  const money = (usd: number) => formatUsd(usd, { free: false });
  return (
    <Dialog title="Over the budget" onClose={() => q.answer(false)}>
      <p>
        This run would cost about <strong>{money(est.total.usd)}</strong> ({formatEstimateTime(est.total.seconds)}) for {est.shots.length}{' '}
        shot{est.shots.length === 1 ? '' : 's'}.
      </p>
      <p>
        The project has spent {money(est.spentUsd)} of its budget of {money(est.budgetUsd ?? 0)}: after this run it would be{' '}
        {money(est.spentUsd + est.total.usd)}.
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={() => q.answer(false)}>
          Don't generate
        </button>
        <button type="button" className="primary danger" onClick={() => q.answer(true)}>
          Generate anyway
        </button>
      </div>
    </Dialog>
  );
}
