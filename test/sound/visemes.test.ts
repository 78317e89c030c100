import { describe, expect, it } from 'vitest';
import type { TimedUnit } from '../../engine/audio/speech/speech-engine.js';
import { mouthAt, phoneToViseme, VISEME_SHAPES } from '../../engine/audio/speech/visemes.js';

// "pau m aa p iy pau": 100 ms silence, then 80 ms phones.
const phones: TimedUnit[] = [];
let t = 0;
for (const [p, ms] of [
  ['pau', 100],
  ['m', 80],
  ['aa', 120],
  ['p', 80],
  ['iy', 120],
  ['uw', 100],
  ['pau', 100],
] as const) {
  const len = ms * 48;
  phones.push({ text: p, startSample: t, endSample: t + len });
  t += len;
}
const mid = (i: number): number => (phones[i]!.startSample + phones[i]!.endSample) / 2;

describe('visemes', () => {
  it('maps at least six distinct shapes from ARPAbet', () => {
    const shapes = new Set(['m', 'f', 'aa', 'iy', 'uw', 'l', 'w', 'k', 'pau'].map(phoneToViseme));
    expect(shapes.size).toBeGreaterThanOrEqual(6);
    expect(phoneToViseme('AA1')).toBe('AA');
  });

  it('opens in vowels, closes on m/b/p, rests in silence and outside the line', () => {
    expect(mouthAt(phones, 1000)).toEqual({ viseme: 'rest', open: 0, wide: VISEME_SHAPES.rest.wide });
    expect(mouthAt(phones, mid(0)).open).toBe(0);
    expect(mouthAt(phones, -5).viseme).toBe('rest');
    expect(mouthAt(phones, t + 100).open).toBe(0);
    expect(mouthAt(phones, mid(1))).toMatchObject({ viseme: 'MBP', open: 0 });
    expect(mouthAt(phones, mid(3))).toMatchObject({ viseme: 'MBP', open: 0 });
    expect(mouthAt(phones, mid(2))).toMatchObject({ viseme: 'AA', open: 1 });
    expect(mouthAt(phones, mid(4)).viseme).toBe('EE');
    expect(mouthAt(phones, mid(4)).wide).toBeGreaterThan(mouthAt(phones, mid(5)).wide + 0.5);
    expect(mouthAt(phones, mid(6)).open).toBe(0);
  });

  it("keeps the mouth at rest through a stop consonant's silent closure after a pause, and anticipates other sounds by 40 ms", () => {
    const k: TimedUnit[] = [
      { text: 'pau', startSample: 0, endSample: 4800 },
      { text: 'k', startSample: 4800, endSample: 9600 },
      { text: 'aa', startSample: 9600, endSample: 14400 },
    ];
    expect(mouthAt(k, 5500).open).toBe(0); // 15 ms into the closure
    expect(mouthAt(k, 9600 - 2880 - 1000).open).toBe(0); // until 60 ms before the release
    expect(mouthAt(k, 9500).open).toBeGreaterThan(0.2);
    expect(mouthAt(k, 12000).open).toBe(1);
    const w: TimedUnit[] = [
      { text: 'pau', startSample: 0, endSample: 9600 },
      { text: 'aa', startSample: 9600, endSample: 19200 },
    ];
    expect(mouthAt(w, 9600 - 1920).open).toBeCloseTo(0.5, 1);
    expect(mouthAt(w, 9600).open).toBe(1);
    expect(mouthAt(w, 5000).open).toBe(0);
  });

  it('moves smoothly: no jump bigger than a few percent per millisecond', () => {
    let prev = mouthAt(phones, 0);
    for (let s = 48; s < t; s += 48) {
      const m = mouthAt(phones, s);
      expect(Math.abs(m.open - prev.open)).toBeLessThan(0.08);
      expect(Math.abs(m.wide - prev.wide)).toBeLessThan(0.08);
      prev = m;
    }
  });
});
