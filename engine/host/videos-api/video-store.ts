/**
 * Where the /v1 videos API keeps its videos and characters: a small SQLite
 * database in the data folder (`videos-api.db`). A video row names the
 * project and its parts (one shot each, with the job that makes its take);
 * its status is read from the job queue, so a restart loses nothing.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataDir } from '../../util/paths.js';

export interface VideoPart {
  shotId: string;
  jobId?: string;
  /** The take the part shows, once its job finished (an extension keeps its source's takes). */
  takeId?: string;
}

export interface VideoContent {
  video: string;
  thumbnail: string;
  spritesheet: string;
}

export interface VideoRow {
  id: string;
  seq: number;
  projectFile: string;
  model: string;
  backendId?: string;
  prompt: string;
  seconds: number;
  size: string;
  sceneId: string;
  remixedFrom?: string;
  /** The media hash of the request's input_reference image (the shots' first frame). */
  referenceHash?: string;
  createdAt: number;
  completedAt?: number;
  failed?: { code: string; message: string };
  parts: VideoPart[];
  content?: VideoContent;
}

export interface CharacterRow {
  id: string;
  name: string;
  projectFile: string;
  characterId: string;
  videoHash: string;
  createdAt: number;
}

interface RawVideo {
  id: string;
  seq: number;
  project_file: string;
  model: string;
  backend: string | null;
  prompt: string;
  seconds: number;
  size: string;
  scene_id: string;
  remixed_from: string | null;
  reference_hash: string | null;
  created_at: number;
  completed_at: number | null;
  error_json: string | null;
  parts_json: string;
  content_json: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS videos (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, project_file TEXT NOT NULL, model TEXT NOT NULL, backend TEXT, prompt TEXT NOT NULL,
  seconds INTEGER NOT NULL, size TEXT NOT NULL, scene_id TEXT NOT NULL, remixed_from TEXT, created_at INTEGER NOT NULL, completed_at INTEGER,
  error_json TEXT, parts_json TEXT NOT NULL, content_json TEXT, deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS characters (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, project_file TEXT NOT NULL, character_id TEXT NOT NULL, video_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
`;

export function videosDbPath(): string {
  return join(dataDir(), 'videos-api.db');
}

function toRow(r: RawVideo): VideoRow {
  return {
    id: r.id,
    seq: r.seq,
    projectFile: r.project_file,
    model: r.model,
    ...(r.backend ? { backendId: r.backend } : {}),
    prompt: r.prompt,
    seconds: r.seconds,
    size: r.size,
    sceneId: r.scene_id,
    ...(r.remixed_from ? { remixedFrom: r.remixed_from } : {}),
    ...(r.reference_hash ? { referenceHash: r.reference_hash } : {}),
    createdAt: r.created_at,
    ...(r.completed_at !== null ? { completedAt: r.completed_at } : {}),
    ...(r.error_json ? { failed: JSON.parse(r.error_json) as VideoRow['failed'] } : {}),
    parts: JSON.parse(r.parts_json) as VideoPart[],
    ...(r.content_json ? { content: JSON.parse(r.content_json) as VideoContent } : {}),
  };
}

export class VideoStore {
  private readonly db: Database.Database;
  private readonly q;

  constructor(file = videosDbPath()) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const db = this.db;
    // databases made before input_reference was kept
    const columns = db.prepare(`PRAGMA table_info(videos)`).all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'reference_hash')) db.exec(`ALTER TABLE videos ADD COLUMN reference_hash TEXT`);
    this.q = {
      insert:
        db.prepare(`INSERT INTO videos (id, seq, project_file, model, backend, prompt, seconds, size, scene_id, remixed_from, reference_hash, created_at, parts_json)
        VALUES (@id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM videos), @projectFile, @model, @backend, @prompt, @seconds, @size, @sceneId, @remixedFrom, @referenceHash, @createdAt, @parts)`),
      get: db.prepare(`SELECT * FROM videos WHERE id = ? AND deleted = 0`),
      pending: db.prepare(
        `SELECT * FROM videos WHERE deleted = 0 AND content_json IS NULL AND error_json IS NULL AND project_file = ? ORDER BY seq`,
      ),
      pageAsc: db.prepare(`SELECT * FROM videos WHERE deleted = 0 AND project_file = ? AND seq > ? ORDER BY seq ASC LIMIT ?`),
      pageDesc: db.prepare(`SELECT * FROM videos WHERE deleted = 0 AND project_file = ? AND seq < ? ORDER BY seq DESC LIMIT ?`),
      parts: db.prepare(`UPDATE videos SET parts_json = ? WHERE id = ?`),
      complete: db.prepare(`UPDATE videos SET content_json = ?, completed_at = ? WHERE id = ?`),
      fail: db.prepare(`UPDATE videos SET error_json = ?, completed_at = ? WHERE id = ?`),
      remove: db.prepare(`UPDATE videos SET deleted = 1 WHERE id = ?`),
      sceneUsers: db.prepare(`SELECT COUNT(*) AS n FROM videos WHERE deleted = 0 AND project_file = ? AND scene_id = ?`),
      charInsert: db.prepare(
        `INSERT INTO characters (id, name, project_file, character_id, video_hash, created_at) VALUES (@id, @name, @projectFile, @characterId, @videoHash, @createdAt)`,
      ),
      charGet: db.prepare(`SELECT * FROM characters WHERE id = ?`),
    };
  }

  insert(v: Omit<VideoRow, 'seq'>): VideoRow {
    this.q.insert.run({
      id: v.id,
      projectFile: v.projectFile,
      model: v.model,
      backend: v.backendId ?? null,
      prompt: v.prompt,
      seconds: v.seconds,
      size: v.size,
      sceneId: v.sceneId,
      remixedFrom: v.remixedFrom ?? null,
      referenceHash: v.referenceHash ?? null,
      createdAt: v.createdAt,
      parts: JSON.stringify(v.parts),
    });
    return this.get(v.id)!;
  }

  get(id: string): VideoRow | undefined {
    const r = this.q.get.get(id) as RawVideo | undefined;
    return r ? toRow(r) : undefined;
  }

  /** Videos of a project still being made (no content, not failed), oldest first. */
  pending(projectFile: string): VideoRow[] {
    return (this.q.pending.all(projectFile) as RawVideo[]).map(toRow);
  }

  /** One page after the cursor's position: `asc` from the oldest, `desc` from the newest. */
  page(projectFile: string, order: 'asc' | 'desc', afterSeq: number | undefined, limit: number): VideoRow[] {
    const rows =
      order === 'asc'
        ? this.q.pageAsc.all(projectFile, afterSeq ?? 0, limit)
        : this.q.pageDesc.all(projectFile, afterSeq ?? Number.MAX_SAFE_INTEGER, limit);
    return (rows as RawVideo[]).map(toRow);
  }

  setParts(id: string, parts: VideoPart[]): void {
    this.q.parts.run(JSON.stringify(parts), id);
  }

  complete(id: string, content: VideoContent, at = Date.now()): void {
    this.q.complete.run(JSON.stringify(content), at, id);
  }

  fail(id: string, error: { code: string; message: string }, at = Date.now()): void {
    this.q.fail.run(JSON.stringify(error), at, id);
  }

  remove(id: string): void {
    this.q.remove.run(id);
  }

  /** How many videos (not deleted) of a project show a scene: an extension shares its source's. */
  sceneUsers(projectFile: string, sceneId: string): number {
    return (this.q.sceneUsers.get(projectFile, sceneId) as { n: number }).n;
  }

  addCharacter(c: CharacterRow): void {
    this.q.charInsert.run(c);
  }

  character(id: string): CharacterRow | undefined {
    const r = this.q.charGet.get(id) as
      { id: string; name: string; project_file: string; character_id: string; video_hash: string; created_at: number } | undefined;
    return r
      ? {
          id: r.id,
          name: r.name,
          projectFile: r.project_file,
          characterId: r.character_id,
          videoHash: r.video_hash,
          createdAt: r.created_at,
        }
      : undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
