/**
 * Price tables: versioned data files (assets/prices/prices.vN.json), never
 * code. Each backend is priced one way: per second of output (cloud video,
 * Veo), per hour of a rented server (ComfyUI), by energy (a local GPU's power
 * draw at the user's electricity price), or free (previz, slate). The user's
 * overrides live in the studio settings (`prices`), applied over the table.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { PriceInfo, PriceLine, PriceOverrides } from '../common/cost.js';
import { inputError } from '../common/errors.js';
import { assetPath } from '../util/paths.js';

export const PRICE_TABLE_FILE = 'prices.v1.json';

const ModelPriceSchema = z.object({ label: z.string(), usdPerSecond: z.number().nonnegative() });
const BackendPriceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('per-output-second'),
    note: z.string().optional(),
    checked: z.string().optional(),
    source: z.string().optional(),
    sourceNote: z.string().optional(),
    models: z.record(z.string(), ModelPriceSchema),
    defaultModel: z.string(),
  }),
  z.object({ kind: z.literal('per-hour'), note: z.string().optional(), usdPerHour: z.number().nonnegative() }),
  z.object({
    kind: z.literal('energy'),
    note: z.string().optional(),
    watts: z.number().nonnegative(),
    usdPerKwh: z.number().nonnegative(),
  }),
  z.object({ kind: z.literal('free'), note: z.string().optional() }),
]);
export const PriceTableSchema = z.object({
  version: z.string(),
  currency: z.literal('USD'),
  backends: z.record(z.string(), BackendPriceSchema),
});
export type PriceTable = z.infer<typeof PriceTableSchema>;
export type BackendPrice = z.infer<typeof BackendPriceSchema>;

export { PriceOverridesSchema, type PriceOverrides } from '../common/cost.js';

let shipped: PriceTable | undefined;

/** The price table shipped with Klappe. */
export function shippedPriceTable(file = assetPath('prices', PRICE_TABLE_FILE)): PriceTable {
  if (shipped && file === assetPath('prices', PRICE_TABLE_FILE)) return shipped;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw inputError('PRICES_UNREADABLE', `${file}: ${(e as Error).message}`, {
      file,
      hint: 'Reinstall Klappe: its price table is missing or damaged.',
    });
  }
  const parsed = PriceTableSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw inputError('PRICES_INVALID', `${file}: ${issue.path.join('.')}: ${issue.message}`, { file, path: issue.path.join('.') });
  }
  if (file === assetPath('prices', PRICE_TABLE_FILE)) shipped = parsed.data;
  return parsed.data;
}

/** The table with the user's overrides applied; its version says it was edited ("prices.v1+user"). */
export function priceTable(overrides: PriceOverrides = {}): PriceTable {
  const base = shippedPriceTable();
  const backends: Record<string, BackendPrice> = {};
  let edited = false;
  for (const [id, p] of Object.entries(base.backends)) {
    if (p.kind === 'per-output-second' && id === 'veo' && overrides.veoUsdPerSecond) {
      const models = { ...p.models };
      for (const [m, usd] of Object.entries(overrides.veoUsdPerSecond)) {
        // one price per label: the preview and the released model of a tier cost the same
        const label = models[m]?.label ?? m;
        for (const [other, p2] of Object.entries(models)) if (p2.label === label) models[other] = { ...p2, usdPerSecond: usd };
        models[m] = { label, usdPerSecond: usd };
        edited = true;
      }
      backends[id] = { ...p, models };
    } else if (p.kind === 'per-hour' && id === 'comfyui' && overrides.comfyuiUsdPerHour !== undefined) {
      backends[id] = { ...p, usdPerHour: overrides.comfyuiUsdPerHour };
      edited = true;
    } else if (p.kind === 'energy' && id === 'local' && (overrides.localWatts !== undefined || overrides.localUsdPerKwh !== undefined)) {
      backends[id] = { ...p, watts: overrides.localWatts ?? p.watts, usdPerKwh: overrides.localUsdPerKwh ?? p.usdPerKwh };
      edited = true;
    } else backends[id] = p;
  }
  return { ...base, version: edited ? `${base.version}+user` : base.version, backends };
}

