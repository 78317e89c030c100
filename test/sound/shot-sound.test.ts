import { describe, expect, it } from 'vitest';
import type { ScheduledLine } from '../../engine/audio/scene-speech.js';
import type { ContactEvent } from '../../engine/audio/sfx/contact-event.js';
import { synthFootstep } from '../../engine/audio/sfx/footstep.js';
import { synthImpact } from '../../engine/audio/sfx/impact.js';
import { renderShotAudio, type Listener, type ShotSoundInput } from '../../engine/audio/shot-sound.js';
import { encodeWav } from '../../engine/audio/wav.js';
import { frameToSample, sampleToFrame } from '../../engine/common/time.js';
import { rms } from './pitch.js';

const rate = { num: 24, den: 1 };
const wide: Listener = { position: [0, 1.6, 6], forward: [0, 0, -1], right: [1, 0, 0] };
// A close-up from the cup's left: the cup is 1.2 m to the camera's right.
const closeLeft: Listener = { position: [-0.2, 0.3, 0], forward: [0, 0, -1], right: [1, 0, 0] };

function contact(sceneSample: number, over: Partial<ContactEvent> = {}): ContactEvent {
  return {
    sceneSample,
    sceneFrame: sampleToFrame(sceneSample, rate),
    impulse: 1.5,
    a: 'cup',
    b: 'floor',
    materialA: 'ceramic',
    materialB: 'floor',
    position: [1, 0.05, 0],
    kind: 'impact',
    ...over,
  };
}

function input(over: Partial<ShotSoundInput> = {}): ShotSoundInput {
  return {
    rate,
    shotStartFrame: 24,
    shotFrames: 48,
    lines: [],
    contacts: [],
    sourcePosition: () => [0, 1.6, 0],
    listener: () => wide,
    roomToneDb: -60,
    seed: 7,
    ...over,
  };
}

function channel(x: Float32Array, ch: number): Float32Array {
  return x.filter((_, i) => i % 2 === ch);
}

function diff(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, i) => v - b[i]!);
}

function peakAbs(x: Float32Array): number {
  let p = 0;
  for (const v of x) p = Math.max(p, Math.abs(v));
  return p;
}

function firstNonZero(x: Float32Array): number {
  return x.findIndex((v) => Math.abs(v) > 1e-6);
}

