import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locate, resetLocateCache } from '../../engine/media/locate.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { tempDir } from '../support/env.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetLocateCache();
});

describe('ffmpeg discovery and runner', () => {
  it('finds ffmpeg and ffprobe and says where from', () => {
    const ff = locate('ffmpeg');
    const fp = locate('ffprobe');
    expect(ff.path).toBeTruthy();
    expect(fp.path).toBeTruthy();
    expect(ff.source).toMatch(/env|ffmpeg-static|@ffmpeg-installer|PATH/);
  });

  it('FFMPEG_PATH wins', () => {
    const t = tempDir();
    const fake = join(t.dir, 'myffmpeg');
    writeFileSync(fake, '#!/bin/sh\nexit 0\n');
    chmodSync(fake, 0o755);
    process.env.FFMPEG_PATH = fake;
    resetLocateCache();
    expect(locate('ffmpeg')).toEqual({ tool: 'ffmpeg', path: fake, source: 'env FFMPEG_PATH' });
    t.cleanup();
  });

  it('reports progress and is cancelled by an AbortSignal', async () => {
    const fractions: number[] = [];
    await runFfmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=25', '-t', '2', '-f', 'null', '-'], {
      durationUs: 2_000_000,
      onProgress: (p) => fractions.push(p.fraction ?? 0),
    });
    expect(fractions[fractions.length - 1]).toBe(1);
    const ac = new AbortController();
    const started = Date.now();
    const run = runFfmpeg(['-re', '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=25', '-t', '60', '-f', 'null', '-'], {
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 300);
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('keeps stderr for the error message', async () => {
    await expect(runFfmpeg(['-i', '/no/such/file.mp4', '-f', 'null', '-'])).rejects.toThrow(/No such file/);
  });
});
