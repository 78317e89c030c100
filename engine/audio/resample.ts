/**
 * Sample-rate conversion by a polyphase windowed-sinc filter (Blackman window,
 * 16 taps each side, cutoff just under the lower Nyquist). Exact rational
 * ratios (16 kHz → 48 kHz is 3/1), deterministic, no float time drift.
 */
import { LruCache } from '../util/lru-cache.js';

const HALF_TAPS = 16;
/** Phase tables by up/down ratio (a few distinct sample rates in practice). */
const tables = new LruCache<string, Float32Array[]>({
  maxEntries: 16,
  maxBytes: 32 * 2 ** 20,
  sizeOf: (t) => t.reduce((n, p) => n + p.byteLength, 0),
});

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Phase table: for output phase p (0..up-1), the 2·HALF_TAPS weights of input samples i0−HALF_TAPS+1 … i0+HALF_TAPS. */
function phaseTable(up: number, down: number): Float32Array[] {
  const key = `${up}/${down}`;
  const cached = tables.get(key);
  if (cached) return cached;
  // Cutoff in input-sample units: below the input's Nyquist when upsampling, the output's when downsampling.
  const fc = 0.95 * Math.min(1, up / down);
  const width = HALF_TAPS / Math.min(1, up / down);
  const taps = 2 * Math.ceil(width);
  const phases: Float32Array[] = [];
  for (let p = 0; p < up; p++) {
    const frac = p / up; // position of the output sample past i0, in input samples
    const w = new Float32Array(taps);
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const t = frac - (k - taps / 2 + 1); // distance from input sample i0 + (k − taps/2 + 1)
      const x = fc * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const u = (t + width) / (2 * width); // 0..1 across the window
      const win = u <= 0 || u >= 1 ? 0 : 0.42 - 0.5 * Math.cos(2 * Math.PI * u) + 0.08 * Math.cos(4 * Math.PI * u);
      w[k] = sinc * win;
      sum += w[k]!;
    }
    for (let k = 0; k < taps; k++) w[k]! /= sum; // unity gain at DC for every phase
    phases.push(w);
  }
  tables.set(key, phases);
  return phases;
}

/** Resamples mono audio from `fromRate` to `toRate`; output length is round(n · to / from). */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input.slice();
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const table = phaseTable(up, down);
  const taps = table[0]!.length;
  const n = input.length;
  const outLen = Math.round((n * up) / down);
  const out = new Float32Array(outLen);
  for (let j = 0; j < outLen; j++) {
    const pos = j * down;
    const i0 = Math.floor(pos / up);
    const w = table[pos - i0 * up]!;
    const first = i0 - taps / 2 + 1;
    let acc = 0;
    if (first >= 0 && first + taps <= n) {
      for (let k = 0; k < taps; k++) acc += w[k]! * input[first + k]!;
    } else {
      for (let k = 0; k < taps; k++) {
        const i = first + k;
        if (i >= 0 && i < n) acc += w[k]! * input[i]!;
      }
    }
    out[j] = acc;
  }
  return out;
}
