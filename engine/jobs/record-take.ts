/**
 * Records a finished take in its project: re-load the file (so edits made while
 * the job ran are kept), apply `take.add`, save atomically. A take with the same
 * cache key and video already there is reused, so a resumed job never adds twice.
 */
import type { CachedTake } from '../cache/cache-index.js';
import { applyCommand } from '../model/commands/index.js';
import { loadProject, saveProject } from '../model/project-file.js';

export function existingTake(doc: import('../model/schema.js').Project, shotId: string, entry: Pick<CachedTake, 'cacheKey' | 'media'>) {
  return doc.takes.find((t) => t.shotId === shotId && t.cacheKey === entry.cacheKey && t.media.video === entry.media.video);
}

export function recordTake(projectFile: string, shotId: string, entry: CachedTake, opts: { fallbackReason?: string; select?: boolean } = {}): string {
  const { doc } = loadProject(projectFile);
  const have = existingTake(doc, shotId, entry);
  if (have) return have.id;
  const { cacheKey, ...rest } = entry;
  const applied = applyCommand(doc, {
    type: 'take.add',
    select: opts.select ?? false,
    take: {
      ...rest, cacheKey, shotId, status: 'ready', createdAt: new Date().toISOString(),
      ...(opts.fallbackReason ? { fallbackReason: opts.fallbackReason } : {}),
    },
  });
  saveProject(projectFile, applied.doc);
  const added = applied.doc.takes[applied.doc.takes.length - 1]!;
  return added.id;
}
