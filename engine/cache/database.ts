/**
 * The one SQLite database of a Klappe install (`klappe.db` in the data folder):
 * the cache index (media, cache entries, project pins) and the job queue.
 * WAL, a busy timeout so several processes can share it, and schema migrations
 * numbered by `PRAGMA user_version`.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KlappeError } from '../common/errors.js';
import { dataDir } from '../util/paths.js';

export type Db = Database.Database;

/** Each entry moves the schema from version i to i + 1. Never edit an entry that shipped; add one. */
const MIGRATIONS: string[] = [
  `CREATE TABLE media (
     hash TEXT PRIMARY KEY,
     bytes INTEGER NOT NULL,
     status TEXT NOT NULL DEFAULT 'ok',          -- ok | missing | corrupt | evicted
     created_at INTEGER NOT NULL,
     last_used INTEGER NOT NULL
   );
   CREATE INDEX media_lru ON media(status, last_used);
   CREATE TABLE cache_entries (
     cache_key TEXT PRIMARY KEY,
     backend TEXT NOT NULL,
     video_hash TEXT NOT NULL,
     take_json TEXT NOT NULL,                     -- the take's media, model, duration, params
     created_at INTEGER NOT NULL,
     last_used INTEGER NOT NULL
   );
   CREATE TABLE pins (
     project_file TEXT NOT NULL,
     hash TEXT NOT NULL,
     seen_at INTEGER NOT NULL,
     PRIMARY KEY (project_file, hash)
   );
   CREATE INDEX pins_hash ON pins(hash, seen_at);
   CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     seq INTEGER NOT NULL,
     project_file TEXT NOT NULL,
     shot_id TEXT NOT NULL,
     backend TEXT NOT NULL,
     fallback_reason TEXT,
     cache_key TEXT NOT NULL,
     options_json TEXT NOT NULL,
     state TEXT NOT NULL,                         -- queued | running | succeeded | failed | cancelled
     progress REAL NOT NULL DEFAULT 0,
     stage TEXT NOT NULL DEFAULT '',
     eta_seconds REAL,
     estimate_seconds REAL,
     attempts INTEGER NOT NULL DEFAULT 0,
     error_json TEXT,
     resume_json TEXT,
     take_id TEXT,
     from_cache INTEGER NOT NULL DEFAULT 0,
     cancel_requested INTEGER NOT NULL DEFAULT 0,
     owner_pid INTEGER,
     heartbeat_at INTEGER,
     created_at INTEGER NOT NULL,
     started_at INTEGER,
     finished_at INTEGER
   );
   CREATE INDEX jobs_state ON jobs(state, seq);
   CREATE INDEX jobs_key ON jobs(cache_key, state);`,
  // how long each finished generation took: the learned estimates (engine/jobs/timings.ts)
  `CREATE TABLE timings (
     id INTEGER PRIMARY KEY,
     backend TEXT NOT NULL,
     pixels INTEGER NOT NULL,                     -- width × height of the output
     output_ms INTEGER NOT NULL,                  -- length of the output video
     wall_ms INTEGER NOT NULL,                    -- measured generation time
     finished_at INTEGER NOT NULL
   );
   CREATE INDEX timings_backend ON timings(backend, pixels, finished_at);`,
  // a local pack's measured time per denoising step, by latent size and provider (engine/jobs/timings.ts)
  `CREATE TABLE step_timings (
     id INTEGER PRIMARY KEY,
     backend TEXT NOT NULL,                       -- local:<pack>
     provider TEXT NOT NULL,                      -- cuda, dml, coreml, cpu
     voxels INTEGER NOT NULL,                     -- latent channels-free volume: frames × height × width
     step_ms REAL NOT NULL,                       -- median time of one step (both guidance passes)
     load_ms INTEGER NOT NULL,                    -- model load time of that run (0 when cached)
     finished_at INTEGER NOT NULL
   );
   CREATE INDEX step_timings_backend ON step_timings(backend, provider, voxels, finished_at);`,
  // the safety decision log: every moderation, opt-out, consent and frame check (engine/safety/decision-log.ts)
  `CREATE TABLE safety_decisions (
     id INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,                         -- ms since 1970
     subject TEXT NOT NULL,                       -- prompt | shot | dialogue | frames | reference | consent | optouts
     ref TEXT NOT NULL DEFAULT '',                -- where: project file and shot id, a media file, a list
     excerpt TEXT NOT NULL DEFAULT '',            -- what was checked (text up to 200 characters)
     checker TEXT NOT NULL,                       -- rules | a model id | cameo
     rule TEXT,
     category TEXT,
     score REAL,
     outcome TEXT NOT NULL,                       -- allow | warn | block
     reason TEXT NOT NULL DEFAULT '',
     policy_version TEXT NOT NULL
   );
   CREATE INDEX safety_decisions_at ON safety_decisions(at);`,
];

