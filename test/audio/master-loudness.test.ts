/**
 * The loudness master (engine/audio/master.ts), measured the way anyone
 * receiving the file would: ffmpeg's ebur128 (true peak) on the output file.
 * The sample project (17 s, speech, sound, silences) goes through the CLI at
 * every preset and a numeric target; a 10-minute program with long silences
 * and one loud impact goes through the audio master path alone (a 10-minute
 * video export per target would cost minutes of CPU; the master's AAC stream
 * is what the export copies into the file unchanged).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureLoudness } from '../../engine/audio/loudness.js';
import { masterAudio } from '../../engine/audio/master.js';
import { KlappeError } from '../../engine/common/errors.js';
import { loudnessVerdict } from '../../engine/common/export-record.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { loadProject } from '../../engine/model/project-file.js';
import { exportProject } from '../../engine/export/export-project.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import type { RenderPlan } from '../../engine/render/plan.js';
import { runCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-master-');
afterAll(t.cleanup);
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
const sample = join(t.dir, 'sample');
const quick = ['--preset', '320x180', '--no-watermark', '--no-invisible-watermark', '--no-sign', '--json'];

function expectOnTarget(m: { integrated: number; truePeak: number }, target: number): void {
  expect(Math.abs(m.integrated - target), `${m.integrated} LUFS for a ${target} target`).toBeLessThanOrEqual(1);
  expect(m.truePeak).toBeLessThanOrEqual(-1);
}

describe('loudness master on the sample project (CLI, ebur128 on the file)', () => {
  beforeAll(async () => {
    const r = await runCli(['new', sample, '--template', 'two-scenes'], env);
    expect(r.status, r.stderr).toBe(0);
  });

  for (const [arg, target] of [
    ['broadcast', -23],
    ['streaming', -14],
    ['podcast', -16],
    ['-18', -18],
  ] as const) {
    it(`--loudness ${arg} measures ${target} LUFS ±1 LU, true peak ≤ −1 dBTP`, async () => {
      const out = join(t.dir, `sample-${arg}.mp4`);
      const r = await runCli(['render', sample, '-o', out, `--loudness=${arg}`, ...quick], env);
      expect(r.status, r.stderr).toBe(0);
      const printed = JSON.parse(r.stdout).loudness;
      expect(printed.targetLufs).toBe(target);
      const m = await measureLoudness(out);
      expectOnTarget(m, target);
      // what the CLI prints is the file's own audio
      expect(Math.abs(printed.integrated - m.integrated)).toBeLessThanOrEqual(0.2);
    });
  }

  it("without --loudness the render uses the project's saved choice (streaming for a new project)", async () => {
    const out = join(t.dir, 'sample-default.mp4');
    const r = await runCli(['render', sample, '-o', out, ...quick], env);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).loudness.targetLufs).toBe(-14);
    expectOnTarget(await measureLoudness(out), -14);
  });

  it('a range too short to measure (under one 400 ms block) is exported without a target, and says so', async () => {
    const out = join(t.dir, 'sample-short.mp4');
    const r = await runCli(['render', sample, '-o', out, '--in', '0', '--out', '6', '--loudness=streaming', ...quick], env);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).loudness).toMatchObject({ targetLufs: -14, silent: true });
    expect(existsSync(out)).toBe(true);
    expect(loudnessVerdict({ integrated: -70, target: -14 })).toEqual({
      met: false,
      text: 'silent or shorter than 0.4 s: no target applied',
    });
    const withoutJson = quick.filter((a) => a !== '--json');
    const plain = await runCli(
      ['render', sample, '-o', out, '--force', '--in', '0', '--out', '6', '--loudness=streaming', ...withoutJson],
      env,
    );
    expect(plain.stdout).toMatch(/target -14: not applied, the sound is silent or shorter than the 0\.4 s/);
  });

  it('a master that still misses after its corrective pass fails with both numbers and writes nothing', async () => {
    const out = join(t.dir, 'missed.mp4');
    const earlier = join(t.dir, 'earlier.mp4');
    writeFileSync(earlier, 'an earlier export');
    const prev = process.env.KLAPPE_DATA_DIR;
    process.env.KLAPPE_DATA_DIR = env.KLAPPE_DATA_DIR;
    try {
      const loaded = loadProject(sample);
      let calls = 0;
      const meter = async () => {
        calls++;
        return { integrated: -9.5, range: 3, truePeak: -0.2 };
      };
      for (const [path, force] of [
        [out, false],
        [earlier, true],
      ] as const) {
        const err = await exportProject(loaded, path, {
          size: { width: 320, height: 180 },
          force,
          loudness: -14,
          loudnessMeter: meter,
          watermark: false,
          invisibleWatermark: false,
          sign: false,
          store: new MediaStore(),
        }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(KlappeError);
        expect((err as KlappeError).code).toBe('LOUDNESS_MISSED');
        expect((err as KlappeError).message).toMatch(/-9\.5 LUFS, true peak -0\.2 dBTP.*target is -14 LUFS/);
      }
      expect(calls).toBe(4); // a master pass and a corrective pass, twice
      expect(existsSync(out)).toBe(false);
      expect(readFileSync(earlier, 'utf8')).toBe('an earlier export');
    } finally {
      if (prev === undefined) delete process.env.KLAPPE_DATA_DIR;
      else process.env.KLAPPE_DATA_DIR = prev;
    }
  });
});

describe('loudness master on a 10-minute program with long silences and one loud impact', () => {
  const program = join(t.dir, 'program.wav');
  const seconds = 600;
  const samples = seconds * 48000;
  const plan: RenderPlan = {
    width: 64,
    height: 64,
    rate: { num: 24, den: 1 },
    frames: seconds * 24,
    samples,
    inputs: [program],
    video: [{ kind: 'gap', frames: seconds * 24 }],
    audio: [
      { clipId: 'c', input: 0, sourceStartSample: 0, startSample: 0, samples, gainDb: 0, fadeInSamples: 0, fadeOutSamples: 0, pan: 0 },
    ],
  };

  beforeAll(async () => {
    // 15 s of quiet, modulated tone every 150 s (silence in between), and a quarter second of full-scale noise at 5:00
    await runFfmpeg([
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `aevalsrc='if(between(t,300,300.25),0.99*(2*random(0)-1),if(between(mod(t,150),30,45),0.05*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*4*t)),0))':s=48000:d=${seconds}`,
      '-c:a',
      'pcm_s16le',
      program,
    ]);
  });

  for (const target of [-14, -23]) {
    it(`reaches ${target} LUFS ±1 LU under −1 dBTP`, async () => {
      const out = join(t.dir, `program${target}.m4a`);
      const r = await masterAudio(plan, out, { target, audioBitrate: '192k' });
      expect(r.limitDb).toBeDefined(); // the impact needs the limiter at either target
      expectOnTarget(await measureLoudness(out), target);
      expect(existsSync(`${out}.mix.wav`)).toBe(false);
    });
  }
});
