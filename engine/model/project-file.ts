/**
 * Reading `project.klappe`: load validates everything and reports every
 * problem with its JSON path. Writing is project-writer.ts, used only by the
 * open project's session.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { inputError, formatJsonPath, type ErrorIssue } from '../common/errors.js';
import { jsonErrorPosition } from '../util/json-error-position.js';
import { checkIntegrity } from './integrity.js';
import { migrate } from './migrations.js';
import { ProjectSchema, type Project } from './schema.js';

export const PROJECT_FILE = 'project.klappe';

/** `dir` or `dir/project.klappe` → the project file path. */
export function projectFilePath(pathOrDir: string): string {
  const p = resolve(pathOrDir);
  if (p.endsWith('.klappe')) return p;
  return join(p, PROJECT_FILE);
}

export function projectDirOf(projectFile: string): string {
  return resolve(projectFile, '..');
}

export interface LoadedProject {
  doc: Project;
  file: string;
  dir: string;
  /** schemaVersion the file was written in (lower than current = migrated). */
  migratedFrom: number;
}

export function loadProject(pathOrDir: string): LoadedProject {
  const file = projectFilePath(pathOrDir);
  if (!existsSync(file)) {
    throw inputError('PROJECT_NOT_FOUND', `no project at ${file}`, { file, hint: 'Create one with `klappe new DIR`.' });
  }
  const text = readFileSync(file, 'utf8');
  return { ...parseProject(text, file), file, dir: projectDirOf(file) };
}

/** Parses, migrates and validates project JSON text. `file` is only for messages. */
export function parseProject(text: string, file = PROJECT_FILE): { doc: Project; migratedFrom: number } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const where = jsonErrorPosition(text);
    throw inputError('PROJECT_BAD_JSON', `${file}${where ? `:${where.line}:${where.column}` : ''}: invalid JSON: ${(e as Error).message}`, {
      file,
      path: where ? `line ${where.line}, column ${where.column}` : undefined,
      hint: 'Fix the JSON syntax, or restore project.klappe.bak.',
    });
  }
  const { doc, from } = migrate(raw, file);
  return { doc: validateProject(doc, file), migratedFrom: from };
}

/** Schema + integrity validation; throws one input error listing every problem. */
export function validateProject(candidate: unknown, file = PROJECT_FILE): Project {
  const parsed = ProjectSchema.safeParse(candidate);
  let issues: ErrorIssue[];
  if (!parsed.success) {
    issues = parsed.error.issues.map((i) => ({ path: formatJsonPath(i.path), message: describeIssue(i, candidate) }));
  } else {
    issues = checkIntegrity(parsed.data);
  }
  if (issues.length) {
    const first = issues[0]!;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw inputError('PROJECT_INVALID', `${file}: ${first.path}: ${first.message}${more}`, {
      file,
      path: first.path,
      issues,
      hint: 'Fix the listed fields, or restore project.klappe.bak.',
    });
  }
  return parsed.data!;
}

export function describeIssue(issue: { path: PropertyKey[]; message: string; code: string }, root: unknown): string {
  let value: unknown = root;
  for (const seg of issue.path)
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[seg] : undefined;
  const got = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60);
  return `${issue.message} (got ${got})`;
}

/** Absolute path of an imported media file. */
export function resolveMediaPath(projectDir: string, mediaPath: string): string {
  return isAbsolute(mediaPath) ? mediaPath : join(projectDir, mediaPath);
}

/** Imported media referenced by clips that are not on disk: one issue per clip. */
export function findOfflineMedia(loaded: Pick<LoadedProject, 'doc' | 'dir'>): ErrorIssue[] {
  const { doc, dir } = loaded;
  const issues: ErrorIssue[] = [];
  doc.sequence.tracks.forEach((track, ti) =>
    track.clips.forEach((clip, ci) => {
      if (clip.source.type !== 'media') return;
      const mediaId = clip.source.mediaId;
      const mi = doc.media.findIndex((m) => m.id === mediaId);
      const media = doc.media[mi];
      if (!media) return;
      const abs = resolveMediaPath(dir, media.path);
      if (!existsSync(abs)) {
        issues.push({
          path: `sequence.tracks[${ti}].clips[${ci}].source (media[${mi}].path)`,
          message: `expected a media file at ${abs}, but it does not exist`,
        });
      }
    }),
  );
  return issues;
}
