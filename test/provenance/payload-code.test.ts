import { describe, expect, it } from 'vitest';
import { CODE_BITS, decodePayload, encodePayload, hasValidCheck, makeExportId } from '../../engine/provenance/payload-code.js';

/** A seeded uniform random source in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** Scores as RivaGAN gives them: ±strength around the threshold, with `wrong` raw bits flipped per frame. */
function scoresFor(id: number, wrong: number, seed: number, strength = 4): Float32Array {
  const bits = encodePayload(id);
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const out = new Float32Array(CODE_BITS);
  const flip = new Set<number>();
  while (flip.size < wrong) flip.add(Math.floor(rand() * CODE_BITS));
  for (let i = 0; i < CODE_BITS; i++) {
    const b = flip.has(i) ? 1 - bits[i]! : bits[i]!;
    out[i] = 0.52 + (b ? 1 : -1) * strength * (0.3 + rand());
  }
  return out;
}

/** Frames of a strong reading of `id` in which the raw bits of each id bit in `weak` lean `toward` with `margin`. */
function strongReadingWith(id: number, weak: Array<{ bit: number; toward: 0 | 1; margin: number }>): Float32Array[] {
  return [1, 2, 3, 4, 5, 6].map((k) => {
    const f = scoresFor(id, 0, k * 31 + 7);
    for (const { bit, toward, margin } of weak) {
      const leaning = encodePayload(toward ? (id | (1 << bit)) >>> 0 : (id & ~(1 << bit)) >>> 0);
      const right = encodePayload(id);
      const other = encodePayload((id ^ (1 << bit)) >>> 0);
      for (let i = 0; i < CODE_BITS; i++) if (other[i] !== right[i]) f[i] = 0.52 + (leaning[i] ? 1 : -1) * margin;
    }
    return f;
  });
}

/**
 * A reading as a weak or marginal copy gives it (a crop read at the wrong
 * place, a flat film): each tile gets a share `quality` of its raw bits right
 * (spread between tiles), and the content decides the errors, so every frame
 * repeats them, with a tenth varying from frame to frame; every score confident.
 */
function marginalReading(id: number, seed: number, quality: number): Float32Array[] {
  const rand = random(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const bits = encodePayload(id);
  const seen = new Uint8Array(CODE_BITS);
  const size = new Float32Array(CODE_BITS);
  for (let t = 0; t < 8; t++) {
    const q = Math.min(0.98, Math.max(0.2, quality + 0.15 * gauss()));
    for (let p = 0; p < 32; p++) {
      const i = t * 32 + p;
      seen[i] = rand() < q ? bits[i]! : 1 - bits[i]!;
      size[i] = 1 + 6 * rand();
    }
  }
  return Array.from({ length: 8 }, () =>
    Float32Array.from(seen, (b, i) => 0.52 + ((rand() < 0.1 ? 1 - b : b) ? 1 : -1) * Math.max(0.05, size[i]! + gauss())),
  );
}

describe('watermark payload code', () => {
  it('recovers an export id exactly with a fifth of the raw bits wrong in every frame', () => {
    for (const id of [0, 0x1d212a, 0xffffff, 0x7fffff, 0x123456].map(makeExportId)) {
      const frames = [1, 2, 3, 4, 5, 6].map((k) => scoresFor(id, Math.round(CODE_BITS * 0.2), k * 7919 + id));
      const d = decodePayload(frames);
      expect(d.found).toBe(true);
      expect(d.repaired).toBe(0);
      expect(d.id >>> 0).toBe(id >>> 0);
    }
  });

  it('reports nothing found for frames with no mark (weak, random scores)', () => {
    const frames = [1, 2, 3, 4].map((k) => scoresFor(0xabcdef01, CODE_BITS / 2, k, 0.4));
    expect(decodePayload(frames).found).toBe(false);
    expect(decodePayload([]).found).toBe(false);
  });

  it('reports no id whose check byte fails, however clearly its bits are read (a wrong id is worse than none)', () => {
    const id = (makeExportId(0x1d212a) ^ 0x0100_0000) >>> 0;
    expect(hasValidCheck(id)).toBe(false);
    const d = decodePayload([1, 2, 3, 4, 5, 6].map((k) => scoresFor(id, 0, k)));
    expect(d.agreement).toBeGreaterThan(0.99);
    expect(d.found).toBe(false);
  });

  it('export ids carry a check byte, and a strong reading with one uncertain wrong bit is repaired by it', () => {
    const id = makeExportId(0x1d212a);
    expect(hasValidCheck(id)).toBe(true);
    expect(hasValidCheck((id ^ 0x100) >>> 0)).toBe(false);
    // bit 8 of the id barely decided the wrong way in every frame: the check byte puts it right
    const d = decodePayload(strongReadingWith(id, [{ bit: 8, toward: idBitOf(id, 8) ? 0 : 1, margin: 0.05 }]));
    expect(d.found).toBe(true);
    expect(d.repaired).toBe(1);
    expect(d.id >>> 0).toBe(id);
  });

  it('repairs only when the flipped bit is clearly the weakest: another bit nearly as uncertain leaves no id', () => {
    const id = makeExportId(0x1d212a);
    const wrong8 = { bit: 8, toward: idBitOf(id, 8) ? 0 : 1, margin: 0.05 } as const;
    // bit 20 is read right, but hardly more surely than bit 8 is read wrong: which one is in error is a guess
    const d = decodePayload(strongReadingWith(id, [wrong8, { bit: 20, toward: idBitOf(id, 20), margin: 0.08 }]));
    expect(d.found).toBe(false);
    // with bit 20 read clearly, bit 8 alone is in doubt and the repair stands
    const clear = decodePayload(strongReadingWith(id, [wrong8, { bit: 20, toward: idBitOf(id, 20), margin: 2 }]));
    expect(clear.found).toBe(true);
    expect(clear.id >>> 0).toBe(id);
  });

  it('never reports a wrong id from weak or marginal readings (800 seeded readings around the threshold)', () => {
    const counts = { right: 0, repaired: 0, none: 0, wrong: 0 };
    for (let seed = 1; seed <= 800; seed++) {
      const rand = random(seed * 2654435761);
      const id = makeExportId(Math.floor(rand() * 2 ** 24));
      const d = decodePayload(marginalReading(id, seed, 0.55 + 0.25 * rand()));
      if (!d.found) counts.none++;
      else if (d.id >>> 0 !== id) counts.wrong++;
      else if (d.repaired) counts.repaired++;
      else counts.right++;
    }
    console.log(`marginal readings: ${JSON.stringify(counts)}`);
    expect(counts.wrong).toBe(0);
    // the strong ones among them still read, some only with the check byte's repair
    expect(counts.right).toBeGreaterThan(50);
    expect(counts.repaired).toBeGreaterThan(0);
  });
});

function idBitOf(id: number, bit: number): 0 | 1 {
  return ((id >>> bit) & 1) as 0 | 1;
}
