/**
 * The render farm: a pool of ComfyUI servers behind the one `comfyui` backend.
 *
 * - Slots: each server runs at most `slots` prompts of this process at once;
 *   the job queue runs as many comfyui jobs as the servers that are not down
 *   have slots (`Backend.slots`).
 * - Dispatch: a job takes a free slot on the best server: one that has the
 *   workflow's model files (from `/models/{folder}`), then the least busy,
 *   then the most free VRAM. The resume state names the server and the prompt,
 *   so a restarted job polls the server that holds its prompt, never queueing
 *   it again. The cache key does not name the server.
 * - Health: every server is probed (`/system_stats`, `/queue`); two failed
 *   probes in a row mark it down, which stops its running jobs' polling; each
 *   is resubmitted once to another server, with the reason noted on the take.
 *   A down server rejoins when it answers again.
 * - Node errors: a server that rejects the workflow is taken out for that
 *   workflow (the errors stay visible in the farm view) and the job moves on.
 *
 * Addresses are never shown: the UI and messages use labels and `displayUrl`.
 */
import { basename } from 'node:path';
import { isKlappeError, KlappeError } from '../../common/errors.js';
import { redactSecrets } from '../../secrets/secret-store.js';
import type { Backend, GenerateContext, GeneratedMedia, ShotRequest } from '../backend.js';
import { createComfyBackend, type ComfyOptions } from './comfyui.js';
import { defaultWorkflowPath, loadWorkflow } from './comfyui-workflow.js';
import { displayUrl, FarmConfig, type FarmServer } from './farm-config.js';
import { MODEL_FOLDERS, probeServer, workflowModels, type ServerReport } from './farm-health.js';
import { sleep } from './http.js';

export type ServerState = 'unknown' | 'up' | 'down';

/** One server as the farm view shows it (no address beyond `displayUrl`). */
export interface FarmServerView {
  id: string;
  label: string;
  address: string;
  source: 'settings' | 'env';
  state: ServerState;
  slots: number;
  inUse: number;
  /** Shots running there now. */
  current: Array<{ shotId: string; shotNumber: string; since: number }>;
  gpu?: string;
  vramTotal?: number;
  vramFree?: number;
  queue?: number;
  done: number;
  failed: number;
  /** Shots finished per minute over the last ten minutes. */
  perMinute: number;
  lastError?: string;
  checkedAt?: number;
  /** Workflows this server is out for, with the node errors it returned. */
  excluded: Array<{ workflow: string; errors: string }>;
}

export interface FarmView {
  servers: FarmServerView[];
  totalSlots: number;
  freeSlots: number;
  perMinute: number;
}

interface Live {
  cfg: FarmServer;
  state: ServerState;
  report?: ServerReport;
  lastError?: string;
  checkedAt?: number;
  failures: number;
  running: Map<symbol, { shotId: string; shotNumber: string; since: number }>;
  finished: number[];
  failed: number;
  excluded: Map<string, string>;
  down: AbortController;
}

/** What a farm job keeps to resume: the server holding its prompt, and why it moved, if it did. */
export interface FarmResume {
  serverId?: string;
  serverLabel?: string;
  promptId?: string;
  clientId?: string;
  failover?: string;
}

export interface PoolOptions {
  config?: FarmConfig;
  /** Servers given directly (tests, bench); else the settings and KLAPPE_COMFYUI_URLS. */
  servers?: () => FarmServer[];
  probeMs?: number;
  probeTimeoutMs?: number;
  /** Failed probes in a row before a server is down. */
  downAfter?: number;
}

