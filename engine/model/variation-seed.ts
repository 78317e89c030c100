/**
 * The seed of a shot's next variation ("Generate again"): another performance of the same direction. Pure.
 * A variation seed keeps the shot's own seed below VARIATION_SEED_BASE (its remainder), so a shot's
 * variations never change what the other shots of its scene are asked for (their cache keys).
 */
import type { Project } from './schema.js';

/** Seeds from here up are variations (engine/generate/previz/variation.ts); lower ones are the shot as directed. */
export const VARIATION_SEED_BASE = 1_000_000;

export function isVariationSeed(seed: number): boolean {
  return seed >= VARIATION_SEED_BASE;
}

/** The seed of the shot as directed that a (variation) seed is a performance of. */
export function directedSeed(seed: number): number {
  return seed % VARIATION_SEED_BASE;
}

/** A seed no take of the shot has used yet: the next variation of the shot as directed. */
export function nextVariationSeed(doc: Project, shotId: string): number {
  const shot = doc.scenes.flatMap((s) => s.shots).find((s) => s.id === shotId);
  const own = directedSeed(shot?.seed ?? 0);
  const used = [shot?.seed ?? 0, ...doc.takes.filter((t) => t.shotId === shotId).map((t) => t.seed)];
  const last = Math.max(0, ...used.filter((s) => directedSeed(s) === own).map((s) => Math.floor(s / VARIATION_SEED_BASE)));
  return own + (last + 1) * VARIATION_SEED_BASE;
}
