/**
 * Checks of the fault harness (issue 19) after a SIGKILL of `klappe serve`:
 * processes left behind, temp and partial files anywhere, the cache index
 * against the files. Each returns what it found (empty: clean).
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CacheIndex } from '../../engine/cache/cache-index.js';
import { openDatabase } from '../../engine/cache/database.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import type { WebSocket } from 'ws';

/** A small deterministic random source (seeded: a failure can be replayed with KLAPPE_FAULT_SEED). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Processes whose environment carries `marker` (set on the host, inherited by ffmpeg, ffprobe, workers): pid and command. */
export function markedProcesses(marker: string): Array<{ pid: number; cmd: string }> {
  const found: Array<{ pid: number; cmd: string }> = [];
  const needle = Buffer.from(`KLAPPE_FAULT_MARK=${marker}\0`);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`);
      if (!env.includes(needle)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue; // a zombie waiting for its parent to reap it: not running
      let cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (!cmd) cmd = readlinkSync(`/proc/${name}/exe`);
      found.push({ pid: Number(name), cmd });
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return found;
}

/** Waits up to `ms` for the marked processes to end; those still there. */
export async function survivors(marker: string, ms = 8000): Promise<Array<{ pid: number; cmd: string }>> {
  const end = Date.now() + ms;
  let left = markedProcesses(marker);
  while (left.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    left = markedProcesses(marker);
  }
  return left;
}

/** Temp and partial files under `dir` (recursively): atomic-write temps (`.NAME.tmp-PID-…`), render temps (`.NAME.render-PID-….mp4`), ingest temps, `.part` downloads. */
export function litterUnder(dir: string, keep: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      if (keep(p)) continue;
      let isDir: boolean;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        continue;
      }
      if (isDir) walk(p);
      else if (/\.(tmp|render)-\d+-|\.tmp-\d+|\.part$|\.partial$|\.tmp$|-journal$/.test(n)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Every entry of `dir` (a missing folder has none). */
export function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The cache index against the files: indexed media missing or with other bytes, and files the index does not know. */
export async function cacheMismatches(dataDir: string): Promise<string[]> {
  const db = openDatabase(join(dataDir, 'klappe.db'));
  const index = new CacheIndex({ db, store: new MediaStore(join(dataDir, 'media')) });
  try {
    const problems: string[] = [];
    const rows = index.db.prepare(`SELECT hash FROM media WHERE status = 'ok'`).all() as Array<{ hash: string }>;
    const known = new Set(rows.map((r) => r.hash));
    for (const { hash } of rows) {
      if (!index.store.has(hash)) problems.push(`indexed but missing: ${hash}`);
      else if (!(await index.store.verify(hash))) problems.push(`indexed with other bytes: ${hash}`);
    }
    const scan = index.store.scan();
    for (const f of scan.files) if (!known.has(f.hash)) problems.push(`on disk, not indexed: ${f.hash}`);
    for (const t of scan.temps) problems.push(`partial file: ${t.path}`);
    const takes = index.db.prepare(`SELECT cache_key, take_json FROM cache_entries`).all() as Array<{
      cache_key: string;
      take_json: string;
    }>;
    for (const t of takes) {
      const media = (JSON.parse(t.take_json) as { media?: Record<string, unknown> }).media ?? {};
      for (const h of Object.values(media)) {
        if (typeof h === 'string' && /^[0-9a-f]{64}$/.test(h) && !index.store.has(h))
          problems.push(`cached take ${t.cache_key} names missing media ${h}`);
      }
    }
    return problems;
  } finally {
    db.close();
  }
}

/** Collects the events of one socket (`{event, data}` messages). */
export function eventLog(ws: WebSocket): Array<{ event: string; data: any }> {
  const log: Array<{ event: string; data: any }> = [];
  ws.on('message', (d: Buffer) => {
    const m = JSON.parse(d.toString()) as { event?: string; data?: unknown };
    if (m.event) log.push({ event: m.event, data: m.data });
  });
  return log;
}
