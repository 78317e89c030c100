/**
 * Which take of a shot is current (what the storyboard, the timeline, the
 * render and the captions use): the one the shot selects, else the newest
 * ready one, else none (the slate stands in). One rule for the engine and the
 * renderer. Browser-safe.
 */
export interface TakeLike {
  id: string;
  number: number;
  status: string;
}

/** `takes`: the shot's takes, in any order. */
export function pickCurrentTake<T extends TakeLike>(selectedTakeId: string | undefined | null, takes: readonly T[]): T | undefined {
  if (selectedTakeId) return takes.find((t) => t.id === selectedTakeId);
  let newest: T | undefined;
  for (const t of takes) if (t.status === 'ready' && (!newest || t.number > newest.number)) newest = t;
  return newest;
}
