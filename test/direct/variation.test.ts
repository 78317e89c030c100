import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { frameToSample } from '../../engine/common/time.js';
import type { ShotRequest } from '../../engine/generate/backend.js';
import { planPrevizShot, previzBackend, speechCache, takeMetadata } from '../../engine/generate/previz/previz-backend.js';
import { simulationCache } from '../../engine/generate/previz/simulate.js';
import { BLOCKING_RADIUS_M } from '../../engine/generate/previz/vary-blocking.js';
import { ACTION_EARLY_S, ACTION_LATE_S } from '../../engine/generate/previz/vary-timing.js';
import { buildShotRequest, cacheKey } from '../../engine/generate/shot-request.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { findShot } from '../../engine/model/lookup.js';
import type { Project } from '../../engine/model/schema.js';
import { VARIATION_SEED_BASE } from '../../engine/model/variation-seed.js';
import { decodeFramesRgb, frameMd5 } from '../previz/media-probe.js';
import { tempDir } from '../support/env.js';
import { applyAll, emptyProject, SCENE_COMMANDS } from './scene-doc.js';

const W = 320;
const H = 180;

/** The scene of scene-doc.ts with a table, a cup on it, and Mia walking to the table and picking the cup up during the wide. */
function blockedScene(width = W, height = H): Project {
  const doc = applyAll(emptyProject(), [
    ...SCENE_COMMANDS,
    { type: 'prop.add', sceneId: 'kitchen', prop: { id: 'table', kind: 'table', name: 'table', position: [0, 0.375, -1.2], fixed: true } },
    { type: 'prop.add', sceneId: 'kitchen', prop: { id: 'cup', kind: 'cup', name: 'cup', position: [0.3, 0.8, -1.0] } },
    { type: 'action.add', sceneId: 'kitchen', action: { id: 'walk', at: 10, actorId: 'mia', verb: 'walk', to: [0.6, -0.5] } },
    { type: 'action.add', sceneId: 'kitchen', action: { id: 'pick', at: 50, actorId: 'mia', verb: 'pickup', targetId: 'cup' } },
  ]);
  return { ...doc, sequence: { ...doc.sequence, width, height } };
}

const SEEDS = [0, 1, 2].map((k) => VARIATION_SEED_BASE + k);
const tmp = tempDir('klappe-variation-');
afterAll(() => tmp.cleanup());

/** Whether a screen box lies inside the picture, not cut by an edge (boxes are clipped to the picture). */
const whole = (b: [number, number, number, number] | null | undefined) => !!b && b[0] > 0 && b[1] > 0 && b[2] < W && b[3] < H;

/** Distance from a floor point (x, z) to the table's footprint (x −0.8…0.8, z −1.65…−0.75). */
const fromTable = (p: readonly number[]) => Math.hypot(Math.max(0, Math.abs(p[0]!) - 0.8), Math.max(0, Math.abs(p[2]! + 1.2) - 0.45));

