/**
 * `cache check` and `cache gc`: find missing and corrupt files (re-hash every one)
 * and mark them so the next use regenerates them; evict least-recently-used,
 * unpinned media until the store fits its size budget.
 */
import { unlinkSync } from 'node:fs';
import { processAlive } from '../util/process-alive.js';
import { DEFAULT_PIN_DAYS, type CacheIndex } from './cache-index.js';

export interface CheckReport {
  checked: number;
  ok: number;
  /** Indexed but not on disk. */
  missing: string[];
  /** On disk with other bytes than their hash says: removed from the store. */
  corrupt: string[];
  /** Files found in the store that the index did not know: now indexed. */
  adopted: number;
  /** Temp files left by an interrupted write (of a process no longer running): removed. */
  removedTemps: number;
  /** Found missing or corrupt by an earlier check, not regenerated yet. */
  awaitingRegeneration: number;
}

/** Removes temp files of ingests whose process is gone. */
export function removeDeadTemps(index: CacheIndex): number {
  let n = 0;
  for (const t of index.store.scan().temps) {
    if (processAlive(t.pid)) continue;
    try {
      unlinkSync(t.path);
      n++;
    } catch {
      /* gone already */
    }
  }
  return n;
}

export async function checkCache(
  index: CacheIndex,
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<CheckReport> {
  const report: CheckReport = {
    checked: 0,
    ok: 0,
    missing: [],
    corrupt: [],
    adopted: 0,
    removedTemps: removeDeadTemps(index),
    awaitingRegeneration: 0,
  };
  const onDisk = new Map(index.store.scan().files.map((f) => [f.hash, f]));
  const rows = index.db.prepare(`SELECT hash, status FROM media`).all() as Array<{ hash: string; status: string }>;
  const status = new Map(rows.map((r) => [r.hash, r.status]));
  const indexed = rows.filter((r) => r.status === 'ok').map((r) => r.hash);
  report.awaitingRegeneration = rows.filter((r) => (r.status === 'corrupt' || r.status === 'missing') && !onDisk.has(r.hash)).length;
  for (const f of onDisk.values()) {
    if (status.get(f.hash) !== 'ok') {
      index.recordMedia(f.hash, f.bytes, f.mtimeMs);
      indexed.push(f.hash);
      report.adopted++;
    }
  }
  for (const hash of indexed) {
    opts.signal?.throwIfAborted();
    report.checked++;
    if (!onDisk.has(hash)) {
      report.missing.push(hash);
      index.setStatus(hash, 'missing');
    } else if (!(await index.store.verify(hash))) {
      report.corrupt.push(hash);
      index.store.remove(hash);
      index.setStatus(hash, 'corrupt');
    } else {
      index.recordMedia(hash, onDisk.get(hash)!.bytes);
      report.ok++;
    }
    opts.onProgress?.(report.checked, indexed.length);
  }
  return report;
}

export interface GcReport {
  budgetBytes: number;
  bytesBefore: number;
  bytesAfter: number;
  evicted: string[];
  /** Bytes the budget could not reach because they are pinned by recent projects. */
  pinnedBytes: number;
  removedTemps: number;
}

/** Evicts least-recently-used media not pinned by a project opened in the last `pinDays` days. */
export function collectGarbage(index: CacheIndex, opts: { budgetBytes: number; pinDays?: number; now?: number }): GcReport {
  index.flush();
  const now = opts.now ?? Date.now();
  const since = now - (opts.pinDays ?? DEFAULT_PIN_DAYS) * 86_400_000;
  const removedTemps = removeDeadTemps(index);
  const total = index.db.prepare(`SELECT COALESCE(SUM(bytes), 0) FROM media WHERE status = 'ok'`).pluck().get() as number;
  const candidates = index.db
    .prepare(
      `SELECT hash, bytes FROM media WHERE status = 'ok'
      AND hash NOT IN (SELECT hash FROM pins WHERE seen_at >= ?) ORDER BY last_used ASC`,
    )
    .all(since) as Array<{ hash: string; bytes: number }>;
  let bytes = total;
  const evicted: string[] = [];
  for (const c of candidates) {
    if (bytes <= opts.budgetBytes) break;
    index.store.remove(c.hash);
    index.setStatus(c.hash, 'evicted');
    bytes -= c.bytes;
    evicted.push(c.hash);
  }
  const pinnedBytes = index.db
    .prepare(`SELECT COALESCE(SUM(bytes), 0) FROM media WHERE status = 'ok' AND hash IN (SELECT hash FROM pins WHERE seen_at >= ?)`)
    .pluck()
    .get(since) as number;
  return { budgetBytes: opts.budgetBytes, bytesBefore: total, bytesAfter: bytes, evicted, pinnedBytes, removedTemps };
}

/** Size budget: KLAPPE_CACHE_BUDGET ("20G", "500M", bytes) or 20 GiB. */
export function defaultBudgetBytes(): number {
  return parseSize(process.env.KLAPPE_CACHE_BUDGET ?? '20G') ?? 20 * 2 ** 30;
}

export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (!m) return undefined;
  const mult = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * mult);
}
