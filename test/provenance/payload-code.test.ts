import { describe, expect, it } from 'vitest';
import { CODE_BITS, decodePayload, encodePayload, hasValidCheck, makeExportId } from '../../engine/provenance/payload-code.js';

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

describe('watermark payload code', () => {
  it('recovers a 32-bit id exactly with a fifth of the raw bits wrong in every frame', () => {
    for (const id of [0, 1, 0xdeadbeef, 0x7fffffff, 0x12345678]) {
      const frames = [1, 2, 3, 4, 5, 6].map((k) => scoresFor(id, Math.round(CODE_BITS * 0.2), k * 7919 + id));
      const d = decodePayload(frames);
      expect(d.found).toBe(true);
      expect(d.id >>> 0).toBe(id >>> 0);
    }
  });

  it('reports nothing found for frames with no mark (weak, random scores)', () => {
    const frames = [1, 2, 3, 4].map((k) => scoresFor(0xabcdef01, CODE_BITS / 2, k, 0.4));
    expect(decodePayload(frames).found).toBe(false);
    expect(decodePayload([]).found).toBe(false);
  });

  it('export ids carry a check byte, and a decoded id with one uncertain wrong bit is repaired by it', () => {
    const id = makeExportId(0x1d212a);
    expect(hasValidCheck(id)).toBe(true);
    expect(hasValidCheck((id ^ 0x100) >>> 0)).toBe(false);
    // bit 8 of the id barely decided the wrong way in every frame: the check byte puts it right
    const frames = [1, 2, 3, 4, 5, 6].map((k) => {
      const f = scoresFor(id, 0, k * 31 + 7);
      const wrong = encodePayload((id ^ 0x100) >>> 0);
      const right = encodePayload(id);
      for (let i = 0; i < CODE_BITS; i++) if (wrong[i] !== right[i]) f[i] = 0.52 + (wrong[i] ? 1 : -1) * 0.05;
      return f;
    });
    const d = decodePayload(frames);
    expect(d.found).toBe(true);
    expect(d.id >>> 0).toBe(id);
  });
});