export class ComfyPool {
  private readonly live = new Map<string, Live>();
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly opts: PoolOptions = {}) {
    this.refresh();
  }

  private probeMs(): number {
    return this.opts.probeMs ?? (Number(process.env.KLAPPE_FARM_PROBE_MS) || 5000);
  }
  private probeTimeoutMs(): number {
    return this.opts.probeTimeoutMs ?? (Number(process.env.KLAPPE_FARM_PROBE_TIMEOUT_MS) || 3000);
  }

  /** Re-reads the server list, keeping what is known about servers that stay. */
  refresh(): void {
    const list = this.opts.servers ? this.opts.servers() : (this.opts.config ?? new FarmConfig()).servers();
    const ids = new Set(list.map((s) => s.id));
    for (const id of [...this.live.keys()]) if (!ids.has(id) && !this.live.get(id)!.running.size) this.live.delete(id);
    for (const cfg of list) {
      const l = this.live.get(cfg.id);
      if (l) l.cfg = cfg;
      else
        this.live.set(cfg.id, {
          cfg,
          state: 'unknown',
          failures: 0,
          running: new Map(),
          finished: [],
          failed: 0,
          excluded: new Map(),
          down: new AbortController(),
        });
    }
    this.changed();
  }

  get size(): number {
    return this.live.size;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** Slots of the servers that are not down (at least 1, so a job can report that none answers). */
  slots(): number {
    let n = 0;
    for (const l of this.live.values()) if (l.state !== 'down') n += l.cfg.slots;
    return Math.max(1, n);
  }

  /** Starts probing every `probeMs` (the timer does not keep the process alive). */
  startHealth(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.probeAll(), this.probeMs());
    this.timer.unref();
    void this.probeAll();
  }

  stopHealth(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async probeAll(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await Promise.all([...this.live.values()].map((l) => this.probe(l)));
    } finally {
      this.probing = false;
    }
  }

  /** One probe; true when the server answered. */
  private async probe(l: Live, opts: { downNow?: boolean } = {}): Promise<boolean> {
    try {
      const report = await probeServer(l.cfg.url, { timeoutMs: this.probeTimeoutMs(), models: l.state !== 'up' || !l.report?.models });
      l.report = { ...report, models: report.models ?? l.report?.models };
      l.failures = 0;
      l.lastError = undefined;
      if (l.state === 'down') l.down = new AbortController(); // rejoins
      l.state = 'up';
      return true;
    } catch (e) {
      l.failures++;
      l.lastError = (e as Error).message;
      if (l.state !== 'down' && (opts.downNow || l.failures >= (this.opts.downAfter ?? 2))) this.markDown(l, l.lastError);
      return false;
    } finally {
      l.checkedAt = Date.now();
      this.changed();
    }
  }

  private markDown(l: Live, why: string): void {
    l.state = 'down';
    l.lastError = why;
    l.down.abort();
    this.changed();
  }

  /** Probes one server now (after a request to it failed): false, and down, when it does not answer. */
  async check(serverId: string): Promise<boolean> {
    const l = this.live.get(serverId);
    return l ? this.probe(l, { downNow: true }) : false;
  }

  byId(id: string): FarmServer | undefined {
    return this.live.get(id)?.cfg;
  }

  isDown(id: string): boolean {
    return this.live.get(id)?.state === 'down';
  }

  downSignal(id: string): AbortSignal {
    return this.live.get(id)?.down.signal ?? AbortSignal.abort();
  }

  exclude(serverId: string, workflow: string, errors: string): void {
    this.live.get(serverId)?.excluded.set(workflow, errors);
    this.changed();
  }

  private score(l: Live, models: string[]): number {
    const known = l.report?.models;
    const have = known ? new Set(MODEL_FOLDERS.flatMap((f) => known[f] ?? [])) : undefined;
    // all the workflow's model files listed: 2; unknown (no /models): 1; some missing: less
    const modelScore = !models.length || !have ? 1 : (2 * models.filter((m) => have.has(m)).length) / models.length;
    const load = l.running.size / l.cfg.slots;
    const vram = l.report?.vramFree ?? 0;
    return modelScore * 1e6 + (1 - load) * 1e3 + Math.min(999, vram / 2 ** 30);
  }

  /**
   * A slot for one shot: on `serverId` when given (a resumed prompt lives there,
   * slots or not), else on the best server with a free slot, waiting for one.
   */
  async acquire(
    shot: { shotId: string; shotNumber: string },
    want: { serverId?: string; workflow: string; models: string[]; avoid: Set<string> },
    signal: AbortSignal,
  ): Promise<{ server: FarmServer; release: (ok: boolean) => void }> {
    const take = (l: Live) => {
      const token = Symbol(shot.shotId);
      l.running.set(token, { ...shot, since: Date.now() });
      this.changed();
      let released = false;
      return {
        server: l.cfg,
        release: (ok: boolean) => {
          if (released) return;
          released = true;
          l.running.delete(token);
          if (ok) l.finished.push(Date.now());
          else l.failed++;
          this.changed();
        },
      };
    };
    if (want.serverId) {
      const l = this.live.get(want.serverId);
      if (l) return take(l);
    }
    for (;;) {
      const usable = [...this.live.values()].filter(
        (l) => l.state !== 'down' && !l.excluded.has(want.workflow) && !want.avoid.has(l.cfg.id),
      );
      if (!usable.length) throw this.noServer(want.workflow);
      const free = usable
        .filter((l) => l.running.size < l.cfg.slots)
        .sort((a, b) => this.score(b, want.models) - this.score(a, want.models));
      if (free[0]) return take(free[0]);
      await sleep(50, signal, 'waiting for a free farm slot');
    }
  }

  private noServer(workflow: string): KlappeError {
    const all = [...this.live.values()];
    const excluded = all.filter((l) => l.excluded.has(workflow));
    if (all.length && excluded.length === all.length) {
      const first = excluded[0]!;
      return new KlappeError({
        code: 'COMFYUI_NODE_ERRORS',
        kind: 'input',
        path: workflow,
        message: `every farm server rejected the workflow ${workflow}; ${first.cfg.label}: ${first.excluded.get(workflow)}`,
        hint: 'Install the models and custom nodes the workflow needs on the servers (the Farm panel lists the errors per server), then retry.',
      });
    }
    const down = all.filter((l) => l.state === 'down').map((l) => `${l.cfg.label} (${l.lastError ?? 'down'})`);
    return new KlappeError({
      code: 'FARM_NO_SERVER',
      message: all.length ? `no farm server can take the shot: ${down.join(', ') || 'all were tried'}` : 'the farm has no servers',
      hint: 'Start the ComfyUI servers (klappe farm list shows their state), or add one with `klappe farm add URL`.',
    });
  }

  view(now = Date.now()): FarmView {
    const servers = [...this.live.values()].map((l): FarmServerView => {
      const recent = l.finished.filter((t) => t > now - 600_000);
      const since = Math.max(1, Math.min(10, (now - (recent[0] ?? now)) / 60_000));
      return {
        id: l.cfg.id,
        label: l.cfg.label,
        address: displayUrl(l.cfg.url),
        source: l.cfg.source,
        state: l.state,
        slots: l.cfg.slots,
        inUse: l.running.size,
        current: [...l.running.values()],
        ...(l.report?.gpu ? { gpu: l.report.gpu } : {}),
        ...(l.report?.vramTotal !== undefined ? { vramTotal: l.report.vramTotal } : {}),
        ...(l.report?.vramFree !== undefined ? { vramFree: l.report.vramFree } : {}),
        ...(l.report ? { queue: l.report.queue } : {}),
        done: l.finished.length,
        failed: l.failed,
        perMinute: recent.length ? recent.length / since : 0,
        ...(l.lastError ? { lastError: redactSecrets(l.lastError) } : {}),
        ...(l.checkedAt ? { checkedAt: l.checkedAt } : {}),
        excluded: [...l.excluded].map(([workflow, errors]) => ({ workflow, errors })),
      };
    });
    const up = servers.filter((s) => s.state !== 'down');
    const totalSlots = up.reduce((n, s) => n + s.slots, 0);
    return {
      servers,
      totalSlots,
      freeSlots: Math.max(0, totalSlots - up.reduce((n, s) => n + s.inUse, 0)),
      perMinute: servers.reduce((n, s) => n + s.perMinute, 0),
    };
  }
}

