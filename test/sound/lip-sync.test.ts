import { describe, expect, it } from 'vitest';
import { resample } from '../../engine/audio/resample.js';
import { fliteEngine } from '../../engine/audio/speech/flite-engine.js';
import { mouthAt } from '../../engine/audio/speech/visemes.js';
import { detectSpeechInSamples } from '../../engine/audio/vad.js';

const FRAME_24 = 2000; // samples per frame at 24 fps

describe('lip sync against a voice detector', () => {
  it('the mouth starts opening within one frame of where Silero VAD hears speech start', async () => {
    for (const [text, voice] of [['Careful! That was my favourite.', 'slt'], ['Watch this!', 'kal'], ['You missed by a mile.', 'rms']] as const) {
      const line = await fliteEngine.synthesize(text, { engine: 'flite', voice, rate: 1 });
      const vad = await detectSpeechInSamples(resample(line.samples, 48000, 16000), { padMs: 0 });
      expect(vad.length, text).toBeGreaterThan(0);
      let open = -1;
      for (let s = 0; s < line.samples.length && open < 0; s += 48) if (mouthAt(line.phonemes, s).open > 0.1) open = s;
      // Measured: the mouth leads the detector by 6–25 ms (anticipation), well inside a frame.
      expect(Math.abs(open - vad[0]!.startSample), `${text}: mouth ${open}, VAD ${vad[0]!.startSample}`).toBeLessThan(FRAME_24);
      // And the mouth is at rest after the last speech the detector found.
      expect(mouthAt(line.phonemes, vad.at(-1)!.endSample + FRAME_24).open, text).toBe(0);
    }
  });
});
