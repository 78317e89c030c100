/** The seed of a shot's next variation ("Generate again"): another performance of the same direction. Pure. */
import type { Project } from './schema.js';

/** Seeds from here up are variations (engine/generate/previz/variation.ts); lower ones are the shot as directed. */
export const VARIATION_SEED_BASE = 1_000_000;

export function isVariationSeed(seed: number): boolean {
  return seed >= VARIATION_SEED_BASE;
}

/** A seed no take of the shot has used yet: the next variation. */
export function nextVariationSeed(doc: Project, shotId: string): number {
  const used = doc.takes.filter((t) => t.shotId === shotId).map((t) => t.seed);
  const shot = doc.scenes.flatMap((s) => s.shots).find((s) => s.id === shotId);
  return Math.max(VARIATION_SEED_BASE - 1, shot?.seed ?? 0, ...used) + 1;
}
