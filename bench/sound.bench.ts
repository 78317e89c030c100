/** Sound benchmarks: speech synthesis per second of speech, and a 10 s shot's mix, each next to making the same duration of white noise. */
import type { ScheduledLine } from '../engine/audio/scene-speech.js';
import { renderShotAudio } from '../engine/audio/shot-sound.js';
import type { ContactEvent } from '../engine/audio/sfx/contact-event.js';
import { fliteEngine } from '../engine/audio/speech/flite-engine.js';
import { parsePrompt } from '../engine/generate/previz/prompt/parse-prompt.js';
import { CharacterSchema, PropSchema } from '../engine/model/schema.js';
import { frameToSample, sampleToFrame } from '../engine/common/time.js';
import { seededRandom } from '../engine/util/seeded-random.js';
import { medianMs, report } from './support.js';

const SENTENCES = [
  'Careful, the cup is going to fall off the table!',
  'I told you to leave it where it was, but you never listen.',
  'Could you hand me that red ball over there, please?',
  'We should go home now, before the rain comes down.',
  'Nobody has opened that door in twenty years.',
];

function whiteNoise(samples: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(samples);
  for (let i = 0; i < samples; i++) out[i] = rnd() * 2 - 1;
  return out;
}

export async function benchSound(): Promise<void> {
  await fliteEngine.synthesize('Warm up.', { engine: 'flite', voice: 'slt', rate: 1 });

  // Speech: new text every run (the line cache would otherwise answer), 5 sentences a run.
  let run = 0;
  let spokenSamples = 0;
  const speechMs = await medianMs(5, async () => {
    run++;
    spokenSamples = 0;
    for (const s of SENTENCES)
      spokenSamples += (await fliteEngine.synthesize(`${s} Take ${run}.`, { engine: 'flite', voice: run % 2 ? 'slt' : 'rms', rate: 1 }))
        .samples.length;
  });
  const speechSeconds = spokenSamples / 48000;
  const noiseMs = await medianMs(5, () => whiteNoise(spokenSamples, 1));
  report({
    name: 'speech synthesis (flite WASI + word alignment + 48 kHz resample)',
    value: speechMs / speechSeconds,
    unit: 'ms per s of speech',
    baseline: { name: 'white noise of the same length', value: noiseMs / speechSeconds },
    note: `${speechSeconds.toFixed(1)} s of speech in ${speechMs.toFixed(0)} ms: ${(speechMs / 1000 / speechSeconds).toFixed(3)}× real time`,
  });

  // A 10 s shot at 24 fps: two lines, 24 impacts, 16 footsteps, room tone, a moving camera.
  const rate = { num: 24, den: 1 };
  const lineSamples = whiteNoise(48000 * 2, 2).map((x) => x * 0.3);
  const lines: ScheduledLine[] = [0, 5].map((sec, k) => ({
    lineId: `l${k}`,
    characterId: k ? 'leo' : 'mia',
    text: '',
    startSample: sec * 48000,
    endSample: sec * 48000 + lineSamples.length,
    words: [],
    phonemes: [],
    samples: lineSamples,
    sceneStartSample: sec * 48000,
    sceneStartFrame: sec * 24,
  }));
  const materials = ['ceramic', 'wood', 'glass', 'metal', 'rubber', 'plastic'] as const;
  const contacts: ContactEvent[] = [];
  for (let i = 0; i < 24; i++)
    contacts.push({
      sceneSample: 1000 + i * 19000,
      sceneFrame: sampleToFrame(1000 + i * 19000, rate),
      impulse: 0.2 + (i % 5),
      a: `p${i}`,
      b: 'floor',
      materialA: materials[i % materials.length]!,
      materialB: 'floor',
      position: [i % 3, 0.1, -1],
      kind: 'impact',
    });
  for (let i = 0; i < 16; i++)
    contacts.push({
      sceneSample: 24000 + i * 26000,
      sceneFrame: sampleToFrame(24000 + i * 26000, rate),
      impulse: 40,
      a: 'mia',
      b: 'floor',
      materialA: 'flesh',
      materialB: 'wood',
      position: [-1 + i * 0.1, 0, 0],
      kind: 'footstep',
    });
  let seed = 0;
  const shot = () =>
    renderShotAudio({
      rate,
      shotStartFrame: 0,
      shotFrames: 240,
      lines,
      contacts,
      roomToneDb: -50,
      seed: ++seed,
      sourcePosition: (id, f) => [id === 'mia' ? -1 : 1, 1.6, f / 240],
      listener: (f) => ({ position: [f / 100, 1.6, 5], forward: [0, 0, -1], right: [1, 0, 0] }),
    });
  const shotMs = await medianMs(5, shot); // a new seed each run: contact sounds synthesised afresh
  const stereoNoiseMs = await medianMs(5, () => whiteNoise(2 * frameToSample(240, rate), 3));
  report({
    name: 'renderShotAudio, 10 s shot (2 lines, 24 impacts, 16 footsteps, room tone)',
    value: shotMs,
    unit: 'ms',
    baseline: { name: '10 s of stereo white noise', value: stereoNoiseMs },
    note: `${(shotMs / 10000).toFixed(4)}× real time`,
  });

  const characters = [CharacterSchema.parse({ id: 'mia', name: 'Mia' }), CharacterSchema.parse({ id: 'leo', name: 'Leo' })];
  const props = [
    PropSchema.parse({ id: 'cup', kind: 'cup', name: 'Red cup', position: [0, 1, 0] }),
    PropSchema.parse({ id: 'table', kind: 'table', name: 'Table', position: [0, 0.4, 0] }),
  ];
  const prompt =
    "Close-up, low angle. Mia drops the red cup, it bounces under the table; Leo says 'Careful!' and picks it up. Slow dolly in.";
  const parseMs = await medianMs(9, () => {
    for (let i = 0; i < 100; i++) parsePrompt(prompt, { characters, props });
  });
  const splitMs = await medianMs(9, () => {
    for (let i = 0; i < 100; i++) prompt.toLowerCase().split(/\s+/);
  });
  report({
    name: 'parsePrompt (×100)',
    value: parseMs,
    unit: 'ms',
    baseline: { name: 'lower-case + split on spaces (×100)', value: splitMs },
  });
}
