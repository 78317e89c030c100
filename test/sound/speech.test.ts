import { describe, expect, it } from 'vitest';
import { fliteEngine } from '../../engine/audio/speech/flite-engine.js';
import { getSpeechEngine } from '../../engine/audio/speech/registry.js';
import { isKlappeError } from '../../engine/common/errors.js';
import type { Voice } from '../../engine/model/schema.js';
import { medianPitchHz, rms } from './pitch.js';

const slt: Voice = { engine: 'flite', voice: 'slt', rate: 1 };

describe('flite speech engine', () => {
  it('speaks a sentence at 48 kHz with increasing phone times and ordered word timings inside the audio', async () => {
    const line = await fliteEngine.synthesize('Careful, the cup is falling!', slt);
    expect(line.engine).toBe('flite');
    expect(line.samples.length).toBeGreaterThan(48000 * 0.8);
    expect(rms(line.samples)).toBeGreaterThan(0.01);
    const ph = line.phonemes;
    expect(ph.length).toBeGreaterThan(10);
    expect(ph[0]!.startSample).toBe(0);
    for (let i = 1; i < ph.length; i++) {
      expect(ph[i]!.startSample).toBe(ph[i - 1]!.endSample);
      expect(ph[i]!.endSample).toBeGreaterThanOrEqual(ph[i]!.startSample);
    }
    expect(ph.at(-1)!.endSample).toBeLessThanOrEqual(line.samples.length);
    expect(line.words.map((w) => w.text)).toEqual(['Careful', 'the', 'cup', 'is', 'falling']);
    for (let i = 0; i < line.words.length; i++) {
      const w = line.words[i]!;
      expect(w.endSample).toBeGreaterThan(w.startSample);
      expect(w.endSample).toBeLessThanOrEqual(line.samples.length);
      if (i > 0) expect(w.startSample).toBeGreaterThanOrEqual(line.words[i - 1]!.endSample);
    }
    // "cup" is k ah p: its span holds those phones, and the word has sound in it.
    const cup = line.words[2]!;
    const inside = ph.filter((p) => p.startSample >= cup.startSample && p.endSample <= cup.endSample).map((p) => p.text);
    expect(inside).toEqual(['k', 'ah', 'p']);
    expect(rms(line.samples, cup.startSample, cup.endSample)).toBeGreaterThan(0.02);
    // The comma's pause is silent-ish compared with the words.
    const pause = ph.find((p, i) => i > 0 && p.text === 'pau')!;
    expect(rms(line.samples, pause.startSample, pause.endSample)).toBeLessThan(rms(line.samples, cup.startSample, cup.endSample) / 3);
  });

  it('gives two characters measurably different voices by pitch and rate', async () => {
    const text = 'We should go home now, before the rain comes.';
    const low = await fliteEngine.synthesize(text, { ...slt, pitchHz: 140 });
    const high = await fliteEngine.synthesize(text, { ...slt, pitchHz: 260, rate: 1.3 });
    const pLow = medianPitchHz(low.samples);
    const pHigh = medianPitchHz(high.samples);
    expect(pLow).toBeGreaterThan(80);
    expect(pHigh / pLow).toBeGreaterThan(1.4);
    expect(high.samples.length).toBeLessThan(low.samples.length * 0.9);
    const kal = await fliteEngine.synthesize(text, { ...slt, voice: 'kal' });
    expect(kal.voice).toBe('kal');
    const pKal = medianPitchHz(kal.samples);
    const pSlt = medianPitchHz((await fliteEngine.synthesize(text, slt)).samples);
    expect(Math.abs(pKal - pSlt) / pSlt).toBeGreaterThan(0.15);
  });

  it('caches a line by text and voice, and hands out copies', async () => {
    const a = await fliteEngine.synthesize('Hello there.', slt);
    const t = performance.now();
    const b = await fliteEngine.synthesize('Hello there.', slt);
    expect(performance.now() - t).toBeLessThan(50);
    expect(Buffer.from(b.samples.buffer).equals(Buffer.from(a.samples.buffer))).toBe(true);
    a.samples[0] = 5;
    expect(b.samples[0]).not.toBe(5);
  });

  it('rejects an unknown voice and an unknown engine as input errors naming the field', async () => {
    const err = await fliteEngine.synthesize('Hi', { ...slt, voice: 'nobody' }).catch((e: unknown) => e);
    expect(isKlappeError(err) && err.kind === 'input' && err.path === 'voice.voice').toBe(true);
    expect(() => getSpeechEngine('nope')).toThrow(/no speech engine called "nope"/);
    expect(getSpeechEngine('flite')).toBe(fliteEngine);
  });
});
