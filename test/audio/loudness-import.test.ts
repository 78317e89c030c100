import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureLoudness, parseLoudnessTarget } from '../../engine/audio/loudness.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { probe } from '../../engine/media/probe.js';
import { loadProject } from '../../engine/model/project-file.js';
import { saveProject } from '../support/write-project.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { ROOT, runCli, tempDir } from '../support/env.js';
import { fliteSpeak } from '../support/flite-speech.js';

const t = tempDir('klappe-loud-');
afterAll(t.cleanup);
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
const project = join(t.dir, 'p');
const speech = join(t.dir, 'line.wav');
const music = join(t.dir, 'music.flac');

beforeAll(async () => {
  cpSync(join(ROOT, 'assets', 'templates', 'empty'), project, { recursive: true });
  const loaded = loadProject(project);
  saveProject(loaded.file, applyCommand(loaded.doc, { type: 'clip.remove', clipId: 'clip-1' }).doc);
  await fliteSpeak('We have to leave before the storm reaches the harbour, or we will never make it home.', speech);
  await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=220:sample_rate=48000:duration=6', '-af', 'volume=-6dB', music]);
});

describe('klappe import', () => {
  it('puts WAV and FLAC files on tracks', async () => {
    const a = await runCli(['import', project, speech, '--track', 'd1', '--at', '12', '--json'], env);
    expect(a.status, a.stderr).toBe(0);
    const b = await runCli(['import', project, music, '--track', 'm1', '--json'], env);
    expect(b.status, b.stderr).toBe(0);
    const doc = loadProject(project).doc;
    expect(doc.sequence.tracks.find((x) => x.id === 'd1')!.clips[0]!.recordStart).toBe(12);
    expect(doc.media.map((m) => m.kind)).toEqual(['audio', 'audio']);
  });

  it('trims the silence around imported speech with --trim-silence (VAD)', async () => {
    const padded = join(t.dir, 'padded.m4a');
    await runFfmpeg(['-v', 'error', '-i', speech, '-af', 'aresample=48000,adelay=2000,apad=pad_len=96000', '-c:a', 'aac', padded]);
    const r = await runCli(['import', project, padded, '--track', 'x1', '--trim-silence', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const clip = loadProject(project).doc.sequence.tracks.find((x) => x.id === 'x1')!.clips[0]!;
    // 24 fps: speech starts a little after 2 s (+ flite's own lead-in), so about frame 48–54
    expect(clip.sourceStart).toBeGreaterThanOrEqual(48);
    expect(clip.sourceStart).toBeLessThan(56);
    const total = Math.ceil(Number((await probe(padded)).format.duration) * 24);
    expect(clip.sourceStart + clip.duration).toBeLessThan(total - 24); // the trailing 2 s are cut
    // leave the project as the other tests expect
    saveProject(join(project, 'project.klappe'), applyCommand(loadProject(project).doc, { type: 'clip.remove', clipId: clip.id }).doc);
  });

  it('refuses unreadable and unsupported files with exit 2 and leaves the project unchanged', async () => {
    const before = readFileSync(join(project, 'project.klappe'), 'utf8');
    const junk = join(t.dir, 'junk.wav');
    writeFileSync(junk, 'this is not audio');
    const r1 = await runCli(['import', project, junk, '--track', 'm1'], env);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toMatch(/junk\.wav: not a readable audio file/);
    const r2 = await runCli(['import', project, join(t.dir, 'notes.txt'), '--track', 'm1'], env);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/"\.txt" files cannot be imported/);
    const r3 = await runCli(['import', project, speech, '--track', 'v1'], env);
    expect(r3.status).toBe(2);
    expect(readFileSync(join(project, 'project.klappe'), 'utf8')).toBe(before);
  });
});

describe('master loudness', () => {
  it('parses presets and levels', async () => {
    expect(parseLoudnessTarget('streaming')).toBe(-14);
    expect(parseLoudnessTarget('broadcast')).toBe(-23);
    expect(parseLoudnessTarget('podcast')).toBe(-16);
    expect(parseLoudnessTarget('-18.5')).toBe(-18.5);
    expect(() => parseLoudnessTarget('loud')).toThrow(/not a preset/);
  });

  for (const [preset, target] of [
    ['streaming', -14],
    ['broadcast', -23],
  ] as const) {
    it(`an export at --loudness ${preset} measures ${target} LUFS ±1 LU with true peak ≤ −1 dBTP`, async () => {
      const out = join(t.dir, `${preset}.mp4`);
      const r = await runCli(
        [
          'render',
          project,
          '-o',
          out,
          '--preset',
          '64x64',
          '--loudness',
          preset,
          '--no-watermark',
          '--no-invisible-watermark',
          '--no-sign',
          '--json',
        ],
        env,
      );
      expect(r.status, r.stderr).toBe(0);
      const m = await measureLoudness(out);
      expect(Math.abs(m.integrated - target)).toBeLessThanOrEqual(1);
      expect(m.truePeak).toBeLessThanOrEqual(-1);
      expect(JSON.parse(r.stdout).loudness.targetLufs).toBe(target);
    });
  }
});