let sharedPool: ComfyPool | undefined;

/** The farm of this process (settings + KLAPPE_COMFYUI_URLS). */
export function farmPool(): ComfyPool {
  return (sharedPool ??= new ComfyPool());
}

/** True when farm servers are configured (the router treats comfyui as set up). */
export function farmConfigured(): boolean {
  return farmPool().size > 0;
}

export interface FarmBackendOptions extends Omit<ComfyOptions, 'url'> {
  pool?: () => ComfyPool;
}

/**
 * The `comfyui` backend: on the farm when it has servers, else on the one
 * server of KLAPPE_COMFYUI_URL / `klappe keys set comfyui` (unchanged).
 */
export function createFarmBackend(opts: FarmBackendOptions = {}): Backend {
  const single = createComfyBackend(opts);
  const pool = opts.pool ?? farmPool;
  const workflowFile = () => opts.workflowFile ?? defaultWorkflowPath();
  const perServer = new Map<string, Backend>();
  const on = (server: FarmServer) => {
    let b = perServer.get(`${server.id}|${server.url}`);
    if (!b) perServer.set(`${server.id}|${server.url}`, (b = createComfyBackend({ ...opts, url: () => server.url })));
    return b;
  };
  return {
    id: single.id,
    get version() {
      return single.version;
    },
    capabilities: () => single.capabilities(),
    estimate: (r) => single.estimate(r),
    slots: () => (pool().size ? pool().slots() : undefined),
    validate(request) {
      if (!pool().size) return single.validate?.(request);
      loadWorkflow(workflowFile());
    },
    async generate(request, ctx) {
      const p = pool();
      if (!p.size) return single.generate(request, ctx);
      p.startHealth();
      return generateOnFarm(p, on, basename(workflowFile()), workflowModels(loadWorkflow(workflowFile())), request, ctx);
    },
  };
}

