/**
 * The question a run over the project budget asks first: the editor asks
 * (`ask` resolves with the user's answer), the BudgetPrompt dialog shows it.
 */
import type { RunEstimate } from '../../../engine/common/cost.js';

type Listener = () => void;

export class BudgetQuestion {
  private pending: { estimate: RunEstimate; answer: (go: boolean) => void } | null = null;
  private readonly listeners = new Set<Listener>();

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  current = (): RunEstimate | null => this.pending?.estimate ?? null;

  /** Shows the question; true when the user chose to go over the budget. */
  ask(estimate: RunEstimate): Promise<boolean> {
    this.pending?.answer(false);
    return new Promise((resolve) => {
      this.pending = { estimate, answer: resolve };
      this.emit();
    });
  }

  answer(go: boolean): void {
    const p = this.pending;
    this.pending = null;
    p?.answer(go);
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
