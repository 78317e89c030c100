import { describe, expect, it } from 'vitest';
import { speakScene, type SpokenScene } from '../../engine/audio/scene-speech.js';
import { distinctVoices } from '../../engine/audio/speech/character-voices.js';
import { CharacterSchema } from '../../engine/model/schema.js';
import { frameToSample } from '../../engine/common/time.js';

const rate = { num: 24, den: 1 };
const mia = CharacterSchema.parse({ id: 'mia', name: 'Mia' });
const leo = CharacterSchema.parse({ id: 'leo', name: 'Leo' });
/** A scene as a shot request carries it: each shot with the lines it speaks. */
const spokenScene = (scene: unknown) => scene as SpokenScene;

function scene(dialogue: unknown[], shots = 1) {
  return spokenScene({
    id: 's1',
    number: '1',
    shots: Array.from({ length: shots }, (_, i) => ({
      id: `sh${i}`,
      number: `${i + 1}`,
      sceneStart: i * 48,
      duration: 96,
      camera: { position: [0, 1.6, 4], target: [0, 1, 0] },
      dialogue: i === 0 ? dialogue : [],
    })),
  });
}

describe('speakScene', () => {
  it('places lines at shot start + start frames, or after the previous line, with scene-relative timings', async () => {
    const sc = spokenScene({
      id: 's1',
      number: '1',
      shots: [
        {
          id: 'a',
          number: '1',
          sceneStart: 0,
          duration: 200,
          camera: { position: [0, 1.6, 4], target: [0, 1, 0] },
          dialogue: [
            { id: 'l1', characterId: 'mia', text: 'Watch out.' },
            { id: 'l2', characterId: 'leo', text: 'Careful!' },
          ],
        },
        {
          id: 'b',
          number: '2',
          sceneStart: 30,
          duration: 100,
          camera: { position: [0, 1.6, 2], target: [0, 1, 0] },
          dialogue: [{ id: 'l3', characterId: 'mia', text: 'Sorry.', start: 12 }],
        },
      ],
    });
    const lines = await speakScene(sc, [mia, leo], rate);
    expect(lines.map((l) => l.lineId)).toEqual(['l1', 'l2', 'l3']);
    const [l1, l2, l3] = lines as [(typeof lines)[0], (typeof lines)[0], (typeof lines)[0]];
    expect(l1.sceneStartFrame).toBe(0);
    expect(l2.sceneStartSample).toBe(frameToSample(l2.sceneStartFrame, rate));
    expect(l2.sceneStartSample).toBeGreaterThanOrEqual(l1.endSample + 0.3 * 48000);
    expect(l3.sceneStartFrame).toBe(42);
    expect(l3.startSample).toBe(frameToSample(42, rate));
    for (const l of lines) {
      expect(l.endSample - l.startSample).toBe(l.samples.length);
      expect(l.phonemes[0]!.startSample).toBe(l.startSample);
      for (const w of l.words) {
        expect(w.startSample).toBeGreaterThanOrEqual(l.startSample);
        expect(w.endSample).toBeLessThanOrEqual(l.endSample);
      }
    }
  });

  it('gives characters with the same default voice distinct voices', () => {
    const chars = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => CharacterSchema.parse({ id, name: id }));
    const voices = [...distinctVoices(chars).values()].map((v) => JSON.stringify(v));
    expect(new Set(voices).size).toBe(7);
    const own = CharacterSchema.parse({ id: 'x', name: 'X', voice: { voice: 'awb', pitchHz: 120 } });
    expect(distinctVoices([own]).get('x')).toMatchObject({ voice: 'awb', pitchHz: 120 });
  });

  it('names the shot, line and field for an unknown character', async () => {
    const err = await speakScene(scene([{ id: 'l1', characterId: 'ghost', text: 'Boo' }]), [mia], rate).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNKNOWN_CHARACTER', kind: 'input', path: 'scenes[s1].shots[0].dialogue[0].characterId' });
    const bad = CharacterSchema.parse({ id: 'mia', name: 'Mia', voice: { voice: 'hal9000' } });
    const err2 = await speakScene(scene([{ id: 'l1', characterId: 'mia', text: 'Hi' }]), [bad], rate).catch((e: unknown) => e);
    expect(err2).toMatchObject({
      code: 'UNKNOWN_VOICE',
      kind: 'input',
      path: 'characters[mia].voice.voice',
      message: expect.stringContaining('shot 1, line "l1"'),
    });
  });
});
