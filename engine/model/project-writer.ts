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
import { appendFileSync, copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { inputError } from '../common/errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { projectDirOf, projectFilePath, validateProject } from './project-file.js';
import type { Project } from './schema.js';

export interface WriteOptions {
  /** Keep the file that was there as project.klappe.bak (default true). */
  backup?: boolean;
  /** Who writes, for the write trace (e.g. "ProjectSession.save"). */
  by: string;
}

/** Validates, then writes atomically. A failed write leaves the old file intact. */
export function writeProjectFile(pathOrDir: string, doc: Project, opts: WriteOptions): string {
  const file = projectFilePath(pathOrDir);
  const valid = validateProject(doc, file);
  mkdirSync(projectDirOf(file), { recursive: true });
  if ((opts.backup ?? true) && existsSync(file) && statSync(file).size > 0) copyFileSync(file, `${file}.bak`);
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

function traceWrite(file: string, by: string): void {
  const log = process.env.KLAPPE_TRACE_WRITES;
  if (!log) return;
  appendFileSync(log, `${JSON.stringify({ file, by, pid: process.pid, command: process.argv.slice(2).join(' '), at: new Date().toISOString() })}\n`);
}
