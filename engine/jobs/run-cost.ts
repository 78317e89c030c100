/**
 * Before a run: each shot's time and cost on the backend it would run on and
 * on the alternatives (previz, Veo, ComfyUI, a local pack), from the learned
 * timings and the price table; the run's total against the project budget.
 * After a run: what a finished take really cost, and a project's spend.
 */
import type { CostEstimate, RunEstimate, SpendRow, SpendSummary, SpendTotal } from '../common/cost.js';
import { inputError } from '../common/errors.js';
import { framesToSeconds } from '../common/time.js';
import type { Backend, ShotRequest } from '../generate/backend.js';
import { veoParameters } from '../generate/cloud/veo.js';
import { backendModel, backendPrice, priceRun, priceTable, type PriceOverrides, type PriceTable } from '../generate/prices.js';
import { resolveBackend, routeShot, type LocalProbe } from '../generate/router.js';
import { buildShotRequest, cacheKey, type RequestOptions } from '../generate/shot-request.js';
import { allShots, findShot } from '../model/lookup.js';
import type { Project, Take, TakeCost } from '../model/schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { TimingStore } from './timings.js';

/** The backends every shot is compared on (besides the one it would run on). */
export const COMPARED_BACKENDS = ['previz', 'veo', 'comfyui', 'local'];
/**
 * No local pack runs in this build, so a local GPU's time is this documented
 * guess (seconds of generation per second of 720p output, a 14B video model
 * on a 24 GB card) until a pack measures its own.
 */
export const LOCAL_SECONDS_PER_OUTPUT_SECOND = 45;

export interface CostContext {
  timings: TimingStore;
  prices?: PriceOverrides;
  secrets?: SecretStore;
  local?: LocalProbe;
}

/** Seconds of video a backend makes (and bills) for the request: Veo makes 4, 6 or 8 s. */
export function outputSeconds(backendId: string, request: ShotRequest): number {
  return backendId === 'veo' ? veoParameters(request).durationSeconds : framesToSeconds(request.shot.duration, request.rate);
}

function pixelsOf(request: ShotRequest): number {
  return request.size.width * request.size.height;
}

/** One backend's estimate for one shot. */
export function estimateShotOn(
  backendId: string,
  request: ShotRequest,
  ctx: CostContext,
  table: PriceTable = priceTable(ctx.prices),
): CostEstimate {
  const route = routeShot({ backend: backendId }, { backendId, secrets: ctx.secrets, local: ctx.local });
  const isLocal = backendId === 'local' || backendId === 'onnx' || backendId.startsWith('local:');
  const available = isLocal ? !route.fallbackReason : route.backend.id === backendId;
  const backend: Backend | undefined = isLocal ? (available ? route.backend : undefined) : resolveBackend(backendId);
  const out = outputSeconds(backendId, request);
  const documented = backend
    ? backend.estimate(request).seconds
    : LOCAL_SECONDS_PER_OUTPUT_SECOND * out * (pixelsOf(request) / (1280 * 720));
  const learned = ctx.timings.estimate(backend?.id ?? 'local', pixelsOf(request), out, documented);
  const priced = priceRun(table, backendId, backend ? backendModel(backend) : undefined, {
    outputSeconds: out,
    wallSeconds: learned.seconds,
  });
  return {
    backend: backendId,
    label: priced.label,
    seconds: Math.round(learned.seconds * 10) / 10,
    usd: priced.usd,
    ...(priced.energyWh !== undefined ? { energyWh: priced.energyWh } : {}),
    confidence: learned.confidence,
    available,
    ...(available ? {} : { reason: route.fallbackReason ?? `${backendId} is not available` }),
  };
}

/** The estimates of generating `shotIds` (default: every shot), with the run's total for the chosen backends and the budget. */
export function estimateRun(
  doc: Project,
  shotIds: string[] | undefined,
  opts: RequestOptions & { backendId?: string },
  ctx: CostContext,
): RunEstimate {
  const table = priceTable(ctx.prices);
  const ids = shotIds?.length ? shotIds : allShots(doc).map((x) => x.shot.id);
  const shots: RunEstimate['shots'] = [];
  const total = { seconds: 0, usd: 0, energyWh: 0 };
  for (const shotId of ids) {
    const loc = findShot(doc, shotId);
    if (!loc) throw inputError('NOT_FOUND', `no shot with id "${shotId}"`, { path: 'shotIds' });
    const route = routeShot(loc.shot, { backendId: opts.backendId, secrets: ctx.secrets, local: ctx.local });
    const chosen = route.backend.id;
    const request = buildShotRequest(doc, shotId, opts);
    const wanted = [
      chosen,
      ...COMPARED_BACKENDS.filter((b) => b !== chosen && !((chosen === 'onnx' || chosen.startsWith('local:')) && b === 'local')),
    ];
    const options = wanted.map((b) => estimateShotOn(b, request, ctx, table));
    // a shot whose take for this exact request is in the project is not generated again: it costs nothing
    const key = cacheKey(route.backend, request);
    const cached = doc.takes.some((t) => t.shotId === shotId && t.cacheKey === key && t.status === 'ready');
    const mine = options[0]!;
    if (!cached) {
      total.seconds += mine.seconds;
      total.usd += mine.usd;
      total.energyWh += mine.energyWh ?? 0;
    }
    shots.push({ shotId, chosen, options, ...(cached ? { cached: true } : {}) });
  }
  const spentUsd = spent(doc);
  const planned = Math.round(total.usd * 1e6) / 1e6;
  return {
    shots,
    total: { ...total, usd: planned },
    spentUsd,
    ...(doc.budgetUsd !== undefined ? { budgetUsd: doc.budgetUsd } : {}),
    overBudget: doc.budgetUsd !== undefined && planned > 0 && spentUsd + planned > doc.budgetUsd + 1e-9,
  };
}

