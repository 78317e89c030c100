import { describe, expect, it } from 'vitest';
import { resample } from '../../engine/audio/resample.js';
import { decodeWav, encodeWav } from '../../engine/audio/wav.js';
import { isKlappeError } from '../../engine/common/errors.js';

describe('wav', () => {
  it('round-trips interleaved stereo through 16-bit PCM and clamps overs', () => {
    const x = new Float32Array([0, 0.5, -0.5, 1.5, -2, 0.25]);
    const buf = encodeWav(x, 2);
    expect(buf.length).toBe(44 + 12);
    const d = decodeWav(buf);
    expect(d).toMatchObject({ sampleRate: 48000, channels: 2 });
    expect(d.samples.length).toBe(6);
    expect(d.samples[1]).toBeCloseTo(0.5, 3);
    expect(d.samples[3]).toBeCloseTo(1, 3);
    expect(d.samples[4]).toBe(-1);
  });

  it('says why a file is not a WAV it can read', () => {
    const err = (() => {
      try {
        decodeWav(Buffer.from('not a wav file at all'));
      } catch (e) {
        return e;
      }
    })();
    expect(isKlappeError(err) && err.kind === 'input' && /RIFF/.test(err.message)).toBe(true);
    const bad = encodeWav(new Float32Array(4), 1);
    bad.writeUInt16LE(7, 20);
    expect(() => decodeWav(bad)).toThrow(/unsupported WAV sample format 7/);
  });
});

describe('resample', () => {
  it('upsamples 16 kHz to 48 kHz keeping a tone’s frequency and level', () => {
    const n = 1600;
    const x = new Float32Array(n).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000));
    const y = resample(x, 16000, 48000);
    expect(y.length).toBe(3 * n);
    for (let j = 300; j < y.length - 300; j += 37) expect(y[j]).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 440 * j) / 48000), 2);
    const y2 = resample(x, 16000, 44100);
    expect(y2.length).toBe(Math.round((n * 44100) / 16000));
  });
});
