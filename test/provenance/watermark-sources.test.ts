import { describe, expect, it } from 'vitest';
import type { RenderPlan } from '../../engine/render/plan.js';
import { embedPoints } from '../../engine/provenance/watermark-sources.js';
import { nearlySame, SAME_PICTURE } from '../../engine/provenance/invisible-watermark.js';

const plan = (video: RenderPlan['video']): RenderPlan => ({
  width: 1280,
  height: 720,
  rate: { num: 24, den: 1 },
  frames: video.reduce((n, s) => n + s.frames, 0),
  samples: 0,
  inputs: ['a.mp4', 'b.mp4'],
  video,
  audio: [],
});

describe('invisible watermark embed points', () => {
  it('takes one point a second from the clip covering most of it, at that part middle; gaps get none', () => {
    const points = embedPoints(
      plan([
        { kind: 'clip', clipId: 'c1', input: 0, sourceStart: 48, frames: 30 },
        { kind: 'gap', frames: 24 },
        { kind: 'clip', clipId: 'c2', input: 1, sourceStart: 0, frames: 18 },
      ]),
      24,
    );
    expect(points.map((p) => p.start)).toEqual([0, 24, 48]);
    // 0–23: clip 1 frames 0–23, middle 12 → source frame 60
    expect(points[0]).toEqual({ start: 0, source: { input: 0, seconds: 60 / 24 } });
    // 24–47: clip 1 has 6 frames, the gap 18: clip 1 is the only clip → its frames 24–29, middle 27 → source 75
    expect(points[1]).toEqual({ start: 24, source: { input: 0, seconds: 75 / 24 } });
    // 48–71: clip 2 entirely (18 frames) → middle 9
    expect(points[2]).toEqual({ start: 48, source: { input: 1, seconds: 9 / 24 } });
    expect(embedPoints(plan([{ kind: 'gap', frames: 30 }]), 24)).toEqual([{ start: 0 }, { start: 24 }]);
    // a transition: before its middle the outgoing clip, after it the incoming one
    const t = embedPoints(
      plan([
        { kind: 'transition', transition: 'dissolve', frames: 48, from: { input: 0, sourceStart: 100 }, to: { input: 1, sourceStart: -4 } },
      ]),
      24,
    );
    expect(t).toEqual([
      { start: 0, source: { input: 0, seconds: 112 / 24 } },
      { start: 24, source: { input: 1, seconds: 32 / 24 } },
    ]);
  });

  it('shares a residual only between nearly identical pictures (mean difference under SAME_PICTURE of 255)', () => {
    const a = new Uint8Array(256 * 144 * 3).map((_, i) => (i * 37) % 251);
    const still = Uint8Array.from(a, (v, i) => (i % 5 === 0 ? Math.min(255, v + 1) : v)); // grain: +1 on a fifth of the samples
    const moved = Uint8Array.from(a, (_, i) => a[(i + 3 * 4) % a.length]!); // the picture shifted by 4 pixels
    const dimmed = Uint8Array.from(a, (v) => Math.max(0, v - 2));
    expect(SAME_PICTURE).toBeLessThan(1);
    expect(nearlySame(a, a)).toBe(true);
    expect(nearlySame(a, still)).toBe(true);
    expect(nearlySame(a, moved)).toBe(false);
    expect(nearlySame(a, dimmed)).toBe(false);
  });
});