describe('variations', () => {
  it('"generate again" gives the shot a new seed (the other shots\' cache keys stay); the previz moves its camera a little; the same seed reproduces exactly', async () => {
    const base = applyAll(emptyProject(), SCENE_COMMANDS);
    const doc0 = { ...base, sequence: { ...base.sequence, width: 160, height: 90 } };
    const doc1 = applyCommand(doc0, { type: 'shot.vary', shotId: 'close' }).doc;
    expect(findShot(doc1, 'close')!.shot.seed).toBe(VARIATION_SEED_BASE);
    const doc2 = applyCommand(
      {
        ...doc1,
        takes: [
          {
            id: 't1',
            shotId: 'close',
            number: 1,
            backend: 'previz',
            model: '',
            modelVersion: '',
            seed: VARIATION_SEED_BASE,
            status: 'ready',
            media: {},
            duration: 72,
            createdAt: '',
            params: {},
          },
        ],
      },
      { type: 'shot.vary', shotId: 'close' },
    ).doc;
    expect(findShot(doc2, 'close')!.shot.seed).toBe(2 * VARIATION_SEED_BASE);
    // the varied shot is asked for something new (its cache key changes); the scene's other shots are not
    const key = (d: Project, shotId: string) => cacheKey(previzBackend, buildShotRequest(d, shotId));
    expect(key(doc1, 'close')).not.toBe(key(doc0, 'close'));
    expect(key(doc2, 'close')).not.toBe(key(doc1, 'close'));
    for (const other of ['wide', 'ots']) {
      expect(key(doc1, other), other).toBe(key(doc0, other));
      expect(key(doc2, other), other).toBe(key(doc0, other));
    }
    const cams = async (d: typeof doc0) => (await planPrevizShot(buildShotRequest(d, 'close'))).frames.cameras;
    const [a, b, again] = [await cams(doc0), await cams(doc1), await cams(doc1)];
    expect(b).not.toEqual(a);
    expect(again).toEqual(b);
    // the subject stays in frame in the variation
    const plan = await planPrevizShot(buildShotRequest(doc1, 'close'));
    for (const t of plan.frames.tracks) expect(t.boxes['leo#head']).not.toBeNull();
  });

  it('a variation is another performance of the direction: marks, walk, lines and blinks move a little, within the set and the shots; the framed subject stays whole in the picture', async () => {
    const doc = blockedScene();
    const meta = async (shotId: string, seed: number) => {
      const request = buildShotRequest(doc, shotId, { seed });
      return { request, plan: await planPrevizShot(request) };
    };
    const directed = await meta('wide', 0);
    const world0 = directed.plan.sim.world;
    /** The first scene frame on which Mia has left her mark. */
    const walkStart = (world: typeof world0) =>
      world.findIndex(
        (w) =>
          Math.hypot(
            w.characters.mia!.position[0] - world[0]!.characters.mia!.position[0],
            w.characters.mia!.position[2] - world[0]!.characters.mia!.position[2],
          ) > 1e-4,
      );
    const fps = doc.sequence.rate.num / doc.sequence.rate.den;
    const starts = new Set<string>();
    const marks = new Set<string>();
    for (const seed of SEEDS) {
      const { plan } = await meta('wide', seed);
      const world = plan.sim.world;
      // blocking: each start mark within BLOCKING_RADIUS_M of the directed one; somebody moved
      let moved = 0;
      for (const id of ['leo', 'mia']) {
        const [p, q] = [world[0]!.characters[id]!.position, world0[0]!.characters[id]!.position];
        const d = Math.hypot(p[0] - q[0], p[2] - q[2]);
        expect(d, `${id}, seed ${seed}`).toBeLessThanOrEqual(BLOCKING_RADIUS_M + 1e-6);
        moved = Math.max(moved, d);
      }
      expect(moved, `seed ${seed}`).toBeGreaterThan(0.05);
      marks.add(JSON.stringify(plan.scene.marks));
      // nobody goes through a wall (6 × 5 m room, 0.2 m bodies) or into the table, on any frame
      for (const w of world) {
        for (const c of Object.values(w.characters)) {
          expect(Math.abs(c.position[0])).toBeLessThanOrEqual(3 - 0.2);
          expect(Math.abs(c.position[2])).toBeLessThanOrEqual(2.5 - 0.2);
          expect(fromTable(c.position)).toBeGreaterThanOrEqual(0.2 - 1e-6);
        }
      }
      // timing: the walk starts a little earlier or later, inside the wide (frames 0..71)
      const start = walkStart(world);
      expect(Math.abs(start - walkStart(world0))).toBeLessThanOrEqual(Math.round(Math.max(ACTION_EARLY_S, ACTION_LATE_S) * fps) + 1);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(start).toBeLessThan(72);
      starts.add(`${start}`);
      // Mia still picks the cup up: it ends in her hand
      const [cup, mia] = [world[71]!.props.cup!.position, world[71]!.characters.mia!.position];
      expect(Math.hypot(cup[0] - mia[0], cup[2] - mia[2])).toBeLessThan(0.45);
    }
    expect(marks.size).toBe(SEEDS.length);
    expect(starts.size).toBeGreaterThan(1);

    // each take's lines stay inside the take; the framed subject's head is whole on every frame
    const lineStarts = new Set<number>();
    for (const seed of SEEDS) {
      for (const [shotId, subject] of [
        ['wide', 'leo'],
        ['close', 'leo'],
        ['ots', 'mia'],
      ] as const) {
        const { request, plan } = await meta(shotId, seed);
        const m = takeMetadata(plan, request) as { dialogue: Array<{ text: string; startSample: number; endSample: number }> };
        const length = frameToSample(request.shot.duration, request.rate);
        expect(m.dialogue.map((l) => l.text)).toEqual(request.shot.dialogue.map((l) => l.text));
        for (const l of m.dialogue) {
          expect(l.startSample).toBeGreaterThanOrEqual(0);
          expect(l.endSample).toBeLessThanOrEqual(length);
        }
        lineStarts.add(m.dialogue[0]!.startSample);
        plan.frames.tracks.forEach((t, i) => expect(whole(t.boxes[`${subject}#head`]), `${shotId} seed ${seed} frame ${i}`).toBe(true));
      }
    }
    expect(lineStarts.size).toBeGreaterThan(2);
    // blinks: reseeded (eyes closed on different frames)
    const blinks = async (seed: number) =>
      (await meta('close', seed)).plan.frames.specs.map((s) => (s.characters.find((c) => c.id === 'leo')!.blink > 0 ? 1 : 0)).join('');
    expect(await blinks(SEEDS[0]!)).not.toBe(await blinks(SEEDS[1]!));
  }, 120_000);

  it('the same seed makes the same frames (framemd5, caches emptied between), another seed visibly different ones', async () => {
    const [w, h] = [160, 90];
    const doc = blockedScene(w, h);
    const make = async (seed: number, name: string): Promise<string> => {
      simulationCache.clear();
      speechCache.clear();
      const workDir = join(tmp.dir, name);
      mkdirSync(workDir);
      const request: ShotRequest = buildShotRequest(doc, 'wide', { seed });
      const media = await previzBackend.generate(request, {
        signal: new AbortController().signal,
        onProgress: () => {},
        workDir,
        saveResumeState: () => {},
      });
      return media.video;
    };
    const a = await make(SEEDS[0]!, 'a');
    const again = await make(SEEDS[0]!, 'again');
    const b = await make(SEEDS[1]!, 'b');
    const [ma, mAgain, mb] = await Promise.all([frameMd5(a, 'v'), frameMd5(again, 'v'), frameMd5(b, 'v')]);
    expect(ma.length).toBe(72);
    expect(mAgain).toEqual(ma);
    expect(mb).not.toEqual(ma);
    expect(await frameMd5(again, 'a')).toEqual(await frameMd5(a, 'a'));
    // mean absolute difference of the pictures (0..255 per channel), over the shot
    const [fa, fb] = await Promise.all([decodeFramesRgb(a, w, h), decodeFramesRgb(b, w, h)]);
    let sum = 0;
    for (let f = 0; f < fa.length; f++) for (let i = 0; i < fa[f]!.length; i++) sum += Math.abs(fa[f]![i]! - fb[f]![i]!);
    const mad = sum / (fa.length * fa[0]!.length);
    console.log(`mean abs pixel difference between two variations of the wide: ${mad.toFixed(2)} (0..255)`);
    expect(mad).toBeGreaterThan(1);
  }, 120_000);
});
