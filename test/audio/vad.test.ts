import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { decodeMono16k, detectSpeech, detectSpeechInSamples, segmentsFromProbabilities } from '../../engine/audio/vad.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { tempDir } from '../support/env.js';
import { fliteSpeak } from '../support/flite-speech.js';

async function decode48k(file: string): Promise<Float32Array> {
  const { stdout } = await runFfmpeg(['-v', 'error', '-i', file, '-f', 'f32le', '-ac', '1', '-ar', '48000', 'pipe:1'], {
    captureStdout: true,
  });
  return new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.length));
}

const { dir, cleanup } = tempDir('klappe-vad-');
afterAll(cleanup);

let speechFile = '';
let onsetA = 0;
let onsetB = 0;

beforeAll(async () => {
  // 1 s of silence, a sentence, 1.5 s of silence, another sentence, 1 s of silence: 48 kHz stereo
  const a = join(dir, 'a.wav');
  const b = join(dir, 'b.wav');
  const sa = await fliteSpeak('Good morning. Did you sleep well last night?', a);
  const sb = await fliteSpeak('I think the rain will stop soon.', b, 'kal');
  speechFile = join(dir, 'dialogue.wav');
  const pcmA = await decode48k(a);
  const pcmB = await decode48k(b);
  const gapA = 48000,
    gapB = 72000;
  const all = new Float32Array(gapA + pcmA.length + gapB + pcmB.length + 48000);
  all.set(pcmA, gapA);
  all.set(pcmB, gapA + pcmA.length + gapB);
  await runFfmpeg(['-v', 'error', '-f', 'f32le', '-ar', '48000', '-ac', '1', '-i', 'pipe:0', '-ac', '2', speechFile], {
    stdin: Buffer.from(all.buffer),
  });
  onsetA = gapA / 48000 + sa.onsetSeconds;
  onsetB = (gapA + pcmA.length + gapB) / 48000 + sb.onsetSeconds;
});

describe('Silero VAD', () => {
  it('finds the two sentences of real speech, onsets within 100 ms, in 48 kHz samples', async () => {
    const segs = await detectSpeech(speechFile);
    expect(segs.length).toBe(2);
    expect(Math.abs(segs[0]!.startSample / 48000 - onsetA)).toBeLessThan(0.1);
    expect(Math.abs(segs[1]!.startSample / 48000 - onsetB)).toBeLessThan(0.1);
    for (const s of segs) {
      expect(Number.isInteger(s.startSample) && Number.isInteger(s.endSample)).toBe(true);
      expect(s.endSample).toBeGreaterThan(s.startSample);
    }
  });

  it('finds no speech in silence or in steady noise', async () => {
    expect(await detectSpeechInSamples(new Float32Array(16000 * 2))).toEqual([]);
    let seed = 7;
    const noise = new Float32Array(16000 * 2).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed / 0x7fffffff - 0.5) * 0.1;
    });
    expect(await detectSpeechInSamples(noise)).toEqual([]);
  });

  it('decodes any file to 16 kHz mono', async () => {
    const mono = await decodeMono16k(speechFile);
    expect(Math.abs(mono.length / 16000 - onsetB)).toBeLessThan(10);
  });

  it('segments probabilities with hysteresis, minimum lengths and padding', () => {
    const probs = [0, 0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.4, 0.9, 0.9, 0, 0, 0, 0, 0, 0, 0.9, 0];
    const segs = segmentsFromProbabilities(probs, probs.length * 512, { padMs: 0, minSpeechMs: 100, minSilenceMs: 100 });
    expect(segs).toEqual([{ startSample: 2 * 512 * 3, endSample: 13 * 512 * 3 }]);
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(detectSpeech(speechFile, { signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
