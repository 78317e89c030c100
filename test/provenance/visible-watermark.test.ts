/** The visible watermark moves between four spots; pixels differ from an unmarked render exactly there. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../../engine/media/run.js';
import { spotAt, visibleMarkLayout, watermarkText } from '../../engine/provenance/visible-watermark.js';
import { tempDir } from '../support/env.js';
import { makeShortProject } from './short-project.js';
import { runCli } from '../support/env.js';

const t = tempDir('klappe-visible-');
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
afterAll(() => t.cleanup());
const FRAMES = 48;

async function grayFrame(file: string, n: number, w: number, h: number): Promise<Uint8Array> {
  const { stdout } = await runTool(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${n}),format=gray`, '-vsync', '0', '-frames:v', '1', '-f', 'rawvideo', 'pipe:1'],
    { captureStdout: true },
  );
  expect(stdout.length).toBe(w * h);
  return stdout;
}

/** Mean |a−b| in the band each spot's text sits in: [top-left, bottom-right, top-right, bottom-left]. */
function cornerDiffs(a: Uint8Array, b: Uint8Array, w: number, h: number, layout: { margin: number; fontSize: number }): number[] {
  const sums = [0, 0, 0, 0];
  const counts = [0, 0, 0, 0];
  const { margin: m, fontSize: fs } = layout;
  for (let y = 0; y < h; y++) {
    const top = y > 2 * m - fs * 0.5 && y < 2 * m + fs * 1.6;
    const bottom = y > h - 2 * m - fs * 1.6 && y < h - 2 * m + fs * 0.5;
    if (!top && !bottom) continue;
    for (let x = 0; x < w; x++) {
      // strips at the left and right margins: the text starts at one or ends at the other
      const left = x >= m && x < m + fs * 2;
      const right = x > w - m - fs * 2 && x <= w - m;
      if (!left && !right) continue;
      const k = top ? (left ? 0 : 2) : left ? 3 : 1;
      sums[k]! += Math.abs(a[y * w + x]! - b[y * w + x]!);
      counts[k]!++;
    }
  }
  return sums.map((s, i) => s / counts[i]!);
}

describe('visible watermark', () => {
  it('names the product and the creator', async () => {
    expect(watermarkText('Ada Lovelace')).toBe('Klappe · AI · Ada Lovelace');
    expect(watermarkText("Bad:name,'x'")).toBe('Klappe · AI · Bad name x');
  });

  let project = '';
  beforeAll(async () => {
    project = await makeShortProject(join(t.dir, 'p'), env, FRAMES);
  });
  for (const [w, h] of [
    [720, 1280],
    [1920, 1080],
  ] as const) {
    it(`is drawn at four spots over time at ${w}x${h}, and --no-watermark turns it off`, async () => {
      const marked = join(t.dir, `marked-${w}.mp4`);
      const plain = join(t.dir, `plain-${w}.mp4`);
      const common = ['--preset', `${w}x${h}`, '--no-invisible-watermark', '--no-sign'];
      expect((await runCli(['render', project, '-o', marked, ...common], env)).status).toBe(0);
      expect((await runCli(['render', project, '-o', plain, ...common, '--no-watermark'], env)).status).toBe(0);
      const layout = visibleMarkLayout(w, h, FRAMES, 'Ada Lovelace');
      const seen = new Set<number>();
      for (let n = Math.floor(layout.framesPerSpot / 2); n < FRAMES; n += layout.framesPerSpot) {
        const d = cornerDiffs(await grayFrame(marked, n, w, h), await grayFrame(plain, n, w, h), w, h, layout);
        const spot = spotAt(n, layout);
        const strongest = d.indexOf(Math.max(...d));
        expect({ n, strongest }).toEqual({ n, strongest: spot });
        expect(d[spot]!).toBeGreaterThan(2);
        for (let k = 0; k < 4; k++) if (k !== spot) expect(d[k]!).toBeLessThan(d[spot]! / 3);
        seen.add(spot);
      }
      expect(seen.size).toBeGreaterThanOrEqual(3);
    }, 300_000);
  }
});
