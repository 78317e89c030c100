import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../engine/audio/wav.js';
import { runCli, tempDir } from '../support/env.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('klappe speak / parse-prompt', () => {
  it('speaks a line to a 48 kHz WAV with word timings', async () => {
    const out = join(tmp.dir, 'line.wav');
    const r = await runCli(['speak', 'Careful, the cup!', '-o', out, '--voice', 'rms', '--pitch', '120', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.words.map((w: { text: string }) => w.text)).toEqual(['Careful', 'the', 'cup']);
    const wav = decodeWav(readFileSync(out));
    expect(wav).toMatchObject({ sampleRate: 48000, channels: 1 });
    expect(wav.samples.length / 48000).toBeCloseTo(j.durationS, 2);
    expect(r.stderr).not.toMatch(/ExperimentalWarning/);
    const bad = await runCli(['speak', 'Hi', '--voice', 'hal']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no voice called "hal"/);
  });

  it("shows how a shot's prompt is read", async () => {
    const project = join(tmp.dir, 'demo');
    expect((await runCli(['new', project])).status).toBe(0);
    expect(existsSync(join(project, 'project.klappe'))).toBe(true);
    const r = await runCli(['parse-prompt', project, 's2', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      characterIds: ['mia'],
      propIds: ['cup'],
      actions: [{ actorId: 'mia', verb: 'drop', targetId: 'cup' }],
      camera: { shotSize: 'medium' },
    });
    expect((await runCli(['parse-prompt', project, 'nope'])).status).toBe(2);
  });
});