export const DB_SCHEMA_VERSION = MIGRATIONS.length;

const open = new Map<string, Db>();

export function databasePath(): string {
  return join(dataDir(), 'klappe.db');
}

/** Opens (once per process and path) and migrates the database. */
export function openDatabase(file = databasePath()): Db {
  const existing = open.get(file);
  if (existing?.open) return existing;
  mkdirSync(dirname(file), { recursive: true });
  let db: Db | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrateDatabase(db, file);
    requireTables(db, file);
  } catch (e) {
    if (db?.open) db.close();
    throw databaseError(e, file);
  }
  open.set(file, db);
  return db;
}

const TABLES = ['media', 'cache_entries', 'pins', 'jobs'];
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_VTAB']);

function requireTables(db: Db, file: string): void {
  const have = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]);
  const missing = TABLES.filter((t) => !have.has(t));
  if (missing.length)
    throw new KlappeError({
      code: 'DB_DAMAGED',
      message: `the Klappe database ${file} has no ${missing.join(', ')} table`,
      file,
      hint: REPAIR_HINT,
    });
}

const REPAIR_HINT =
  'Run `klappe cache check --repair`: it moves the damaged database aside and starts a new one (media files stay; jobs and the cache index are rebuilt as you work).';

/** A failure to open: damage (corrupt pages, not a database, dropped tables) says how to repair; others say what failed. */
function databaseError(e: unknown, file: string): KlappeError {
  if (e instanceof KlappeError) return e;
  const code = (e as { code?: string }).code ?? '';
  if (DAMAGED.has(code) || /malformed|not a database|no such table/i.test((e as Error).message)) {
    return new KlappeError({
      code: 'DB_DAMAGED',
      message: `the Klappe database ${file} is damaged: ${(e as Error).message}`,
      file,
      hint: REPAIR_HINT,
    });
  }
  return new KlappeError({
    code: 'DB_OPEN',
    message: `could not open the Klappe database ${file}: ${(e as Error).message}`,
    file,
    cause: e,
    hint: 'Check the data folder (KLAPPE_DATA_DIR) exists and is writable.',
  });
}

export interface RepairReport {
  /** Where a damaged database was moved (a new one was started). */
  movedAside?: string;
  /** Rows removed because their JSON did not parse. */
  badJobs: number;
  badCacheEntries: number;
}

/**
 * Opens the database, moving a damaged one aside (`klappe.db.damaged-TIME`,
 * with its -wal and -shm) and starting a new one, then removes rows whose
 * JSON does not parse.
 */
export function repairDatabase(file = databasePath()): RepairReport {
  let db: Db;
  let movedAside: string | undefined;
  try {
    db = openDatabase(file);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new KlappeError({ code: 'DB_DAMAGED', message: `${file}: ${String(check)}`, file });
  } catch (e) {
    if (!(e instanceof KlappeError) || e.code !== 'DB_DAMAGED') throw e;
    open.get(file)?.close();
    open.delete(file);
    movedAside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, movedAside);
    for (const ext of ['-wal', '-shm']) if (existsSync(file + ext)) renameSync(file + ext, movedAside + ext);
    db = openDatabase(file);
  }
  const badJobs = db
    .prepare(`DELETE FROM jobs WHERE json_valid(options_json) = 0 OR (error_json IS NOT NULL AND json_valid(error_json) = 0)`)
    .run().changes;
  const badCacheEntries = db.prepare(`DELETE FROM cache_entries WHERE json_valid(take_json) = 0`).run().changes;
  return { ...(movedAside ? { movedAside } : {}), badJobs, badCacheEntries };
}

export function migrateDatabase(db: Db, file = 'database'): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new KlappeError({
      code: 'DB_TOO_NEW',
      message: `${file} has schema version ${version}; this Klappe knows up to ${MIGRATIONS.length}`,
      file,
      hint: 'Update Klappe, or point KLAPPE_DATA_DIR at another folder.',
    });
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/** Closes every database this process opened (tests, CLI exit). */
export function closeDatabases(): void {
  for (const db of open.values()) if (db.open) db.close();
  open.clear();
}
