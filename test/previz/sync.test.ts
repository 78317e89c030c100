import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { MediaStore } from '../../engine/cache/media-store.js';
import { generateTake } from '../../engine/generate/generate-take.js';
import { createPrevizBackend } from '../../engine/generate/previz/previz-backend.js';
import { sampleToFrame } from '../../engine/common/time.js';
import { detectSpeech } from '../../engine/audio/vad.js';
import { tempDir } from '../support/env.js';
import { parse, sampleProject } from './fixtures.js';
import { decodeAudioMono, decodeFramesRgb } from './media-probe.js';

const W = 320;
const H = 180;
const tmp = tempDir('klappe-previz-sync-');
const store = new MediaStore(join(tmp.dir, 'media'));
const backend = createPrevizBackend();
const doc = parse(sampleProject({ width: W, height: H, firstSceneOnly: true }));
type Meta = {
  contacts: Array<{ kind: string; takeSample: number; takeFrame: number; a: string; b: string }>;
  dialogue: Array<{ characterId: string; startSample: number; endSample: number }>;
  tracks: Array<Record<string, [number, number, number, number] | null>>;
};
const takes: Record<string, { video: string; meta: Meta }> = {};

beforeAll(async () => {
  for (const id of ['s2', 's3']) {
    const take = await generateTake(doc, id, backend, store);
    takes[id] = { video: store.require(take.media.video!), meta: JSON.parse(readFileSync(store.require(take.media.metadata!), 'utf8')) };
  }
});
afterAll(() => tmp.cleanup());

/** First sample at or after `from` whose level exceeds `threshold`. */
function onset(x: Float32Array, from: number, threshold: number): number {
  for (let i = Math.max(0, from); i < x.length; i++) if (Math.abs(x[i]!) > threshold) return i;
  return -1;
}

describe('previz sync, measured on the exported file', () => {
  it('every impact sound starts within one frame of its contact frame', async () => {
    const { video, meta } = takes.s2!;
    const audio = await decodeAudioMono(video);
    const impacts = meta.contacts.filter((c) => (c.kind === 'impact' && c.b === 'floor') || (c.kind === 'impact' && c.b === 'table'));
    expect(impacts.length).toBeGreaterThan(0);
    const rate = doc.sequence.rate;
    const frame = 48000 / 24;
    // The first sound of the take is the first impact.
    const first = onset(audio, 0, 0.05);
    expect(Math.abs(sampleToFrame(first, rate) - impacts[0]!.takeFrame)).toBeLessThanOrEqual(1);
    // Each impact: quiet just before (unless an earlier sound rings on), loud within a frame after.
    for (const c of impacts) {
      const at = onset(audio, c.takeSample - Math.round(frame / 2), 0.05);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(Math.abs(sampleToFrame(at, rate) - c.takeFrame)).toBeLessThanOrEqual(1);
    }
  });

  it("the speaking character's mouth, measured in the pixels of its mouth box, opens with the speech Silero VAD finds", async () => {
    const { video, meta } = takes.s3!;
    const frames = await decodeFramesRgb(video, W, H);
    expect(frames.length).toBe(72);
    const openness = frames.map((px, i) => mouthDarkPixels(px, meta.tracks[i]!['leo#mouth']!));
    // Open: at least a tenth of the widest opening seen in the take (compression leaves a few dark pixels when closed).
    const limit = Math.max(...openness) / 10;
    const open = openness.map((n) => n >= limit);
    const speech = await detectSpeech(video);
    expect(speech.length).toBeGreaterThan(0);
    const rate = doc.sequence.rate;
    const firstOpen = open.indexOf(true);
    expect(firstOpen).toBeGreaterThan(0);
    // Onsets agree within one frame.
    expect(Math.abs(firstOpen - sampleToFrame(speech[0]!.startSample, rate))).toBeLessThanOrEqual(1);
    // The mouth moves only while there is speech: every open frame lies in (or within a frame of) a VAD segment…
    const inSpeech = (f: number) =>
      speech.some((s) => f >= sampleToFrame(s.startSample, rate) - 1 && f <= sampleToFrame(s.endSample, rate) + 1);
    open.forEach((o, f) => {
      if (o) expect(inSpeech(f), `frame ${f} open outside speech`).toBe(true);
    });
    // …and opens during most of the speech (closed lips on m/b/p are part of speaking).
    const speechFrames = open
      .map((_, f) => f)
      .filter((f) => speech.some((s) => f >= sampleToFrame(s.startSample, rate) && f < sampleToFrame(s.endSample, rate)));
    expect(speechFrames.filter((f) => open[f]).length / speechFrames.length).toBeGreaterThan(0.5);
  });
});

/** Pixels in the box dark and reddish like the drawn mouth opening (#3a0c0c). */
function mouthDarkPixels(px: Buffer, box: [number, number, number, number]): number {
  let n = 0;
  for (let y = Math.floor(box[1]); y < Math.ceil(box[3]); y++) {
    for (let x = Math.floor(box[0]); x < Math.ceil(box[2]); x++) {
      const o = (y * W + x) * 3;
      const r = px[o]!,
        g = px[o + 1]!,
        b = px[o + 2]!;
      if (r > 25 && r < 120 && g < 40 && b < 40 && r > g + 15) n++;
    }
  }
  return n;
}