/** The table's entry for a backend id (local packs are priced as `local`); unknown backends are free. */
export function backendPrice(table: PriceTable, backendId: string): BackendPrice {
  const id = backendId === 'onnx' || backendId.startsWith('local:') ? 'local' : backendId;
  return table.backends[id] ?? { kind: 'free' };
}

export interface Priced {
  usd: number;
  billedSeconds?: number;
  energyWh?: number;
  label: string;
}

/** What a run costs: `outputSeconds` of video (billed ones rounded up to whole seconds) made in `wallSeconds`. */
export function priceRun(
  table: PriceTable,
  backendId: string,
  model: string | undefined,
  run: { outputSeconds: number; wallSeconds: number },
): Priced {
  const p = backendPrice(table, backendId);
  switch (p.kind) {
    case 'per-output-second': {
      const m = p.models[model ?? p.defaultModel] ?? p.models[p.defaultModel];
      const billedSeconds = Math.ceil(run.outputSeconds - 1e-9);
      return { usd: roundUsd(billedSeconds * (m?.usdPerSecond ?? 0)), billedSeconds, label: m?.label ?? backendId };
    }
    case 'per-hour':
      return { usd: roundUsd((run.wallSeconds / 3600) * p.usdPerHour), label: backendId };
    case 'energy': {
      const energyWh = (p.watts * run.wallSeconds) / 3600;
      return { usd: roundUsd((energyWh / 1000) * p.usdPerKwh), energyWh: Math.round(energyWh * 1000) / 1000, label: backendId };
    }
    default:
      return { usd: 0, label: backendId };
  }
}

/** Money to a millionth of a dollar (no float noise in files). */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

/** The model a backend runs (Veo's version is `model@n`). */
export function backendModel(backend: { id: string; version: string }): string | undefined {
  return backend.id === 'veo' ? backend.version.split('@')[0] : undefined;
}

/** The table in use as Settings shows it: every editable price with the shipped value next to it. */
export function priceInfo(overrides: PriceOverrides = {}): PriceInfo {
  const base = shippedPriceTable();
  const mine = priceTable(overrides);
  const lines: PriceLine[] = [];
  let veoMeta: Pick<PriceInfo, 'checked' | 'source' | 'sourceNote'> = {};
  const veo = base.backends.veo;
  const myVeo = mine.backends.veo;
  if (veo?.kind === 'per-output-second' && myVeo?.kind === 'per-output-second') {
    veoMeta = { checked: veo.checked, source: veo.source, sourceNote: veo.sourceNote };
    const seen = new Set<string>();
    for (const [model, p] of Object.entries(veo.models)) {
      if (seen.has(p.label)) continue; // one line per price (the preview and the released model cost the same)
      seen.add(p.label);
      lines.push({
        field: `veoUsdPerSecond.${model}`,
        label: `${p.label} (${model})`,
        unit: '$ per second',
        value: myVeo.models[model]?.usdPerSecond ?? p.usdPerSecond,
        shipped: p.usdPerSecond,
      });
    }
  }
  const comfy = base.backends.comfyui;
  const myComfy = mine.backends.comfyui;
  if (comfy?.kind === 'per-hour' && myComfy?.kind === 'per-hour')
    lines.push({
      field: 'comfyuiUsdPerHour',
      label: 'ComfyUI server',
      unit: '$ per hour',
      value: myComfy.usdPerHour,
      shipped: comfy.usdPerHour,
    });
  const local = base.backends.local;
  const myLocal = mine.backends.local;
  if (local?.kind === 'energy' && myLocal?.kind === 'energy') {
    lines.push({ field: 'localWatts', label: 'Local GPU power draw', unit: 'W', value: myLocal.watts, shipped: local.watts });
    lines.push({ field: 'localUsdPerKwh', label: 'Electricity', unit: '$ per kWh', value: myLocal.usdPerKwh, shipped: local.usdPerKwh });
  }
  return { version: mine.version, ...veoMeta, lines };
}