async function generateOnFarm(
  pool: ComfyPool,
  on: (s: FarmServer) => Backend,
  workflow: string,
  models: string[],
  request: ShotRequest,
  ctx: GenerateContext,
): Promise<GeneratedMedia> {
  const resume = (ctx.resumeState ?? {}) as FarmResume;
  let failover = resume.failover;
  let serverId = resume.serverId && pool.byId(resume.serverId) ? resume.serverId : undefined;
  if (resume.serverId && !serverId && resume.promptId) {
    failover = `server ${resume.serverLabel ?? resume.serverId} is no longer in the farm; resubmitted`;
    ctx.noteReason?.(failover);
  }
  let inner = serverId && resume.promptId ? { promptId: resume.promptId, clientId: resume.clientId } : undefined;
  const avoid = new Set<string>();
  const shot = { shotId: request.shot.id, shotNumber: `${request.scene.number}/${request.shot.number}` };
  for (;;) {
    const slot = await pool.acquire(shot, { serverId, workflow, models, avoid }, ctx.signal);
    const server = slot.server;
    const down = pool.downSignal(server.id);
    const keep = (s: unknown) => {
      const base: FarmResume = failover ? { failover } : {};
      ctx.saveResumeState(s ? { ...base, ...(s as object), serverId: server.id, serverLabel: server.label } : failover ? base : undefined);
      if (s) ctx.onProgress({ fraction: 0, stage: `queued on ${server.label}` });
    };
    if (!inner) keep(undefined);
    let ok = false;
    try {
      const out = await on(server).generate(request, {
        ...ctx,
        signal: AbortSignal.any([ctx.signal, down]),
        resumeState: inner,
        saveResumeState: keep,
        onProgress: (pr) => ctx.onProgress({ fraction: pr.fraction, stage: `${pr.stage} · ${server.label}` }),
      });
      ok = true;
      return {
        ...out,
        metadata: { ...out.metadata, farm: { server: server.label, serverId: server.id, ...(failover ? { failover } : {}) } },
      };
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      if (isKlappeError(e) && e.code === 'COMFYUI_NODE_ERRORS') {
        pool.exclude(server.id, workflow, e.message);
        avoid.add(server.id);
        serverId = undefined;
        inner = undefined;
        continue; // acquire throws the node errors when no server is left
      }
      const isDown = down.aborted || !(await pool.check(server.id));
      if (!isDown) throw e;
      if (failover) {
        throw new KlappeError({
          code: 'FARM_SERVER_DOWN',
          message: `farm server ${server.label} (${displayUrl(server.url)}) stopped answering while generating shot ${shot.shotNumber}, after it had moved once (${failover})`,
          hint: 'Check the farm servers (klappe farm list), then retry the job.',
        });
      }
      failover = `farm server ${server.label} stopped answering; shot ${shot.shotNumber} resubmitted to another server`;
      ctx.noteReason?.(failover);
      avoid.add(server.id);
      serverId = undefined;
      inner = undefined;
      ctx.saveResumeState({ failover } satisfies FarmResume);
    } finally {
      slot.release(ok);
    }
  }
}

/** Forgets the process's farm (after the server list changed: `klappe farm add`, settings). */
export function resetFarmPool(): void {
  sharedPool?.stopHealth();
  sharedPool = undefined;
}
