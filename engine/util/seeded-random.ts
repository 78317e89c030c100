/**
 * Deterministic randomness: a seeded generator (mulberry32) and a stateless
 * integer hash for "random value number i" without keeping state. Never
 * Math.random in anything that must be reproducible.
 */

/** 32-bit integer hash (lowbias32): well mixed, fast, deterministic. */
export function hash32(x: number): number {
  x = x >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Combines numbers and strings into one 32-bit seed. */
export function mixSeed(...parts: Array<number | string>): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    if (typeof p === 'number') {
      h = hash32(h ^ hash32(Math.floor(p) >>> 0) ^ hash32(Math.floor(p / 4294967296) + 0x632be5ab));
    } else {
      for (let i = 0; i < p.length; i++) h = hash32(h ^ (p.charCodeAt(i) + 0x27d4eb2d));
    }
  }
  return h;
}

/** A seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
