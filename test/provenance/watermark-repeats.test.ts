import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RenderPlan } from '../../engine/render/plan.js';
import { embedPoints, firstShowings, sourceFrames } from '../../engine/provenance/watermark-sources.js';
import { prepareInvisibleWatermark } from '../../engine/provenance/invisible-watermark.js';
import { workGeometry } from '../../engine/provenance/watermark-geometry.js';
import { makeTestClip } from '../servers/test-clip.js';

const dir = mkdtempSync(join(tmpdir(), 'klappe-wm-repeats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 3 s moving clip shown twice (the same frames of the same take), then a part of it again from another frame. */
async function repeatedPlan(): Promise<RenderPlan> {
  const clip = await makeTestClip(join(dir, 'moving.mp4'), { seconds: 3, width: 320, height: 180 });
  const video: RenderPlan['video'] = [
    { kind: 'clip', clipId: 'a', input: 0, sourceStart: 0, frames: 72 },
    { kind: 'clip', clipId: 'b', input: 0, sourceStart: 0, frames: 72 },
    { kind: 'clip', clipId: 'c', input: 0, sourceStart: 6, frames: 24 },
  ];
  return { width: 640, height: 360, rate: { num: 24, den: 1 }, frames: 168, samples: 0, inputs: [clip], video, audio: [] };
}

describe('invisible watermark on a cut that shows a take again', () => {
  it('reads a frame shown by several points once, and runs RivaGAN once for it', async () => {
    const plan = await repeatedPlan();
    const g = workGeometry(plan.width, plan.height);
    const points = embedPoints(plan, 24);
    expect(points).toHaveLength(7);
    // points 3–5 show the same frames as points 0–2: only their first showings are read; point 6 (source frame 18) is its own
    expect(firstShowings(points)).toEqual([0, 1, 2, 6]);
    const frames = new Map<number, Uint8Array>();
    for await (const { index, frame } of sourceFrames(plan, points, g)) frames.set(index, Uint8Array.from(frame!));
    expect([...frames.keys()]).toEqual([0, 1, 2, 6]);
    expect(frames.get(6)!.length).toBe(g.width * g.height * 3);
    expect(Buffer.compare(frames.get(6)!, frames.get(0)!)).not.toBe(0);

    const wm = await prepareInvisibleWatermark(plan, 0x1234567, {});
    try {
      // testsrc moves every frame: 3 distinct pictures for the first copy, the same 3 again, one more
      expect(wm.embeddedFrames).toBe(4);
      const file = wm.hooks.extraInputs![0]!.at(-1)!;
      const yuv = readFileSync(file);
      const size = (g.width * g.height * 3) / 2;
      expect(yuv.length).toBe(7 * size);
      const residual = (k: number) => yuv.subarray(k * size, (k + 1) * size);
      for (const k of [0, 1, 2]) expect(Buffer.compare(residual(k + 3), residual(k))).toBe(0);
      expect(Buffer.compare(residual(6), residual(0))).not.toBe(0);
    } finally {
      wm.cleanup();
    }
  });
});
