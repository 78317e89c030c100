import { describe, expect, it } from 'vitest';
import { resample } from '../../engine/audio/resample.js';
import { fliteEngine } from '../../engine/audio/speech/flite-engine.js';
import { mouthAt } from '../../engine/audio/speech/visemes.js';
import { detectSpeechInSamples } from '../../engine/audio/vad.js';

const FRAME_24 = 2000; // samples per frame at 24 fps

describe('lip sync against a voice detector', () => {
  it('the mouth starts opening within one frame of where Silero VAD hears speech start', async () => {
    for (const [text, voice] of [
      ['Careful! That was my favourite.', 'slt'],
      ['Watch this!', 'kal'],
      ['You missed by a mile.', 'rms'],
    ] as const) {
      const line = await fliteEngine.synthesize(text, { engine: 'flite', voice, rate: 1 });
      const vad = await detectSpeechInSamples(resample(line.samples, 48000, 16000), { threshold: 0.3 });
      expect(vad.length, text).toBeGreaterThan(0);
      // As a picture shows it: the mouth at each frame's first sample, open when a fifth of the way open.
      let open = -1;
      for (let f = 0; f * FRAME_24 < line.samples.length && open < 0; f++)
        if (mouthAt(line.phonemes, f * FRAME_24).open > 0.2) open = f * FRAME_24;
      expect(
        Math.abs(Math.floor(open / FRAME_24) - Math.floor(vad[0]!.startSample / FRAME_24)),
        `${text}: mouth ${open}, VAD ${vad[0]!.startSample}`,
      ).toBeLessThanOrEqual(1);
      // And the mouth is at rest after the last speech the detector found.
      expect(mouthAt(line.phonemes, vad.at(-1)!.endSample + FRAME_24).open, text).toBe(0);
    }
  });
});