describe('renderShotAudio', () => {
  it('returns exactly the shot’s samples, interleaved stereo', () => {
    const r = { num: 30000, den: 1001 };
    const out = renderShotAudio(input({ rate: r, shotStartFrame: 7, shotFrames: 31 }));
    expect(out.length).toBe(2 * (frameToSample(38, r) - frameToSample(7, r)));
  });

  it('starts a contact’s sound on exactly its sample (also for one that began before the shot)', () => {
    const s0 = frameToSample(24, rate);
    const at = s0 + 12345;
    const base = renderShotAudio(input());
    const withHit = renderShotAudio(input({ contacts: [contact(at)] }));
    const d = diff(withHit, base);
    expect(Math.floor(firstNonZero(d) / 2)).toBe(12345);
    // Loud at once: within 2 ms it is near its peak (the contact's own short attack).
    const left = channel(d, 0);
    expect(peakAbs(left.subarray(12345, 12345 + 96))).toBeGreaterThan(0.5 * peakAbs(left));
    const before = renderShotAudio(input({ contacts: [contact(s0 - 2000, { materialA: 'metal' })] }));
    expect(firstNonZero(diff(before, base))).toBeLessThan(2);
  });

  it('the same crash differs between a wide and a close-up: level and pan', () => {
    const at = frameToSample(30, rate);
    const c = [contact(at)];
    const dw = diff(renderShotAudio(input({ contacts: c })), renderShotAudio(input()));
    const dc = diff(
      renderShotAudio(input({ contacts: c, listener: () => closeLeft })),
      renderShotAudio(input({ listener: () => closeLeft })),
    );
    const [wl, wr, cl, cr] = [rms(channel(dw, 0)), rms(channel(dw, 1)), rms(channel(dc, 0)), rms(channel(dc, 1))];
    expect(cl + cr).toBeGreaterThan(2 * (wl + wr));
    expect(cr / cl).toBeGreaterThan(3); // hard right in the close-up
    expect(wr / wl).toBeGreaterThan(1); // a little right in the wide
    expect(wr / wl).toBeLessThan(2);
  });

  it('plays room tone at the set’s level and identically in overlapping shots', () => {
    const out = renderShotAudio(input({ roomToneDb: -40 }));
    const db = 20 * Math.log10(rms(channel(out, 0)));
    expect(Math.abs(db + 40)).toBeLessThan(1.5);
    const later = renderShotAudio(input({ roomToneDb: -40, shotStartFrame: 48, shotFrames: 24 }));
    const offset = 2 * (frameToSample(48, rate) - frameToSample(24, rate));
    expect(Array.from(later.subarray(0, 200))).toEqual(Array.from(out.subarray(offset, offset + 200)));
  });

  it('places dialogue at its sample and pans it from the speaker', () => {
    const samples = new Float32Array(4800).map((_, i) => 0.5 * Math.sin(i / 10));
    const line: ScheduledLine = {
      lineId: 'l1',
      characterId: 'mia',
      text: 'x',
      startSample: 0,
      endSample: 0,
      words: [],
      phonemes: [],
      samples,
      sceneStartSample: frameToSample(26, rate) + 5,
      sceneStartFrame: 26,
    };
    const args = { lines: [line], sourcePosition: (): [number, number, number] => [-2, 1.6, 3] };
    const d = diff(renderShotAudio(input(args)), renderShotAudio(input()));
    expect(Math.floor(firstNonZero(d) / 2)).toBe(frameToSample(26, rate) + 5 - frameToSample(24, rate) + 1); // sin(0) = 0 at the first sample
    expect(rms(channel(d, 0))).toBeGreaterThan(rms(channel(d, 1)) * 1.5);
  });

  it('never clips, and is deterministic to the byte', () => {
    const s0 = frameToSample(24, rate);
    const many = Array.from({ length: 16 }, (_, i) =>
      contact(s0 + 100 + i * 3, { impulse: 50, position: [0, 1.6, 5.5], materialA: 'metal', materialB: 'glass' }),
    );
    const a = renderShotAudio(input({ contacts: many, listener: () => wide }));
    expect(peakAbs(a)).toBeLessThan(1);
    const b = renderShotAudio(input({ contacts: many, listener: () => wide }));
    expect(encodeWav(a, 2).equals(encodeWav(b, 2))).toBe(true);
  });
});

describe('contact sounds', () => {
  function zeroCrossingRate(x: Float32Array): number {
    let z = 0;
    for (let i = 1; i < x.length; i++) if (x[i - 1]! < 0 !== x[i]! < 0) z++;
    return z / x.length;
  }
  function decayMs(x: Float32Array): number {
    const peak = peakAbs(x);
    let last = 0;
    for (let i = 0; i < x.length; i++) if (Math.abs(x[i]!) > peak * 0.01) last = i;
    return last / 48;
  }
  it('sound like their materials: glass brighter than rubber, metal rings longer than wood, harder hits louder', () => {
    const hit = (materialA: ContactEvent['materialA'], materialB: ContactEvent['materialB'], impulse = 1) =>
      synthImpact({ materialA, materialB, impulse, seed: 3 });
    expect(zeroCrossingRate(hit('glass', 'ceramic'))).toBeGreaterThan(3 * zeroCrossingRate(hit('rubber', 'floor')));
    expect(decayMs(hit('metal', 'metal'))).toBeGreaterThan(3 * decayMs(hit('wood', 'wood')));
    expect(peakAbs(hit('wood', 'floor', 3))).toBeGreaterThan(1.5 * peakAbs(hit('wood', 'floor', 0.2)));
    expect(Buffer.from(hit('wood', 'floor').buffer).equals(Buffer.from(hit('wood', 'floor').buffer))).toBe(true);
  });

  it('makes footsteps with a heel and a toe, different by floor', () => {
    const wood = synthFootstep('wood', 40, 1);
    const tile = synthFootstep('ceramic', 40, 1);
    const grass = synthFootstep('grass', 40, 1);
    expect(wood.length).toBeGreaterThan(0.05 * 48000);
    // The toe lands 50–90 ms after the heel: a second burst of energy there.
    const heel = rms(wood, 0, 480);
    let toe = 0;
    for (let at = 2400; at < 4320; at += 48) toe = Math.max(toe, rms(wood, at, at + 240));
    expect(toe).toBeGreaterThan(0.1 * heel);
    expect(zeroCrossingRate(tile)).toBeGreaterThan(1.5 * zeroCrossingRate(grass));
  });
});
