import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, videoStream, audioStream } from '../../engine/media/probe.js';
import { runCli, spawnCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-cli-');
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
afterAll(() => t.cleanup());

describe('klappe CLI', () => {
  const demo = join(t.dir, 'demo');
  const out = join(t.dir, 'demo.mp4');

  beforeAll(async () => {
    const r = await runCli(['new', demo, '--template', 'two-scenes'], env);
    expect(r.status, r.stderr).toBe(0);
  });

  it('renders the sample to an MP4 whose duration matches the sequence within one frame', async () => {
    const r = await runCli(['render', demo, '-o', out, '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.frames).toBe(408);
    const p = await probe(out, { countFrames: true });
    expect(p.streams.filter((s) => s.codec_type === 'video')).toHaveLength(1);
    expect(p.streams.filter((s) => s.codec_type === 'audio')).toHaveLength(1);
    expect(videoStream(p)!.codec_name).toBe('h264');
    expect(videoStream(p)!.pix_fmt).toBe('yuv420p');
    expect(audioStream(p)!.codec_name).toBe('aac');
    expect(audioStream(p)!.sample_rate).toBe('48000');
    expect(Number(videoStream(p)!.nb_read_frames)).toBe(408);
    expect(Math.abs(Number(p.format.duration) - 408 / 24)).toBeLessThanOrEqual(1 / 24);
    // takes were recorded, so a second render generates nothing
    const again = await runCli(['render', demo, '-o', out, '--force', '--json', '--no-invisible-watermark'], env);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).generatedShots).toEqual([]);
  });

  it('does not overwrite an existing file without --force', async () => {
    writeFileSync(join(t.dir, 'keep.mp4'), 'precious');
    const r = await runCli(['render', demo, '-o', join(t.dir, 'keep.mp4')], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/already exists.*\n.*--force/);
    expect(readFileSync(join(t.dir, 'keep.mp4'), 'utf8')).toBe('precious');
  });

  it('prints help for every command and exits 2 on bad arguments', async () => {
    for (const cmd of ['new', 'info', 'render']) {
      const r = await runCli([cmd, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: klappe ${cmd}`);
    }
    expect((await runCli(['--help'])).stdout).toContain('Commands:');
    expect((await runCli(['render', demo, '--frobnicate'])).status).toBe(2);
    expect((await runCli(['nope'])).status).toBe(2);
    expect((await runCli(['render', demo, '-o', join(t.dir, 'x.mp4'), '--preset', '1281x720'])).status).toBe(2);
  });

  const broken: Array<[string, (j: any) => string | void, RegExp, RegExp]> = [
    [
      'a wrong type deep inside',
      (j) => {
        j.scenes[0].shots[1].camera.position[2] = 'far';
      },
      /scenes\[0\]\.shots\[1\]\.camera\.position\[2\]/,
      /expected number/,
    ],
    [
      'a newer schemaVersion',
      (j) => {
        j.schemaVersion = 99;
      },
      /schemaVersion/,
      /made by a newer Klappe \(schema version 99\); this build reads up to \d+/,
    ],
    ['invalid JSON', () => '{ "schemaVersion": 2, ', /project\.klappe:1:\d+/, /invalid JSON/],
    [
      'a clip pointing at a missing file',
      (j) => {
        j.media.push({ id: 'media-x', path: 'footage/missing.mp4', kind: 'video' });
        j.sequence.tracks[0].clips.push({ id: 'cx', source: { type: 'media', mediaId: 'media-x' }, recordStart: 500, duration: 24 });
      },
      /sequence\.tracks\[0\]\.clips\[5\]\.source/,
      /expected a media file at .*footage\/missing\.mp4/,
    ],
  ];
  for (const [what, mutate, pathRe, msgRe] of broken) {
    it(`exits 2 and names file and path for ${what}; writes nothing`, async () => {
      const d = tempDir();
      const good = readFileSync(join(demo, 'project.klappe'), 'utf8');
      const json = JSON.parse(good);
      const text = mutate(json) ?? JSON.stringify(json, null, 2);
      writeFileSync(join(d.dir, 'project.klappe'), text);
      const target = join(d.dir, 'out.mp4');
      for (const args of [
        ['render', d.dir, '-o', target],
        ['info', d.dir],
      ]) {
        if (args[0] === 'info' && what.includes('missing file')) continue; // info lists offline media as a warning
        const r = await runCli(args, env);
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr).toContain(join(d.dir, 'project.klappe'));
        expect(r.stderr).toMatch(pathRe);
        expect(r.stderr).toMatch(msgRe);
      }
      expect(existsSync(target)).toBe(false);
      expect(readdirSync(d.dir)).toEqual(['project.klappe']);
      expect(readFileSync(join(d.dir, 'project.klappe'), 'utf8')).toBe(text);
      d.cleanup();
    });
  }

  it('--json errors carry code, path and hint', async () => {
    const r = await runCli(['info', join(t.dir, 'nowhere'), '--json']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'PROJECT_NOT_FOUND', hint: expect.stringContaining('klappe new') });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`a render killed with ${signal} midway leaves no output file`, async () => {
      const target = join(t.dir, `killed-${signal}.mp4`);
      const child = spawnCli(['render', demo, '-o', target, '--preset', '1920x1080', '--force'], env);
      let stderr = '';
      await new Promise<void>((resolve) => {
        child.stderr!.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (/rendering: [1-9]\d*%/.test(stderr)) resolve();
        });
        child.on('exit', () => resolve());
      });
      child.kill(signal);
      const code = await new Promise<number | null>(
        (resolve) => child.on('exit', (c) => resolve(c)).exitCode !== null && resolve(child.exitCode),
      );
      expect(code).toBe(130);
      expect(existsSync(target)).toBe(false);
      expect(readdirSync(t.dir).filter((n) => n.includes(`killed-${signal}`))).toEqual([]);
    });
  }
});
