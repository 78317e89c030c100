/** The bounds of a variation take's blocking and timing, over many seeds (pure: no simulation, no drawing). */
import { describe, expect, it } from 'vitest';
import { frameToSample, type Rate } from '../../engine/common/time.js';
import type { SceneInput } from '../../engine/generate/previz/scene-input.js';
import type { ScheduledLine } from '../../engine/generate/previz/sound-port.js';
import { BLOCKING_RADIUS_M, BODY_CLEARANCE_M, varyBlocking } from '../../engine/generate/previz/vary-blocking.js';
import { varyActionTiming, varyLineTiming } from '../../engine/generate/previz/vary-timing.js';
import { directedSeed, nextVariationSeed, VARIATION_SEED_BASE } from '../../engine/model/variation-seed.js';
import type { Project } from '../../engine/model/schema.js';

const RATE: Rate = { num: 24, den: 1 };
const SEEDS = Array.from({ length: 40 }, (_, i) => VARIATION_SEED_BASE + i);

function scene(over: Partial<SceneInput> = {}): SceneInput {
  return {
    id: 'sc',
    number: '1',
    set: {
      kind: 'room',
      name: 'Room',
      width: 4,
      depth: 4,
      wallHeight: 2.6,
      floorColor: '#777777',
      wallColor: '#cccccc',
      skyColor: '#88aadd',
      roomToneDb: -50,
    },
    props: [],
    marks: [],
    actions: [],
    physics: { gravity: -9.81, stepHz: 240, seed: 1 },
    shots: [],
    ...over,
  } as SceneInput;
}

function shot(id: string, sceneStart: number, duration: number, dialogue: SceneInput['shots'][number]['dialogue'] = []) {
  return { id, number: id, sceneStart, duration, dialogue } as unknown as SceneInput['shots'][number];
}

function line(lineId: string, startFrame: number, seconds: number): ScheduledLine {
  const start = frameToSample(startFrame, RATE);
  const end = start + Math.round(seconds * 48000);
  return {
    lineId,
    characterId: 'a',
    text: lineId,
    startSample: start,
    endSample: end,
    words: [{ text: lineId, startSample: start, endSample: end }],
    phonemes: [],
    samples: new Float32Array(0),
    sceneStartSample: start,
    sceneStartFrame: startFrame,
  };
}

