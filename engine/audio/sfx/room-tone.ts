/**
 * Room tone: seeded noise with a gentle (pink, rolled-off) spectrum at a level
 * in dBFS RMS. The noise is a pure function of (seed, channel, scene sample),
 * so two shots covering the same scene time get the same tone.
 */
import { hash32 } from '../../util/seeded-random.js';

const WARMUP = 4096;
let unitRms: number | undefined;

function whiteAt(seed: number, channel: number, sample: number): number {
  return hash32(hash32((seed ^ Math.imul(channel + 1, 0x9e3779b1)) >>> 0) ^ (sample >>> 0)) / 2147483648 - 1;
}

/** Unscaled tone for scene samples [start, start+length). */
function rawTone(seed: number, channel: number, start: number, length: number): Float32Array {
  const out = new Float32Array(length);
  // Paul Kellet's pink filter, a high-pass at ~40 Hz and a low-pass at ~5 kHz.
  let b0 = 0,
    b1 = 0,
    b2 = 0,
    hp = 0,
    lp = 0,
    prevPink = 0;
  const hpA = Math.exp((-2 * Math.PI * 40) / 48000);
  const lpA = 1 - Math.exp((-2 * Math.PI * 5000) / 48000);
  for (let i = -WARMUP; i < length; i++) {
    const w = whiteAt(seed, channel, start + i);
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    b2 = 0.57 * b2 + w * 1.0526913;
    const pink = b0 + b1 + b2 + w * 0.1848;
    hp = hpA * (hp + pink - prevPink);
    prevPink = pink;
    lp += lpA * (hp - lp);
    if (i >= 0) out[i] = lp;
  }
  return out;
}

/**
 * Tone is made in fixed blocks of scene time (each filtered from its own
 * warm-up), so a sample's value depends only on where it is in the scene —
 * never on where the shot starts.
 */
const BLOCK = 16384;

/** One channel of room tone at `db` dBFS RMS for scene samples [start, start+length). */
export function roomTone(db: number, seed: number, channel: number, start: number, length: number): Float32Array {
  unitRms ??= measureUnitRms();
  const out = new Float32Array(length);
  for (let b = Math.floor(start / BLOCK); b * BLOCK < start + length; b++) {
    const block = rawTone(seed, channel, b * BLOCK, BLOCK);
    const from = Math.max(start, b * BLOCK);
    const to = Math.min(start + length, (b + 1) * BLOCK);
    out.set(block.subarray(from - b * BLOCK, to - b * BLOCK), from - start);
  }
  const g = 10 ** (db / 20) / unitRms;
  for (let i = 0; i < length; i++) out[i]! *= g;
  return out;
}

function measureUnitRms(): number {
  const x = rawTone(12345, 0, 0, 96000);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / x.length);
}
