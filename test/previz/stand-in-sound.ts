/**
 * A stand-in for the sound modules of the sound contract, for tests only,
 * until the sound branch lands: impacts become short noise bursts starting on
 * their exact sample, spoken lines become a steady buzz with mouth-open
 * "phonemes" (no real speech), WAV is 16-bit PCM.
 */
import { frameToSample, sampleToFrame } from '../../engine/model/time.js';
import type { PrevizSound, ScheduledLine, ShotSoundInput } from '../../engine/generate/previz/sound-port.js';

export const standInSound: PrevizSound = {
  async speakScene(scene, _characters, rate) {
    const out: ScheduledLine[] = [];
    for (const shot of scene.shots) {
      let cursor = shot.sceneStart;
      for (const line of shot.dialogue) {
        const startFrame = line.start !== undefined ? shot.sceneStart + line.start : cursor;
        const start = frameToSample(startFrame, rate);
        const len = 48000 * 0.25 * line.text.split(/\s+/).length;
        const samples = new Float32Array(len).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 180 * i) / 48000));
        out.push({
          lineId: line.id, characterId: line.characterId, text: line.text, startSample: start, endSample: start + len,
          words: [{ text: line.text, startSample: start, endSample: start + len }],
          phonemes: [{ text: 'aa', startSample: start, endSample: start + len }],
          samples, sceneStartSample: start, sceneStartFrame: startFrame,
        });
        cursor = sampleToFrame(start + len, rate) + 6;
      }
    }
    return out;
  },
  renderShotAudio(input: ShotSoundInput) {
    const start = frameToSample(input.shotStartFrame, input.rate);
    const n = frameToSample(input.shotStartFrame + input.shotFrames, input.rate) - start;
    const out = new Float32Array(n * 2);
    for (const c of input.contacts) {
      if (c.kind !== 'impact') continue;
      const at = c.sceneSample - start;
      let seed = 1;
      for (let i = 0; i < 2400; i++) {
        const k = at + i;
        if (k < 0 || k >= n) continue;
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const v = ((seed / 0x7fffffff) * 2 - 1) * Math.exp(-i / 600) * 0.8;
        out[k * 2] = (out[k * 2] ?? 0) + v;
        out[k * 2 + 1] = (out[k * 2 + 1] ?? 0) + v;
      }
    }
    for (const l of input.lines) {
      for (let i = 0; i < l.samples.length; i++) {
        const k = l.sceneStartSample - start + i;
        if (k < 0 || k >= n) continue;
        out[k * 2] = (out[k * 2] ?? 0) + l.samples[i]!;
        out[k * 2 + 1] = (out[k * 2 + 1] ?? 0) + l.samples[i]!;
      }
    }
    return out;
  },
  mouthAt(phonemes, sample) {
    const p = phonemes.find((u) => sample >= u.startSample && sample < u.endSample);
    return p && p.text !== 'pau' ? { viseme: 'AA', open: 0.9, wide: 0.5 } : { viseme: 'rest', open: 0, wide: 0 };
  },
  encodeWav(interleaved, channels, sampleRate = 48000) {
    const data = Buffer.alloc(interleaved.length * 2);
    for (let i = 0; i < interleaved.length; i++) data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, interleaved[i]!)) * 32767), i * 2);
    const h = Buffer.alloc(44);
    h.write('RIFF', 0); h.writeUInt32LE(36 + data.length, 4); h.write('WAVE', 8); h.write('fmt ', 12);
    h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(channels, 22); h.writeUInt32LE(sampleRate, 24);
    h.writeUInt32LE(sampleRate * channels * 2, 28); h.writeUInt16LE(channels * 2, 32); h.writeUInt16LE(16, 34);
    h.write('data', 36); h.writeUInt32LE(data.length, 40);
    return Buffer.concat([h, data]);
  },
};
