/**
 * The one SQLite database of a Klappe install (`klappe.db` in the data folder):
 * the cache index (media, cache entries, project pins) and the job queue.
 * WAL, a busy timeout so several processes can share it, and schema migrations
 * numbered by `PRAGMA user_version`.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
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
  let db: Db;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (e) {
    throw new KlappeError({ code: 'DB_OPEN', message: `could not open the Klappe database ${file}: ${(e as Error).message}`, file, cause: e, hint: 'Check the data folder (KLAPPE_DATA_DIR) is writable.' });
  }
  migrateDatabase(db, file);
  open.set(file, db);
  return db;
}

export function migrateDatabase(db: Db, file = 'database'): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new KlappeError({ code: 'DB_TOO_NEW', message: `${file} has schema version ${version}; this Klappe knows up to ${MIGRATIONS.length}`, file, hint: 'Update Klappe, or point KLAPPE_DATA_DIR at another folder.' });
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
