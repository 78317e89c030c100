/**
 * The local manifest store: the C2PA manifest of every signed export, kept in
 * SQLite (`manifests.db` in `<data>/manifests`, or a folder of the user's
 * choice such as a team's shared folder), keyed by the invisible watermark's
 * payload (export id) and the signed file's hash (the C2PA BMFF hash its
 * manifest binds: the file's bytes without its manifest box). A copy of the film
 * whose manifest was stripped finds its credentials again through its watermark.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KlappeError } from '../common/errors.js';
import { dataDir } from '../util/paths.js';

export interface StoredManifest {
  /** Export id the invisible watermark carries (8 hex digits). */
  exportId: string;
  /** The signed file's C2PA BMFF hash (sha256 hex over its boxes but the manifest's, with their offsets). */
  contentHash: string;
  /** The manifest store as signed (JUMBF, `application/c2pa`). */
  manifest: Uint8Array;
  title: string;
  signer?: string;
  /** ms since the epoch. */
  createdAt: number;
}

export const MANIFEST_DB = 'manifests.db';

export function defaultManifestStoreDir(): string {
  return join(dataDir(), 'manifests');
}

interface Row {
  export_id: string;
  content_hash: string;
  manifest: Buffer;
  title: string;
  signer: string | null;
  created_at: number;
}

export class ManifestStore {
  readonly file: string;
  private readonly db: Database.Database;

  /** Opens (creating when `create`) the store in `dir`. */
  constructor(
    readonly dir = defaultManifestStoreDir(),
    opts: { create?: boolean } = {},
  ) {
    this.file = join(dir, MANIFEST_DB);
    try {
      if (opts.create !== false) mkdirSync(dir, { recursive: true });
      this.db = new Database(this.file, { fileMustExist: opts.create === false });
      // a rollback journal, not WAL: the store may live on a shared (network) folder
      this.db.pragma('journal_mode = DELETE');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`CREATE TABLE IF NOT EXISTS manifests (
        content_hash TEXT PRIMARY KEY,
        export_id TEXT NOT NULL,
        manifest BLOB NOT NULL,
        title TEXT NOT NULL,
        signer TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS manifests_export ON manifests(export_id, created_at);`);
    } catch (e) {
      throw new KlappeError({
        code: 'MANIFEST_STORE_OPEN',
        kind: opts.create === false ? 'input' : 'runtime',
        message: `cannot open the manifest store ${this.file}: ${(e as Error).message}`,
        file: this.file,
        cause: e,
        hint: opts.create === false ? 'Give --store the folder that holds manifests.db.' : 'Check the folder exists and is writable.',
      });
    }
  }

  put(m: StoredManifest): void {
    this.db
      .prepare(
        `INSERT INTO manifests (content_hash, export_id, manifest, title, signer, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(content_hash) DO UPDATE SET export_id = excluded.export_id, manifest = excluded.manifest,
           title = excluded.title, signer = excluded.signer, created_at = excluded.created_at`,
      )
      .run(m.contentHash, m.exportId, Buffer.from(m.manifest), m.title, m.signer ?? null, m.createdAt);
  }

  byContentHash(hash: string): StoredManifest | undefined {
    const row = this.db.prepare(`SELECT * FROM manifests WHERE content_hash = ?`).get(hash) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Manifests of exports whose watermark carries `exportId`, newest first (one, unless ids collided). */
  byExportId(exportId: string): StoredManifest[] {
    return (
      this.db.prepare(`SELECT * FROM manifests WHERE export_id = ? ORDER BY created_at DESC`).all(exportId.toLowerCase()) as Row[]
    ).map(fromRow);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function fromRow(r: Row): StoredManifest {
  return {
    exportId: r.export_id,
    contentHash: r.content_hash,
    manifest: new Uint8Array(r.manifest),
    title: r.title,
    ...(r.signer ? { signer: r.signer } : {}),
    createdAt: r.created_at,
  };
}
