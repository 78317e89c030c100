/**
 * Applying a new document to the normalized store without replacing what did
 * not change: an entity equal to the one held keeps its object, so memoized
 * components (a thousand shot cards, timeline clips) re-render only for what
 * an edit touched.
 */
import type { EntityAdapter, EntityState } from '@reduxjs/toolkit';
import { original } from '@reduxjs/toolkit';

/** Structural equality of JSON-like values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.hasOwn(b, k) || !sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** Makes `draft` hold exactly `next` (in its order), writing only the entities that changed. */
export function reconcileEntities<T extends { id: string }>(adapter: EntityAdapter<T, string>, draft: EntityState<T, string>, next: T[]): void {
  const prev = (original(draft as never) ?? draft) as EntityState<T, string>;
  const nextIds = next.map((e) => e.id);
  const keep = new Set(nextIds);
  const removed = prev.ids.filter((id) => !keep.has(id));
  if (removed.length) adapter.removeMany(draft, removed);
  const changed = next.filter((e) => !sameValue(prev.entities[e.id], e));
  if (changed.length) adapter.setMany(draft, changed);
  if (prev.ids.length !== nextIds.length || prev.ids.some((id, i) => id !== nextIds[i])) draft.ids = nextIds;
}