describe('variation bounds', () => {
  it('blocking: marks move at most BLOCKING_RADIUS_M, never nearer a wall or the table than allowed, the same seed the same way', () => {
    const s = scene({
      marks: [
        { characterId: 'a', position: [-1.65, 0], facingDeg: 90 }, // 0.35 m from the left wall
        { characterId: 'b', position: [1.9, 1.0], facingDeg: -90 }, // 0.1 m from the right wall: already closer than a body's clearance
        { characterId: 'c', position: [0, 1.0], facingDeg: 180 },
      ],
      props: [{ id: 't', kind: 'table', name: 't', position: [0, 0.375, -0.6], yawDeg: 0, fixed: true }] as SceneInput['props'],
      actions: [{ id: 'w', at: 5, actorId: 'c', verb: 'walk', to: [0, 0.05] }] as SceneInput['actions'],
    });
    const moved = new Set<string>();
    for (const seed of SEEDS) {
      const v = varyBlocking(s, seed);
      expect(varyBlocking(s, seed)).toEqual(v);
      const [a, b, c] = v.scene.marks;
      for (const [i, m] of v.scene.marks.entries()) {
        const d = Math.hypot(m.position[0] - s.marks[i]!.position[0], m.position[1] - s.marks[i]!.position[1]);
        expect(d).toBeLessThanOrEqual(BLOCKING_RADIUS_M + 1e-3);
      }
      expect(2 - Math.abs(a!.position[0])).toBeGreaterThanOrEqual(BODY_CLEARANCE_M - 1e-9);
      expect(2 - Math.abs(b!.position[0])).toBeGreaterThanOrEqual(0.1 - 1e-9);
      // the walk keeps c 0.2 m off the table (its edge at z = −0.15): the whole path moves together
      const to = v.scene.actions[0]!.to!;
      expect(to[1] - -0.15).toBeGreaterThanOrEqual(0.2 - 1e-9);
      expect(to[0] - c!.position[0]).toBeCloseTo(0, 6);
      moved.add(JSON.stringify(a!.position));
    }
    expect(moved.size).toBeGreaterThan(30);
  });

  it("actions: a character's actions move together, never out of the shot they were directed in", () => {
    const s = scene({
      shots: [shot('s1', 0, 48), shot('s2', 48, 48)],
      actions: [
        { id: 'first', at: 48, actorId: 'a', verb: 'sit' }, // the first frame of s2
        { id: 'then', at: 60, actorId: 'a', verb: 'stand' },
        { id: 'last', at: 47, actorId: 'b', verb: 'sit' }, // the last frame of s1
      ] as SceneInput['actions'],
    });
    const shifts = new Set<number>();
    for (const seed of SEEDS) {
      const [first, then, last] = varyActionTiming(s, seed, RATE).actions;
      expect(first!.at).toBeGreaterThanOrEqual(48);
      expect(first!.at).toBeLessThan(96);
      expect(then!.at - first!.at).toBe(12);
      expect(last!.at).toBeLessThanOrEqual(47);
      expect(last!.at).toBeGreaterThanOrEqual(47 - Math.round(0.25 * 24));
      shifts.add(first!.at);
    }
    expect(shifts.size).toBeGreaterThan(3);
  });

  it("lines: never before their shot's first frame, and a line that ended in its shot still does; one that ran over never moves later", () => {
    const s = scene({
      shots: [
        shot('s1', 0, 48, [
          { id: 'l1', characterId: 'a', text: 'l1' },
          { id: 'l2', characterId: 'a', text: 'l2' },
        ]),
        shot('s2', 48, 24, [{ id: 'l3', characterId: 'a', text: 'l3' }]),
      ],
    });
    const lines = [line('l1', 0, 0.8), line('l2', 27, 0.6), line('l3', 50, 1.5)]; // l3 runs 1 s past its shot
    const seen = new Set<number>();
    for (const seed of SEEDS) {
      const out = varyLineTiming(lines, s, seed, RATE);
      expect(varyLineTiming(lines, s, seed, RATE)).toEqual(out);
      const [l1, l2, l3] = out;
      expect(l1!.startSample).toBeGreaterThanOrEqual(0);
      expect(l2!.startSample).toBeGreaterThanOrEqual(l1!.endSample);
      expect(l2!.endSample).toBeLessThanOrEqual(frameToSample(48, RATE));
      expect(l3!.startSample).toBeGreaterThanOrEqual(frameToSample(48, RATE));
      expect(l3!.startSample).toBeLessThanOrEqual(lines[2]!.startSample);
      expect(l1!.endSample - l1!.startSample).toBe(lines[0]!.endSample - lines[0]!.startSample);
      expect(l2!.words[0]!.startSample).toBe(l2!.startSample);
      seen.add(l2!.startSample);
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it("variation seeds keep the shot's own seed (its remainder) and are never used twice", () => {
    const doc = (seed: number, takes: number[]) =>
      ({ scenes: [{ shots: [{ id: 's', seed }] }], takes: takes.map((t) => ({ shotId: 's', seed: t })) }) as unknown as Project;
    expect(nextVariationSeed(doc(2, []), 's')).toBe(VARIATION_SEED_BASE + 2);
    expect(nextVariationSeed(doc(VARIATION_SEED_BASE + 2, [2, VARIATION_SEED_BASE + 2]), 's')).toBe(2 * VARIATION_SEED_BASE + 2);
    expect(nextVariationSeed(doc(2, [3 * VARIATION_SEED_BASE + 2, 7]), 's')).toBe(4 * VARIATION_SEED_BASE + 2);
    expect(directedSeed(4 * VARIATION_SEED_BASE + 2)).toBe(2);
  });
});
