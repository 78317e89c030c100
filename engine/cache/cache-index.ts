/**
 * The cache index over the content-addressed MediaStore: which media exist (size,
 * last use, status), which cache key made which take, and which projects pin
 * which media. `lookup(key)` answers "was this exact generation made already?".
 */
import type { Take } from '../model/schema.js';
import { openDatabase, type Db } from './database.js';
import { MediaStore } from './media-store.js';

/** What a cache entry remembers: a take without its project-specific id, number and shot. */
export type CachedTake = Pick<Take, 'backend' | 'model' | 'modelVersion' | 'seed' | 'media' | 'duration' | 'params'> & { cacheKey: string };

export type MediaStatus = 'ok' | 'missing' | 'corrupt' | 'evicted';

/** Media used by a project opened within this many days is never evicted. */
export const DEFAULT_PIN_DAYS = 30;
const DAY_MS = 86_400_000;

export function takeMediaHashes(media: Take['media']): string[] {
  return [media.video, media.audio, media.thumbnail, media.metadata].filter((h): h is string => !!h);
}

export class CacheIndex {
  readonly db: Db;
  readonly store: MediaStore;
  private readonly q;

  constructor(opts: { db?: Db; store?: MediaStore } = {}) {
    this.db = opts.db ?? openDatabase();
    this.store = opts.store ?? new MediaStore();
    const d = this.db;
    this.q = {
      upsertMedia: d.prepare(`INSERT INTO media (hash, bytes, status, created_at, last_used) VALUES (?, ?, 'ok', ?, ?)
        ON CONFLICT(hash) DO UPDATE SET bytes = excluded.bytes, status = 'ok', last_used = excluded.last_used`),
      mediaStatus: d.prepare(`SELECT status FROM media WHERE hash = ?`).pluck(),
      touchMedia: d.prepare(`UPDATE media SET last_used = ? WHERE hash = ?`),
      setStatus: d.prepare(`UPDATE media SET status = ? WHERE hash = ?`),
      putEntry:
        d.prepare(`INSERT INTO cache_entries (cache_key, backend, video_hash, take_json, created_at, last_used) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(cache_key) DO UPDATE SET backend = excluded.backend, video_hash = excluded.video_hash, take_json = excluded.take_json, last_used = excluded.last_used`),
      getEntry: d.prepare(`SELECT take_json FROM cache_entries WHERE cache_key = ?`).pluck(),
      touchEntry: d.prepare(`UPDATE cache_entries SET last_used = ? WHERE cache_key = ?`),
      pin: d.prepare(
        `INSERT INTO pins (project_file, hash, seen_at) VALUES (?, ?, ?) ON CONFLICT(project_file, hash) DO UPDATE SET seen_at = excluded.seen_at`,
      ),
      unpinProject: d.prepare(`DELETE FROM pins WHERE project_file = ?`),
    };
  }

  /** Records a file that is now in the store (after MediaStore.ingest). */
  recordMedia(hash: string, bytes: number, now = Date.now()): void {
    this.q.upsertMedia.run(hash, bytes, now, now);
  }

  /** Ingests a file into the store and indexes it, in one step. */
  async ingest(file: string, opts: { move?: boolean } = {}): Promise<string> {
    const r = await this.store.ingest(file, opts);
    this.recordMedia(r.hash, r.bytes);
    return r.hash;
  }

  /** True when the file is in the store and not marked missing/corrupt/evicted. */
  usable(hash: string): boolean {
    const status = this.q.mediaStatus.get(hash) as MediaStatus | undefined;
    if (status !== undefined && status !== 'ok') return false;
    return this.store.has(hash);
  }

  touch(hashes: string[], now = Date.now()): void {
    this.db.transaction(() => {
      for (const h of hashes) this.q.touchMedia.run(now, h);
    })();
  }

  private pendingEntries = new Map<string, number>();
  private pendingMedia = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | undefined;

