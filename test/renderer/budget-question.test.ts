/** The studio's question before a run over budget, and how estimates are written. */
import { describe, expect, it } from 'vitest';
import { formatConfidence, formatEstimate, formatEstimateTime, formatUsd, type RunEstimate } from '../../engine/common/cost.js';
import { BudgetQuestion } from '../../renderer/src/cost/budget-prompt.js';

const over: RunEstimate = { shots: [], total: { seconds: 120, usd: 3.2, energyWh: 0 }, spentUsd: 0.5, budgetUsd: 2, overBudget: true };

describe('budget question', () => {
  it("shows the run's estimate until answered; a second question answers the first with no", async () => {
    const q = new BudgetQuestion();
    let changes = 0;
    q.subscribe(() => changes++);
    const first = q.ask(over);
    expect(q.current()).toBe(over);
    const second = q.ask({ ...over, total: { ...over.total, usd: 5 } });
    await expect(first).resolves.toBe(false);
    q.answer(true);
    await expect(second).resolves.toBe(true);
    expect(q.current()).toBeNull();
    expect(changes).toBe(3);
  });

  it('writes estimates the way the cards show them', () => {
    expect(formatEstimateTime(4.2)).toBe('4 s');
    expect(formatEstimateTime(70)).toBe('1 min');
    expect(formatEstimateTime(3900)).toBe('1 h 5 min');
    expect(formatUsd(0)).toBe('free');
    expect(formatUsd(1.2)).toBe('$1.20');
    expect(formatUsd(0.004)).toBe('$0.004');
    const conf = { source: 'documented' as const, samples: 0 };
    expect(formatEstimate({ backend: 'previz', label: 'previz', seconds: 4, usd: 0, confidence: conf, available: true })).toBe(
      'previz 4 s · free',
    );
    expect(formatEstimate({ backend: 'veo', label: 'Veo 3.1 Fast', seconds: 62, usd: 0.96, confidence: conf, available: true })).toBe(
      'Veo 3.1 Fast 1 min · $0.96',
    );
    expect(
      formatEstimate({ backend: 'local', label: 'local', seconds: 180, usd: 0.006, energyWh: 17.5, confidence: conf, available: false }),
    ).toBe('local 3 min · 0.02 kWh · $0.006');
    expect(formatConfidence({ source: 'measured', samples: 12, spread: 0.3 })).toBe('measured, 12 takes, ±15%');
  });
});
