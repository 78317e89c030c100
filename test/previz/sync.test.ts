import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { MediaStore } from '../../engine/cache/media-store.js';
import { generateTake } from '../../engine/generate/generate-take.js';
import { createPrevizBackend } from '../../engine/generate/previz/previz-backend.js';
import { sampleToFrame } from '../../engine/model/time.js';
import { tempDir } from '../support/env.js';
import { parse, sampleProject } from './fixtures.js';
import { decodeAudioMono, decodeFramesRgb } from './media-probe.js';
import { standInSound } from './stand-in-sound.js';

const W = 320;
const H = 180;
const tmp = tempDir('klappe-previz-sync-');
const store = new MediaStore(join(tmp.dir, 'media'));
const backend = createPrevizBackend({ sound: standInSound });
const doc = parse(sampleProject({ width: W, height: H, firstSceneOnly: true }));
type Meta = { contacts: Array<{ kind: string; takeSample: number; takeFrame: number; a: string; b: string }>; dialogue: Array<{ characterId: string; startSample: number; endSample: number }>; tracks: Array<Record<string, [number, number, number, number] | null>> };
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
    const impacts = meta.contacts.filter((c) => c.kind === 'impact' && c.b === 'floor' || c.kind === 'impact' && c.b === 'table');
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

  it("the speaking character's mouth, measured in the pixels of its mouth box, opens with the line's sound", async () => {
    const { video, meta } = takes.s3!;
    const frames = await decodeFramesRgb(video, W, H);
    expect(frames.length).toBe(72);
    const openness = frames.map((px, i) => mouthDarkPixels(px, meta.tracks[i]!['leo#mouth']!));
    // Open: at least a fifth of the widest opening seen in the take (compression leaves a few dark pixels elsewhere).
    const limit = Math.max(...openness) / 5;
    const open = openness.map((n) => n >= limit);
    const firstOpen = open.indexOf(true);
    const lastOpen = open.lastIndexOf(true);
    const audio = await decodeAudioMono(video);
    const soundStart = onset(audio, 0, 0.05);
    // The line's sound ends where 20 ms of quiet begins.
    let soundEnd = soundStart;
    for (let i = soundStart; i < audio.length && i - soundEnd < 960; i++) if (Math.abs(audio[i]!) >= 0.05) soundEnd = i;
    const rate = doc.sequence.rate;
    expect(firstOpen).toBeGreaterThan(0);
    expect(Math.abs(firstOpen - sampleToFrame(soundStart, rate))).toBeLessThanOrEqual(1);
    expect(Math.abs(lastOpen - sampleToFrame(soundEnd, rate))).toBeLessThanOrEqual(1);
    // Closed before the line: the mouth box shows (almost) no dark opening.
    expect(openness.slice(0, Math.max(0, firstOpen - 1)).every((n) => n < limit)).toBe(true);
  });
});

/** Pixels in the box dark and reddish like the drawn mouth opening (#3a0c0c). */
function mouthDarkPixels(px: Buffer, box: [number, number, number, number]): number {
  let n = 0;
  for (let y = Math.floor(box[1]); y < Math.ceil(box[3]); y++) {
    for (let x = Math.floor(box[0]); x < Math.ceil(box[2]); x++) {
      const o = (y * W + x) * 3;
      const r = px[o]!, g = px[o + 1]!, b = px[o + 2]!;
      if (r > 25 && r < 120 && g < 40 && b < 40 && r > g + 15) n++;
    }
  }
  return n;
}
