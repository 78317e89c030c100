import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computePeaks, getPeaks, peaksForView, PEAK_LEVELS } from '../../engine/audio/peaks.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { sha256File } from '../../engine/util/hash.js';
import { tempDir } from '../support/env.js';

const t = tempDir('klappe-peaks-');
afterAll(t.cleanup);
const file = join(t.dir, 'two.flac');

beforeAll(async () => {
  // 1 s silence then 1 s of a 0.5-amplitude sine on the left channel; the right channel stays silent
  await runFfmpeg([
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'aevalsrc=exprs=if(gte(t\\,1)\\,0.5*sin(2*PI*300*t)\\,0)|0:s=48000:d=2',
    '-c:a',
    'flac',
    file,
  ]);
});

describe('waveform peaks', () => {
  it('computes min/max per block at every zoom level, per channel', async () => {
    const p = await computePeaks(file);
    expect(p.channels).toBe(2);
    expect(p.length).toBe(96000);
    expect(p.levels.map((l) => l.samplesPerPeak)).toEqual([...PEAK_LEVELS]);
    const fine = p.levels[0]!;
    expect(fine.count).toBe(Math.ceil(96000 / 256));
    const left = fine.data[0]!;
    const right = fine.data[1]!;
    // silence in the first second
    expect(Math.max(...Array.from(left.subarray(0, 2 * 180), Math.abs))).toBe(0);
    // the sine in the second: peaks near ±0.5
    const blk = 300;
    expect(left[2 * blk + 1]! / 32768).toBeCloseTo(0.5, 1);
    expect(left[2 * blk]! / 32768).toBeCloseTo(-0.5, 1);
    expect(Math.max(...Array.from(right, Math.abs))).toBe(0);
    // a coarser level holds the extremes of the finer one
    const coarse = p.levels[1]!;
    expect(coarse.data[0]![2 * 75 + 1]).toBe(Math.max(left[2 * 300 + 1]!, left[2 * 301 + 1]!, left[2 * 302 + 1]!, left[2 * 303 + 1]!));
  });

  it('caches by content hash in the data folder, and serves views for the editor', async () => {
    const cacheDir = join(t.dir, 'cache');
    const hash = await sha256File(file);
    const a = await getPeaks(file, { cacheDir });
    expect(existsSync(join(cacheDir, hash.slice(0, 2), `${hash}.peaks`))).toBe(true);
    // from the cache alone: the source is not read again
    const copy = join(t.dir, 'gone.flac');
    const b = await getPeaks(copy, { cacheDir, sha256: hash });
    expect(b.length).toBe(a.length);
    expect(Array.from(b.levels[2]!.data[0]!)).toEqual(Array.from(a.levels[2]!.data[0]!));
    expect(readdirSync(join(cacheDir, hash.slice(0, 2)))).toHaveLength(1);
    const view = peaksForView(a, { minPeaks: 50 });
    expect(view.samplesPerPeak).toBe(1024);
    expect(view.channels).toHaveLength(2);
    expect(view.channels[0]!.length).toBe(2 * Math.ceil(96000 / 1024));
    rmSync(cacheDir, { recursive: true });
  });
});
