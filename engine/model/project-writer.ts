/**
 * The one place that writes `project.klappe`. Only the open project's
 * ProjectSession (engine/api/project-session.ts) writes an existing project,
 * and only template creation writes a brand-new one; a dependency-cruiser
 * rule (`one-project-writer`) keeps every other module away from this file.
 *
 * Writes are validated first and atomic (temp file, fsync, rename); the file
 * that was there is kept as `project.klappe.bak`. With `KLAPPE_TRACE_WRITES=FILE`
 * each write appends one JSON line (file, writer, pid, command) to FILE, so a
 * test can prove who wrote a project.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { inputError, isKlappeError, KlappeError } from '../common/errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { migrate } from './migrations.js';
import { projectDirOf, projectFilePath, validateProject } from './project-file.js';
import { SCHEMA_VERSION, type Project } from './schema.js';

export interface WriteOptions {
  /** Keep the file that was there as project.klappe.bak (default true). */
  backup?: boolean;
  /** Who writes, for the write trace (e.g. "ProjectSession.save"). */
  by: string;
}

/**
 * Validates, then writes atomically. A failed write leaves the old file intact.
 * A file of a newer schema version is never written over (it holds fields this
 * build would drop): SCHEMA_TOO_NEW, as when opening it.
 */
export function writeProjectFile(pathOrDir: string, doc: Project, opts: WriteOptions): string {
  const file = projectFilePath(pathOrDir);
  const valid = validateProject(doc, file);
  mkdirSync(projectDirOf(file), { recursive: true });
  const there = existsSync(file) ? statSync(file).size : 0;
  if (there > 0) refuseNewer(file);
  if ((opts.backup ?? true) && there > 0) {
    try {
      writeFileAtomic(`${file}.bak`, readFileSync(file)); // atomic too: the file a hint tells users to restore
    } catch (e) {
      // a full disk or a read-only folder: the error is about saving the project (its backup came first)
      if (!isKlappeError(e) || (e.code !== 'DISK_FULL' && e.code !== 'READ_ONLY')) throw e;
      throw new KlappeError({ code: e.code, message: `saving ${file} failed: ${e.message}`, file, hint: e.hint, cause: e });
    }
  }
  writeFileAtomic(file, `${JSON.stringify(valid, null, 2)}\n`);
  traceWrite(file, opts.by);
  return file;
}

/** Writes a new project file (from a template); refuses to overwrite a project that is there. */
export function createProjectFile(pathOrDir: string, doc: Project): string {
  const file = projectFilePath(pathOrDir);
  if (existsSync(file)) throw inputError('PROJECT_EXISTS', `${file} already exists`, { file, hint: 'Pick an empty folder.' });
  return writeProjectFile(file, doc, { backup: false, by: 'createProjectFile' });
}

/** Throws SCHEMA_TOO_NEW when `file` starts with a schemaVersion above this build's (Klappe writes it first). */
function refuseNewer(file: string): void {
  const head = Buffer.alloc(512);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const m = /^\s*\{\s*"schemaVersion"\s*:\s*(\d+)/.exec(head.toString('utf8', 0, n));
  if (m && Number(m[1]) > SCHEMA_VERSION) migrate({ schemaVersion: Number(m[1]) }, file);
}

function traceWrite(file: string, by: string): void {
  const log = process.env.KLAPPE_TRACE_WRITES;
  if (!log) return;
  appendFileSync(
    log,
    `${JSON.stringify({ file, by, pid: process.pid, command: process.argv.slice(2).join(' '), at: new Date().toISOString() })}\n`,
  );
}
