import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaStore } from '../../engine/cache/media-store.js';
import { loadProject } from '../../engine/model/project-file.js';
import { spawnCli, tempDir } from '../support/env.js';
import { sampleProject } from './fixtures.js';
import { frameMd5 } from './media-probe.js';

const tmp = tempDir('klappe-previz-det-');
afterAll(() => tmp.cleanup());

/** Generates shots s2 and s3 in its own `klappe` process and returns the takes' video files, by shot. */
function render(name: string): Promise<Record<string, string>> {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'project.klappe'),
    JSON.stringify(sampleProject({ width: 320, height: 180, firstSceneOnly: true, clips: ['c2', 'c3'] })),
  );
  const data = join(tmp.dir, `${name}-data`);
  return new Promise((resolve, reject) => {
    const child = spawnCli(['generate', dir, '--shot', 's2', '--shot', 's3'], {
      KLAPPE_DATA_DIR: data,
      KLAPPE_CONFIG_DIR: join(tmp.dir, `${name}-config`),
    });
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`generate exited ${code}: ${err.slice(-2000)}`));
      const store = new MediaStore(join(data, 'media'));
      const doc = loadProject(dir).doc;
      resolve(Object.fromEntries(doc.takes.map((t) => [t.shotId, store.require(t.media.video!)])));
    });
  });
}

describe('previz determinism', () => {
  // The takes are compared (an exported file also carries a per-export watermark id).
  it('the same project and seed give identical video frames and audio in two separate processes (a cup falls, two lines are spoken)', async () => {
    const [a, b] = await Promise.all([render('one'), render('two')]);
    expect(Object.keys(a).sort()).toEqual(['s2', 's3']);
    for (const shot of ['s2', 's3']) {
      const [va, vb, aa, ab] = await Promise.all([
        frameMd5(a[shot]!, 'v'),
        frameMd5(b[shot]!, 'v'),
        frameMd5(a[shot]!, 'a'),
        frameMd5(b[shot]!, 'a'),
      ]);
      expect(va.length).toBe(72);
      expect(vb).toEqual(va);
      expect(aa.length).toBeGreaterThan(0);
      expect(ab).toEqual(aa);
      // Not trivially equal: the picture changes during the shot.
      expect(new Set(va.map((l) => l.split(',').pop())).size).toBeGreaterThan(12);
    }
  }, 300_000);
});
