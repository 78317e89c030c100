/**
 * "Delete everything with me": the owner deletes a cameo; every cached take
 * that shows it (in the projects given: the open one and the recent ones) loses
 * its media from the cache, and the library records what was removed.
 */
import type { CacheIndex } from '../cache/cache-index.js';
import { takeMediaHashes } from '../cache/cache-index.js';
import type { Project } from '../model/schema.js';
import type { SigningIdentity } from '../provenance/identity.js';
import { cameosOfShot } from './consent-check.js';
import type { CameoEntry, CameoLibrary } from './library.js';

/** Takes of a project whose shot shows the cameo. */
export function takesUsingCameo(doc: Project, cameoId: string): Project['takes'] {
  const shows = new Map<string, boolean>();
  return doc.takes.filter((t) => {
    if (!shows.has(t.shotId))
      shows.set(
        t.shotId,
        cameosOfShot(doc, t.shotId).some((c) => c.cameoId === cameoId),
      );
    return shows.get(t.shotId);
  });
}

export async function deleteCameoEverywhere(
  ref: string,
  ctx: { library: CameoLibrary; index: CacheIndex; identity: SigningIdentity; projects: Project[] },
): Promise<{ entry: CameoEntry; removedMedia: string[]; takes: number }> {
  const cameoId = ctx.library.resolve(ref).consent.body.cameoId;
  const hashes = new Set<string>();
  let takes = 0;
  for (const doc of ctx.projects)
    for (const t of takesUsingCameo(doc, cameoId)) {
      takes++;
      for (const h of takeMediaHashes(t.media)) hashes.add(h);
    }
  const removed: string[] = [];
  for (const h of hashes) {
    if (ctx.index.store.remove(h)) removed.push(h);
    ctx.index.setStatus(h, 'evicted');
  }
  const entry = await ctx.library.delete(cameoId, ctx.identity, removed);
  return { entry, removedMedia: removed, takes };
}