  /** LRU marks from lookups are written in one batch shortly after (losing them in a crash is harmless). */
  private touchLater(key: string, hashes: string[], now: number): void {
    this.pendingEntries.set(key, now);
    for (const h of hashes) this.pendingMedia.set(h, now);
    this.flushTimer ??= setTimeout(() => this.flush(), 250).unref();
  }

  /** Writes pending LRU marks now. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (!this.pendingEntries.size && !this.pendingMedia.size) return;
    const entries = this.pendingEntries;
    const media = this.pendingMedia;
    this.pendingEntries = new Map();
    this.pendingMedia = new Map();
    if (!this.db.open) return;
    this.db.transaction(() => {
      for (const [k, at] of entries) this.q.touchEntry.run(at, k);
      for (const [h, at] of media) this.q.touchMedia.run(at, h);
    })();
  }

  put(entry: CachedTake, now = Date.now()): void {
    if (!entry.media.video) return;
    this.q.putEntry.run(entry.cacheKey, entry.backend, entry.media.video, JSON.stringify(entry), now, now);
  }

  /** The take made for this cache key, if all its media are still usable; marks the use for LRU. */
  lookup(key: string, now = Date.now()): CachedTake | undefined {
    const json = this.q.getEntry.get(key) as string | undefined;
    if (!json) return undefined;
    let entry: CachedTake;
    try {
      entry = JSON.parse(json) as CachedTake;
    } catch {
      return undefined; // a damaged row is a miss (klappe cache check --repair removes it)
    }
    const hashes = takeMediaHashes(entry.media);
    if (!hashes.every((h) => this.usable(h))) return undefined;
    this.touchLater(key, hashes, now);
    return entry;
  }

  /** Marks what a project uses as pinned (never evicted while the project is recent). */
  pinProject(projectFile: string, hashes: string[], now = Date.now()): void {
    this.db.transaction(() => {
      this.q.unpinProject.run(projectFile);
      for (const h of hashes) this.q.pin.run(projectFile, h, now);
    })();
    this.touch(hashes, now);
  }

  setStatus(hash: string, status: MediaStatus): void {
    this.q.setStatus.run(status, hash);
  }

  stats(pinDays = DEFAULT_PIN_DAYS, now = Date.now()): CacheStats {
    this.flush();
    const row = (sql: string, ...args: unknown[]) => this.db.prepare(sql).get(...args) as Record<string, number>;
    const media = row(`SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS bytes FROM media WHERE status = 'ok'`);
    const pinned = row(
      `SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS bytes FROM media WHERE status = 'ok' AND hash IN (SELECT hash FROM pins WHERE seen_at >= ?)`,
      now - pinDays * DAY_MS,
    );
    const bad = this.db.prepare(`SELECT status, COUNT(*) AS n FROM media WHERE status != 'ok' GROUP BY status`).all() as Array<{
      status: string;
      n: number;
    }>;
    const entries = row(`SELECT COUNT(*) AS n FROM cache_entries`);
    const projects = row(`SELECT COUNT(DISTINCT project_file) AS n FROM pins WHERE seen_at >= ?`, now - pinDays * DAY_MS);
    return {
      root: this.store.root,
      mediaFiles: media.n!,
      bytes: media.bytes!,
      cacheEntries: entries.n!,
      pinnedFiles: pinned.n!,
      pinnedBytes: pinned.bytes!,
      recentProjects: projects.n!,
      missing: bad.find((b) => b.status === 'missing')?.n ?? 0,
      corrupt: bad.find((b) => b.status === 'corrupt')?.n ?? 0,
      evicted: bad.find((b) => b.status === 'evicted')?.n ?? 0,
    };
  }
}

export interface CacheStats {
  root: string;
  mediaFiles: number;
  bytes: number;
  cacheEntries: number;
  pinnedFiles: number;
  pinnedBytes: number;
  recentProjects: number;
  missing: number;
  corrupt: number;
  evicted: number;
}
