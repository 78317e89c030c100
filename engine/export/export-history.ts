/**
 * The project's export history: the last exports (newest first) in a small
 * file next to project.klappe (`.klappe-exports.json`), not in the document:
 * an export is not an edit. Written after each finished export (the studio's
 * and `klappe render`); the Mixer's "last export" reads it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportRecord } from '../common/export-record.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export const EXPORT_HISTORY_FILE = '.klappe-exports.json';
const LIMIT = 20;

export function exportHistory(projectDir: string): ExportRecord[] {
  const file = join(projectDir, EXPORT_HISTORY_FILE);
  if (!existsSync(file)) return [];
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(list) ? (list as ExportRecord[]).filter((r) => r && typeof r.output === 'string') : [];
  } catch {
    return []; // a damaged history is no reason to fail an export
  }
}

/** Adds a finished export at the front; a failure to write it is ignored (the export itself is done). */
export function recordExport(projectDir: string, record: ExportRecord): void {
  try {
    const list = [record, ...exportHistory(projectDir)].slice(0, LIMIT);
    writeFileAtomic(join(projectDir, EXPORT_HISTORY_FILE), `${JSON.stringify(list, null, 2)}\n`);
  } catch {
    /* read-only project folder: the history stays as it was */
  }
}