/** Refuses a run that would take the project over its budget, unless the user said to go over. */
export function checkBudget(estimate: RunEstimate, opts: { overBudget?: boolean; file?: string } = {}): void {
  if (!estimate.overBudget || opts.overBudget) return;
  const fmt = (usd: number) => `$${usd.toFixed(2)}`;
  throw inputError(
    'OVER_BUDGET',
    `this run would cost about ${fmt(estimate.total.usd)}; with ${fmt(estimate.spentUsd)} spent that exceeds the project budget of ${fmt(estimate.budgetUsd ?? 0)}`,
    {
      file: opts.file,
      path: 'budgetUsd',
      hint: 'Pick a cheaper backend (--backend previz), raise the budget, or run again with --over-budget.',
    },
  );
}

/**
 * What a finished generation cost: measured wall time; money from the billed
 * output (cloud), the hours (a rented server) or the energy (local). `busyMs`,
 * when the backend measured it (a local pack: the time the device ran the
 * model), is what energy is counted on; the wall time also holds the sound and
 * the encoding.
 */
export function takeCost(
  backend: Pick<Backend, 'id' | 'version'>,
  take: { duration: number; model?: string },
  rate: Project['sequence']['rate'],
  wallMs: number,
  prices?: PriceOverrides,
  busyMs?: number,
): TakeCost {
  const table = priceTable(prices);
  const kind = backendPrice(table, backend.id).kind;
  const priced = priceRun(table, backend.id, take.model || backendModel(backend), {
    outputSeconds: framesToSeconds(take.duration, rate),
    wallSeconds: (kind === 'energy' && busyMs !== undefined ? busyMs : wallMs) / 1000,
  });
  return {
    wallMs: Math.round(wallMs),
    usd: priced.usd,
    prices: table.version,
    ...(kind === 'per-output-second' && priced.billedSeconds !== undefined ? { billedSeconds: priced.billedSeconds } : {}),
    ...(priced.energyWh !== undefined ? { energyWh: priced.energyWh } : {}),
  };
}

/** Money spent on this project's takes so far. */
export function spent(doc: Project): number {
  return Math.round(doc.takes.reduce((s, t) => s + (t.cost?.usd ?? 0), 0) * 1e6) / 1e6;
}

/** Every take with a recorded cost, and the totals per shot, backend and day. */
export function spendSummary(doc: Project): SpendSummary {
  const shotNumber = new Map(allShots(doc).map((x) => [x.shot.id, `${x.scene.number}/${x.shot.number}`]));
  const rows: SpendRow[] = [];
  let unrecorded = 0;
  for (const t of doc.takes as Take[]) {
    if (!t.cost) {
      unrecorded++;
      continue;
    }
    rows.push({
      takeId: t.id,
      shotId: t.shotId,
      shotNumber: shotNumber.get(t.shotId) ?? t.shotId,
      takeNumber: t.number,
      backend: t.backend,
      model: t.model,
      seconds: t.cost.wallMs / 1000,
      usd: t.cost.usd,
      day: t.createdAt.slice(0, 10),
      ...(t.cost.billedSeconds !== undefined ? { billedSeconds: t.cost.billedSeconds } : {}),
      ...(t.cost.energyWh !== undefined ? { energyWh: t.cost.energyWh } : {}),
    });
  }
  const group = (key: (r: SpendRow) => string): SpendTotal[] => {
    const m = new Map<string, SpendTotal>();
    for (const r of rows) {
      const k = key(r);
      const g = m.get(k) ?? { key: k, takes: 0, seconds: 0, usd: 0 };
      g.takes++;
      g.seconds = Math.round((g.seconds + r.seconds) * 1000) / 1000;
      g.usd = Math.round((g.usd + r.usd) * 1e6) / 1e6;
      m.set(k, g);
    }
    return [...m.values()].sort((a, b) => a.key.localeCompare(b.key, undefined, { numeric: true }));
  };
  return {
    takes: rows,
    unrecorded,
    total: {
      takes: rows.length,
      seconds: Math.round(rows.reduce((s, r) => s + r.seconds, 0) * 1000) / 1000,
      usd: Math.round(rows.reduce((s, r) => s + r.usd, 0) * 1e6) / 1e6,
      energyWh: Math.round(rows.reduce((s, r) => s + (r.energyWh ?? 0), 0) * 1000) / 1000,
    },
    perShot: group((r) => r.shotNumber),
    perBackend: group((r) => r.backend),
    perDay: group((r) => r.day),
    ...(doc.budgetUsd !== undefined ? { budgetUsd: doc.budgetUsd } : {}),
  };
}
