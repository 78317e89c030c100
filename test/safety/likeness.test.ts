/**
 * Cameo references from a recording and likeness matching on real faces: the
 * two GRID speakers, alone and side by side.
 *
 * Video clips from "The Grid Audio-Visual Speech Corpus", Martin Cooke, Jon Barker,
 * Stuart Cunningham, Xu Shao (2006), https://doi.org/10.5281/zenodo.3625687, licensed under
 * CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Unmodified. Obtained via
 * github.com/rizkiarm/LipNet (evaluation samples).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deriveCameoReferences, type CameoReferences } from '../../engine/cameo/cameo-references.js';
import { probe, videoStream } from '../../engine/media/probe.js';
import {
  bestMatch,
  LIKENESS_THRESHOLD,
  matchLikeness,
  matchLikenessInFrames,
  type RegisteredLikeness,
} from '../../engine/safety/likeness.js';
import { cosineSimilarity } from '../../engine/vision/face-embed.js';
import { decodeFrames } from '../../engine/vision/frames.js';
import { tempDir } from '../support/env.js';
import { GRID_A, GRID_B, gridAvailable, makeGridVariant } from '../support/grid-faces.js';

// the models run on shared CPU cores: a slow moment must not fail a test
vi.setConfig({ testTimeout: 60_000 });

const available = gridAvailable();
if (!available) console.log('likeness tests skipped: the GRID clips are not in ../shared/media/faces');

const { dir, cleanup } = tempDir('klappe-likeness-');
afterAll(cleanup);

let refA: CameoReferences;
let refB: CameoReferences;
let registered: RegisteredLikeness[];
let twoFaces = '';

beforeAll(async () => {
  if (!available) return;
  refA = await deriveCameoReferences(GRID_A, join(dir, 'a'));
  refB = await deriveCameoReferences(GRID_B, join(dir, 'b'), { crops: 2, size: 128 });
  registered = [
    { id: 'cameo-a', name: 'Speaker one', embedding: refA.embedding },
    { id: 'cameo-b', name: 'Speaker two', embedding: refB.embedding },
  ];
  twoFaces = await makeGridVariant('two-faces', GRID_A, join(dir, 'two.mp4'), GRID_B);
}, 60_000);

describe.skipIf(!available)('cameo references from a recording', () => {
  it('writes frontal face crops as PNG and a normalised mean embedding', async () => {
    expect(refA.crops).toHaveLength(3);
    expect(refB.crops).toHaveLength(2);
    expect(refA.embeddingModel).toBe('mobilefacenet-128d');
    expect(refA.embedding).toHaveLength(128);
    expect(Math.hypot(...refA.embedding)).toBeCloseTo(1, 5);
    expect(refA.framesUsed).toBeGreaterThanOrEqual(10);
    for (const c of refA.crops) {
      expect(existsSync(c.file)).toBe(true);
      expect(Math.abs(c.yawDeg)).toBeLessThan(20);
      const v = videoStream(await probe(c.file));
      expect([v?.codec_name, v?.width, v?.height]).toEqual(['png', 256, 256]);
    }
    // spread over the recording
    expect(refA.crops[2]!.timeMs - refA.crops[0]!.timeMs).toBeGreaterThanOrEqual(700);
    expect(cosineSimilarity(refA.embedding, refB.embedding)).toBeLessThan(LIKENESS_THRESHOLD - 0.2);
  });
});

describe.skipIf(!available)('likeness matching', () => {
  it('finds the registered person in their own clip and nobody else', async () => {
    const r = await matchLikeness(GRID_B, registered);
    expect(r.framesSampled).toBe(6);
    expect(r.facesFound).toBe(6);
    expect(r.matches.map((m) => m.id)).toEqual(['cameo-b']);
    expect(r.matches[0]!.timesMs).toHaveLength(6);
    expect(r.matches[0]!.similarity).toBeGreaterThan(0.8);
    expect(r.unknown).toEqual([]);
  });

  it('reports the second face of a side-by-side clip as one unknown person when only the first is registered', async () => {
    const r = await matchLikeness(twoFaces, [registered[0]!], { fps: 3 });
    expect(r.matches.map((m) => m.id)).toEqual(['cameo-a']);
    expect(r.unknown).toHaveLength(1);
    const u = r.unknown[0]!;
    expect(u.frames).toBe(r.framesSampled);
    expect(u.bestSimilarity).toBeLessThan(LIKENESS_THRESHOLD);
    // the unknown face is the right half's (source pixels: 720 wide)
    expect(u.box.x).toBeGreaterThan(360);
  });

  it('reads a picture as one frame (a reference image, a crop)', async () => {
    const r = await matchLikeness(refB.crops[0]!.file, registered);
    expect(r.framesSampled).toBe(1);
    expect(r.matches.map((m) => m.id)).toEqual(['cameo-b']);
  });

  it('matches frames the caller sampled', async () => {
    const decoded = await decodeFrames(GRID_A, { fps: 1 });
    const r = await matchLikenessInFrames(
      decoded.frames.map((image, i) => ({ timeMs: i * 1000, image })),
      registered,
    );
    expect(r.matches.map((m) => [m.id, m.timesMs])).toEqual([['cameo-a', [0, 1000, 2000]]]);
  });
});

describe('bestMatch', () => {
  const unit = (i: number) => Float32Array.from({ length: 128 }, (_, k) => (k === i ? 1 : 0));
  it('takes the most similar registration at or above the threshold', () => {
    const reg = [
      { id: 'x', name: 'X', embedding: unit(0) },
      { id: 'y', name: 'Y', embedding: unit(1) },
    ];
    const probeVec = unit(1);
    probeVec[0] = 0.5;
    expect(bestMatch(probeVec, reg).match?.id).toBe('y');
    expect(bestMatch(unit(2), reg).match).toBeUndefined();
    expect(bestMatch(unit(2), []).match).toBeUndefined();
  });
});
