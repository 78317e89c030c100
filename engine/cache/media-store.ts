/**
 * The content-addressed media store: every generated file is kept once, under
 * its sha256 (`media/ab/abcdef…`), written atomically and verified by hash.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { moveFile } from '../util/move-file.js';
import { extname, join } from 'node:path';
import { KlappeError } from '../common/errors.js';
import { fsyncDir } from '../util/atomic-file.js';
import { sha256File } from '../util/hash.js';
import { throwInjectedWriteFault, writeError } from '../util/write-errors.js';
import { dataDir } from '../util/paths.js';

let ingestCounter = 0;

export class MediaStore {
  readonly root: string;

  constructor(root = join(dataDir(), 'media')) {
    this.root = root;
    mkdirSync(root, { recursive: true });
  }

  /** Path of the stored file for a hash (whether or not it exists). */
  pathFor(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new KlappeError({ code: 'BAD_HASH', message: `"${hash}" is not a sha256 hash` });
    return join(this.root, hash.slice(0, 2), hash);
  }

  has(hash: string): boolean {
    return existsSync(this.pathFor(hash));
  }

  /** Path of a stored file; throws MEDIA_MISSING when it is not in the store. */
  require(hash: string): string {
    const p = this.pathFor(hash);
    if (!existsSync(p)) {
      throw new KlappeError({
        code: 'MEDIA_MISSING',
        message: `media ${hash.slice(0, 12)}… is not in the cache at ${this.root}`,
        hint: 'Generate the shot again.',
      });
    }
    return p;
  }

  /** Copies (or moves, with `move`) a file into the store; returns its hash. */
  async ingest(file: string, opts: { move?: boolean } = {}): Promise<{ hash: string; path: string; bytes: number }> {
    const hash = await sha256File(file);
    const dest = this.pathFor(hash);
    const bytes = statSync(file).size;
    if (existsSync(dest) && statSync(dest).size === bytes) {
      if (opts.move) unlinkSync(file);
      return { hash, path: dest, bytes };
    }
    const tmp = `${dest}.tmp-${process.pid}-${++ingestCounter}${extname(file)}`; // unique: the same hash may be ingested twice at once
    try {
      mkdirSync(join(this.root, hash.slice(0, 2)), { recursive: true });
      if (opts.move) {
        moveFile(file, tmp);
      } else copyFileSync(file, tmp);
      throwInjectedWriteFault(dest); // a disk that fills up (tests only)
      const check = await sha256File(tmp);
      if (check !== hash) throw new KlappeError({ code: 'MEDIA_CORRUPT', message: `copying ${file} into the cache gave different bytes` });
      renameSync(tmp, dest);
    } catch (e) {
      // a full disk or a failed check leaves no partial file in the store; a moved file goes back where it was
      if (opts.move && existsSync(tmp) && !existsSync(file)) {
        try {
          moveFile(tmp, file);
        } catch {
          /* the source folder is gone: the temp is removed below */
        }
      }
      try {
        unlinkSync(tmp);
      } catch {
        /* never made, or moved back */
      }
      throw writeError(e, dest, 'a file into the cache');
    }
    fsyncDir(join(this.root, hash.slice(0, 2)));
    return { hash, path: dest, bytes };
  }

  /** Re-hashes a stored file; false when missing or corrupt. */
  async verify(hash: string): Promise<boolean> {
    const p = this.pathFor(hash);
    if (!existsSync(p)) return false;
    return (await sha256File(p)) === hash;
  }

  /** Deletes a stored file (eviction, corrupt file); true when there was one. */
  remove(hash: string): boolean {
    const p = this.pathFor(hash);
    if (!existsSync(p)) return false;
    unlinkSync(p);
    return true;
  }

  /** Every stored file (hash, bytes, mtime) and every leftover temp file of an interrupted ingest. */
  scan(): { files: Array<{ hash: string; bytes: number; mtimeMs: number }>; temps: Array<{ path: string; pid: number }> } {
    const files: Array<{ hash: string; bytes: number; mtimeMs: number }> = [];
    const temps: Array<{ path: string; pid: number }> = [];
    for (const dir of readdirSync(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue;
      for (const name of readdirSync(join(this.root, dir))) {
        const path = join(this.root, dir, name);
        const tmp = /\.tmp-(\d+)/.exec(name);
        if (tmp) temps.push({ path, pid: Number(tmp[1]) });
        else if (/^[0-9a-f]{64}$/.test(name)) {
          const st = statSync(path);
          files.push({ hash: name, bytes: st.size, mtimeMs: st.mtimeMs });
        }
      }
    }
    return { files, temps };
  }
}
