/**
 * The visible watermark keeps clear of burned-in captions (issue 13: "the
 * visible watermark covers the captions"). Three real exports of a flat grey
 * sequence with a two-line caption all along: without anything, with the
 * captions, with the captions and the watermark. The pixels each adds are
 * boxed on frames where the watermark sits at a bottom spot: the boxes must
 * not meet. Tall and wide. The creator name in the watermark is checked too.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeColourClip } from '../servers/test-clip.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { exportProject, type ExportOptions } from '../../engine/export/export-project.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import type { Project } from '../../engine/model/schema.js';
import { spotAt, visibleMarkLayout } from '../../engine/provenance/visible-watermark.js';
import { ROOT, tempDir } from '../support/env.js';

const FRAMES = 48;

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

async function frameRgb(file: string, n: number, w: number, h: number): Promise<Uint8Array> {
  const r = await runFfmpeg(
    ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${n})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { captureStdout: true },
  );
  expect(r.stdout.length).toBe(w * h * 3);
  return Uint8Array.from(r.stdout);
}

/** The box of pixels where `a` and `b` differ by more than a little. */
function diffBox(a: Uint8Array, b: Uint8Array, w: number, h: number): Box | undefined {
  let box: Box | undefined;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const d = Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
      if (d <= 24) continue;
      if (!box) box = { x0: x, y0: y, x1: x, y1: y };
      else {
        box.x0 = Math.min(box.x0, x);
        box.y0 = Math.min(box.y0, y);
        box.x1 = Math.max(box.x1, x);
        box.y1 = Math.max(box.y1, y);
      }
    }
  return box;
}

const meet = (a: Box, b: Box) => a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;

describe('the visible watermark and burned captions', () => {
  const t = tempDir('klappe-wm-captions-');
  const dir = join(t.dir, 'p');
  let doc: Project;
  beforeAll(async () => {
    cpSync(join(ROOT, 'assets', 'templates', 'empty'), dir, { recursive: true });
    await makeColourClip(join(dir, 'grey.mp4'), { colour: '0x808080', seconds: 2, width: 320, height: 180 });
    doc = loadProject(dir).doc;
    doc = { ...doc, creator: { name: 'R. Director' }, media: [{ id: 'grey', path: 'grey.mp4', kind: 'video' }] };
    doc.sequence = { ...doc.sequence, tracks: doc.sequence.tracks.map((tr) => (tr.kind === 'video' ? { ...tr, clips: [] } : tr)) };
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: 'v1',
      clip: { id: 'g', source: { type: 'media', mediaId: 'grey' }, recordStart: 0, duration: FRAMES },
    }).doc;
    doc = applyCommand(doc, { type: 'character.add', character: { id: 'mia', name: 'Mia' } }).doc;
    doc = applyCommand(doc, {
      type: 'line.add',
      line: { id: 'l1', characterId: 'mia', text: 'I kept it for three years, every single day, and you never once asked me why.' },
    }).doc;
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: 'd1',
      clip: { id: 'lc', source: { type: 'line' }, lineId: 'l1', recordStart: 0, duration: FRAMES },
    }).doc;
  });
  afterAll(() => t.cleanup());

  for (const [w, h] of [
    [1280, 720],
    [720, 1280],
  ] as const) {
    it(`never covers the captions at ${w}x${h}`, async () => {
      const loaded = { doc, dir, file: join(dir, 'project.klappe'), migratedFrom: doc.schemaVersion };
      const base: ExportOptions = {
        store: new MediaStore(join(t.dir, 'store')),
        invisibleWatermark: false,
        sign: false,
        frameCheck: false,
        size: { width: w, height: h },
        encode: { crf: 0, preset: 'ultrafast', audioBitrate: '64k' },
      };
      const out = (name: string) => join(t.dir, `${name}-${w}x${h}.mp4`);
      await exportProject(loaded, out('bare'), { ...base, watermark: false });
      await exportProject(loaded, out('captions'), { ...base, watermark: false, burnCaptions: true });
      await exportProject(loaded, out('both'), { ...base, watermark: true, burnCaptions: true });
      const layout = visibleMarkLayout(w, h, FRAMES, 'R. Director');
      expect(layout.text).toBe('Klappe · AI · R. Director');
      // one frame at each spot: 0 top-left, 1 bottom-right, 2 top-right, 3 bottom-left
      for (const spot of [0, 1, 2, 3]) {
        const n = Array.from({ length: FRAMES }, (_, i) => i).find((i) => spotAt(i, layout) === spot)! + 3;
        const bare = await frameRgb(out('bare'), n, w, h);
        const captioned = await frameRgb(out('captions'), n, w, h);
        const both = await frameRgb(out('both'), n, w, h);
        const caption = diffBox(bare, captioned, w, h);
        const mark = diffBox(captioned, both, w, h);
        expect(caption, 'the captions are drawn').toBeDefined();
        expect(mark, 'the watermark is drawn').toBeDefined();
        // the caption is two lines at the bottom, centred
        expect(caption!.y1).toBeGreaterThan(h * 0.85);
        expect(
          meet(caption!, mark!),
          `spot ${spot} at frame ${n}: watermark ${JSON.stringify(mark)} vs captions ${JSON.stringify(caption)}`,
        ).toBe(false);
        if (spot === 1 || spot === 3) expect(mark!.y1).toBeLessThan(caption!.y0);
        if (spot === 1) {
          // for the eye: test-results/screens/watermark-captions-WxH.png
          const shots = join(ROOT, 'test-results', 'screens');
          mkdirSync(shots, { recursive: true });
          await runFfmpeg([
            '-v',
            'error',
            '-i',
            out('both'),
            '-vf',
            `select=eq(n\\,${n})`,
            '-frames:v',
            '1',
            '-y',
            join(shots, `watermark-captions-${w}x${h}.png`),
          ]);
        }
      }
    });
  }
});
