/**
 * Time and money of generation, as the studio and the CLI show them: the
 * estimate of one backend for a shot (learned or documented), a project's
 * spend, and how they are written ("previz 4 s · free | Veo 3.1 1 min · $3.20").
 * Pure: the renderer loads this at run time.
 */
import { z } from 'zod';

/** The user's prices (Settings → Prices, saved in settings.json): Veo per second by model, the ComfyUI server per hour, the local GPU's watts and the kWh price. */
export const PriceOverridesSchema = z
  .object({
    veoUsdPerSecond: z.record(z.string().max(100), z.number().nonnegative().max(1000)).optional(),
    comfyuiUsdPerHour: z.number().nonnegative().max(10_000).optional(),
    localWatts: z.number().nonnegative().max(100_000).optional(),
    localUsdPerKwh: z.number().nonnegative().max(100).optional(),
  })
  .strict();
export type PriceOverrides = z.infer<typeof PriceOverridesSchema>;

/** One line of the price table as Settings shows it. */
export interface PriceLine {
  /** Which override field edits it ("veoUsdPerSecond.veo-3.1-generate-preview", "comfyuiUsdPerHour", …). */
  field: string;
  label: string;
  unit: string;
  value: number;
  /** The shipped table's value. */
  shipped: number;
}

/** The price table in use: its version, where the cloud prices come from and when they were checked, the editable lines. */
export interface PriceInfo {
  version: string;
  checked?: string;
  source?: string;
  sourceNote?: string;
  lines: PriceLine[];
}

/** How sure an estimate is: `measured` from this machine's takes (with their spread), else the backend's documented constants. */
export interface EstimateConfidence {
  source: 'measured' | 'documented';
  /** Finished jobs of this backend and size the estimate learned from. */
  samples: number;
  /** Relative spread of the measured seconds per output second (interquartile range / median); absent when documented. */
  spread?: number;
}

/** One backend's estimate for a shot (or a set of shots: the sums). */
export interface CostEstimate {
  backend: string;
  /** What the price table calls it ("Veo 3.1 Fast"). */
  label: string;
  seconds: number;
  usd: number;
  /** Energy a local GPU would draw, watt-hours. */
  energyWh?: number;
  confidence: EstimateConfidence;
  /** Whether this backend can run here now (a key, a server, a model pack). */
  available: boolean;
  /** Why not, when it cannot. */
  reason?: string;
}

/** The estimates of a run: per shot, per backend; the chosen backend's total; the budget. */
export interface RunEstimate {
  /** `cached`: the project holds this exact take already; the run reuses it (not counted in the total). */
  shots: Array<{ shotId: string; chosen: string; options: CostEstimate[]; cached?: boolean }>;
  /** Sum over the shots for the backend each would run on. */
  total: { seconds: number; usd: number; energyWh: number };
  /** Spent so far on this project's takes. */
  spentUsd: number;
  budgetUsd?: number;
  /** spent + this run's total exceeds the budget. */
  overBudget: boolean;
}

export interface SpendRow {
  takeId: string;
  shotId: string;
  shotNumber: string;
  takeNumber: number;
  backend: string;
  model: string;
  /** Measured wall time, seconds. */
  seconds: number;
  usd: number;
  billedSeconds?: number;
  energyWh?: number;
  /** YYYY-MM-DD (UTC) the take was made. */
  day: string;
}

export interface SpendTotal {
  key: string;
  takes: number;
  seconds: number;
  usd: number;
}

/** What a project spent: every take with a recorded cost, totals per shot, backend and day. */
export interface SpendSummary {
  takes: SpendRow[];
  /** Takes made before costs were recorded (or reused from the cache). */
  unrecorded: number;
  total: { takes: number; seconds: number; usd: number; energyWh: number };
  perShot: SpendTotal[];
  perBackend: SpendTotal[];
  perDay: SpendTotal[];
  budgetUsd?: number;
}

/** "4 s", "1 min", "1 h 5 min". */
export function formatEstimateTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

/** "$1.20", "$0.004" for small amounts, "free" for nothing. */
export function formatUsd(usd: number, opts: { free?: boolean } = {}): string {
  if (usd <= 0) return opts.free === false ? '$0.00' : 'free';
  if (usd < 0.01) return `$${usd.toPrecision(1)}`;
  return `$${usd.toFixed(2)}`;
}

/** "0.02 kWh". */
export function formatEnergy(wh: number): string {
  return wh >= 1000 ? `${(wh / 1000).toFixed(1)} kWh` : `${(wh / 1000).toFixed(wh < 10 ? 3 : 2)} kWh`;
}

/** "previz 4 s · free", "Veo 3.1 Fast 1 min · $0.96", "local 3 min · 0.02 kWh · $0.01". */
export function formatEstimate(e: CostEstimate): string {
  const money = e.energyWh !== undefined ? `${formatEnergy(e.energyWh)}${e.usd > 0 ? ` · ${formatUsd(e.usd)}` : ''}` : formatUsd(e.usd);
  return `${e.label} ${formatEstimateTime(e.seconds)} · ${money}`;
}

/** "measured, 12 takes, ±15%" or "documented". */
export function formatConfidence(c: EstimateConfidence): string {
  if (c.source === 'documented') return c.samples ? `documented (${c.samples} of 3 takes measured)` : 'documented';
  return `measured, ${c.samples} take${c.samples === 1 ? '' : 's'}${c.spread !== undefined ? `, ±${Math.round(c.spread * 50)}%` : ''}`;
}
