/**
 * The face services piece by piece: model files checked, detection and mesh
 * measures on a real face (blinks where the clip's README says), alignment
 * maths, blink counting, still/freeze/loop measures and the lip-sync score.
 *
 * Video clips from "The Grid Audio-Visual Speech Corpus", Martin Cooke, Jon Barker,
 * Stuart Cunningham, Xu Shao (2006), https://doi.org/10.5281/zenodo.3625687, licensed under
 * CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Unmodified. Obtained via
 * github.com/rizkiarm/LipNet (evaluation samples).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { analyseFaces } from '../../engine/vision/face-analysis.js';
import { detectFaces } from '../../engine/vision/face-detect.js';
import { faceMesh, faceMeasures } from '../../engine/vision/face-mesh.js';
import { FACE_MODEL_DIR, FACE_MODELS, readFaceModel } from '../../engine/vision/face-models.js';
import { decodeFrames } from '../../engine/vision/frames.js';
import { similarityFromPoints } from '../../engine/vision/image.js';
import { checkLipSync, lipSyncFromSeries } from '../../engine/vision/lip-sync.js';
import { countBlinks, motionMeasures } from '../../engine/vision/liveness-measures.js';
import { runCli, tempDir } from '../support/env.js';
import { GRID_A, GRID_B, gridAvailable } from '../support/grid-faces.js';

// the models run on shared CPU cores: a slow moment must not fail a test
vi.setConfig({ testTimeout: 60_000 });

const available = gridAvailable();
if (!available) console.log('face clip tests skipped: the GRID clips are not in ../shared/media/faces');
const { dir, cleanup } = tempDir('klappe-faces-');
afterAll(cleanup);

describe('face model files', () => {
  it('are the product copies, each checked by sha256', () => {
    for (const which of Object.keys(FACE_MODELS) as Array<keyof typeof FACE_MODELS>)
      expect(readFaceModel(which).length).toBeLessThan(4 * 1024 * 1024);
  });
  it('refuses an altered or missing file, naming it', () => {
    copyFileSync(join(FACE_MODEL_DIR, FACE_MODELS.mesh.file), join(dir, FACE_MODELS.mesh.file));
    writeFileSync(join(dir, FACE_MODELS.detector.file), 'not a model');
    expect(() => readFaceModel('detector', dir)).toThrow(
      expect.objectContaining({ code: 'MODEL_CHECKSUM', message: expect.stringContaining('yunet_s_dynamic.onnx') }),
    );
    expect(() => readFaceModel('embedding', dir)).toThrow(expect.objectContaining({ code: 'MODEL_MISSING' }));
    expect(readFaceModel('mesh', dir).length).toBeGreaterThan(0);
  });
});

describe.skipIf(!available)('detection and mesh on a real face', () => {
  it('finds one face with its keypoints in place, and the eyes closed where the clip blinks', async () => {
    const { frames, fps } = await decodeFrames(GRID_A, { fps: 25 });
    expect(fps).toBe(25);
    expect(frames).toHaveLength(75);
    const at = async (i: number) => {
      const faces = await detectFaces(frames[i]!);
      expect(faces).toHaveLength(1);
      return { box: faces[0]!, m: faceMeasures(await faceMesh(frames[i]!, faces[0]!)) };
    };
    const open = await at(10);
    const [re, le, nose, rm, lm] = open.box.keypoints;
    expect(re.x).toBeLessThan(le.x);
    expect(Math.max(re.y, le.y)).toBeLessThan(nose.y);
    expect(nose.y).toBeLessThan(Math.min(rm.y, lm.y));
    expect(Math.abs(open.m.yawDeg)).toBeLessThan(15);
    // README: eyes closed at about frames 42–44 and 50–53; the mouth wide open at frame 36 ("blue")
    const closed = await at(52);
    expect(closed.m.eyeOpen).toBeLessThan(0.75 * open.m.eyeOpen);
    const speaking = await at(36);
    expect(speaking.m.mouthOpen).toBeGreaterThan(3 * open.m.mouthOpen);
  });

  it('stops when cancelled, with CANCELLED', async () => {
    const ac = new AbortController();
    let seen = 0;
    const run = analyseFaces(GRID_A, { fps: 25, signal: ac.signal, onFrame: () => (++seen === 3 ? ac.abort() : undefined) });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toBeLessThan(10);
  });

  it('checks lip sync of a real take', async () => {
    const r = await checkLipSync(GRID_B);
    expect(r.passed).toBe(true);
    expect(r.score).toBeGreaterThan(0.4);
    expect(r.speechSec).toBeGreaterThan(1);
  });
});

describe('alignment', () => {
  it('recovers a similarity transform from five points', () => {
    const dst = [
      { x: 38, y: 51 },
      { x: 73, y: 51 },
      { x: 56, y: 71 },
      { x: 41, y: 92 },
      { x: 70, y: 92 },
    ];
    const a = 1.7 * Math.cos(0.3);
    const b = 1.7 * Math.sin(0.3);
    const src = dst.map((p) => ({ x: a * p.x - b * p.y + 40, y: b * p.x + a * p.y - 12 }));
    const m = similarityFromPoints(dst, src);
    for (const [k, v] of Object.entries({ a, b: -b, c: 40, d: b, e: a, f: -12 })) expect(m[k as keyof typeof m]).toBeCloseTo(v, 6);
  });
});

describe('blinks', () => {
  const series = (closedAt: number[][], n = 75) =>
    Array.from({ length: n }, (_, i) => (closedAt.some(([a, b]) => i >= a! && i <= b!) ? 0.12 : 0.3));
  it('counts short closures and ignores long ones and gaps', () => {
    expect(
      countBlinks(
        series([
          [20, 22],
          [50, 53],
        ]),
        25,
      ).blinks,
    ).toBe(2);
    expect(countBlinks(series([[20, 50]]), 25).blinks).toBe(0);
    expect(countBlinks(series([]), 25).blinks).toBe(0);
    const gap: Array<number | undefined> = series([[20, 22]]);
    gap[19] = undefined;
    expect(countBlinks(gap, 25).blinks).toBe(0);
  });
});

describe('motion measures', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 255;
  const frame = () => Uint8Array.from({ length: 768 }, rand);
  it('tells a still, a freeze and a loop from moving frames', () => {
    const moving = Array.from({ length: 50 }, frame);
    expect(motionMeasures(moving, 25)).toMatchObject({ frozenShare: 0, loopSec: 0 });
    const still = Array.from({ length: 50 }, () => moving[0]!);
    expect(motionMeasures(still, 25).frozenShare).toBe(1);
    const frozen = [...moving.slice(0, 20), ...Array.from({ length: 30 }, () => moving[20]!)];
    expect(motionMeasures(frozen, 25).longestFreezeSec).toBeCloseTo(29 / 25, 5);
    const loop = [...moving.slice(0, 25), ...moving.slice(0, 25)];
    expect(motionMeasures(loop, 25)).toMatchObject({ loopSec: 1, loopLagSec: 1 });
  });
});

describe('lip-sync score', () => {
  // speech 1.0–2.0 s at 25 fps; the mouth opens and closes while speaking
  const speech = Array.from({ length: 75 }, (_, i) => (i >= 25 && i < 50 ? 1 : 0));
  const mouthAt = (shift: number) =>
    Array.from({ length: 75 }, (_, i) => (i - shift >= 25 && i - shift < 50 ? 0.1 + 0.1 * Math.sin(i) : 0.01));
  it('passes a mouth that moves with the speech and fails one 0.5 s off', () => {
    const inSync = lipSyncFromSeries(mouthAt(0), speech, 25, 1);
    expect(inSync.passed).toBe(true);
    expect(inSync.lagSec).toBe(0);
    const late = lipSyncFromSeries(mouthAt(-12), speech, 25, 1);
    expect(late).toMatchObject({ passed: false, reason: 'not-in-sync' });
    expect(late.lagSec).toBeGreaterThan(0.3);
  });
  it('needs speech and a face', () => {
    expect(lipSyncFromSeries(mouthAt(0), speech, 25, 0.1).reason).toBe('no-speech');
    expect(lipSyncFromSeries(new Array(75).fill(undefined), speech, 25, 1).reason).toBe('no-face');
  });
});

describe.skipIf(!available)('klappe faces', () => {
  it('reports faces, blinks and lip sync of a real clip as JSON', async () => {
    const r = await runCli(['faces', GRID_A, '--fps', '25', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      frames: number;
      framesWithFace: number;
      maxFacesInAFrame: number;
      blinks: number;
      lipSync: { passed: boolean };
      perFrame: Array<{ faces: Array<{ box: number[]; frontal: boolean }> }>;
    };
    expect(out).toMatchObject({ frames: 75, framesWithFace: 75, maxFacesInAFrame: 1, blinks: 2, lipSync: { passed: true } });
    expect(out.perFrame[0]!.faces[0]!.frontal).toBe(true);
    expect(out.perFrame[0]!.faces[0]!.box).toHaveLength(4);
  }, 60_000);
});
