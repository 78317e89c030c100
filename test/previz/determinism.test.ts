import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli, tempDir } from '../support/env.js';
import { sampleProject } from './fixtures.js';
import { frameMd5 } from './media-probe.js';

const tmp = tempDir('klappe-previz-det-');
afterAll(() => tmp.cleanup());

function render(name: string): Promise<string> {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'project.klappe'), JSON.stringify(sampleProject({ width: 320, height: 180, firstSceneOnly: true })));
  const out = join(tmp.dir, `${name}.mp4`);
  return new Promise((resolve, reject) => {
    const child = spawnCli(['render', dir, '-o', out], { KLAPPE_DATA_DIR: join(tmp.dir, `${name}-data`) });
    let err = '';
    child.stderr!.on('data', (d) => { err += d; });
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`render exited ${code}: ${err.slice(-2000)}`))));
  });
}

describe('previz determinism', () => {
  it('the same project and seed give identical video frames and audio in two separate processes', async () => {
    const [a, b] = await Promise.all([render('one'), render('two')]);
    const [va, vb, aa, ab] = await Promise.all([frameMd5(a, 'v'), frameMd5(b, 'v'), frameMd5(a, 'a'), frameMd5(b, 'a')]);
    expect(va.length).toBe(240);
    expect(vb).toEqual(va);
    expect(aa.length).toBeGreaterThan(0);
    expect(ab).toEqual(aa);
    // Not trivially equal: the picture changes over the scene.
    expect(new Set(va.map((l) => l.split(',').pop())).size).toBeGreaterThan(24);
  });
});
