/**
 * The studio's preview shows a transition as the export renders it, in Chromium against `klappe serve`: a red take
 * dissolving into a blue one over 24 frames. Before the dissolve the preview is red, at its midpoint a blend of the two
 * (purple), after it blue; a dip to black is dark at the cut.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import { expect, test, type Page } from '@playwright/test';
import { makeColourClip } from '../servers/test-clip.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { apiCall, hostInfo, newProject, SHOTS_DIR } from './support.js';

/** A 2 s solid-colour H.264 clip, stored in the studio's media cache; its content hash. */
async function colourTake(dir: string, colour: string): Promise<string> {
  const file = join(dir, `${colour}.mp4`);
  await makeColourClip(file, { colour, seconds: 4, width: 320, height: 180 });
  const store = new MediaStore(join(process.env.KLAPPE_E2E_HOME!, 'data', 'media'));
  return (await store.ingest(file)).hash;
}

/** A pixel on the preview's middle row, `fx` across (default its centre) (from a screenshot of what the page shows: both video layers, composited). */
async function centre(page: Page, name: string, fx = 0.5): Promise<[number, number, number]> {
  const frame = page.locator('.preview-frame');
  const png = await frame.screenshot({ path: join(SHOTS_DIR, `${name}.png`) });
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(Math.floor(img.width * fx), Math.floor(img.height / 2), 1, 1).data;
  return [d[0]!, d[1]!, d[2]!];
}

async function seek(page: Page, frame: number): Promise<void> {
  await page.getByRole('button', { name: 'Go to start' }).click();
  await page.evaluate(() => ((globalThis as any).document.activeElement as { blur?: () => void } | null)?.blur?.());
  for (let i = 0; i < frame; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(() => page.evaluate(() => (globalThis as any).__klappeTimeline.playhead())).toBe(frame);
}

test('the preview blends a dissolve and dips to black as the export does', async ({ page }) => {
  const work = mkdtempSync(join(tmpdir(), 'klappe-e2e-transition-'));
  const red = await colourTake(work, 'red');
  const blue = await colourTake(work, 'blue');
  const { url } = hostInfo();
  await newProject(page, 'Transition E2E', 'two-scenes');
  // shot s1 (clip c1, frames 0–96) gets the red take, s2 (c2, 96–168) the blue one; a 24-frame dissolve centred on the cut
  await apiCall(page, url, 'project.apply', {
    commands: [
      {
        type: 'take.add',
        take: { id: 'take-red', shotId: 's1', backend: 'test', duration: 96, media: { video: red }, createdAt: '2026-01-01T00:00:00Z' },
      },
      {
        type: 'take.add',
        take: { id: 'take-blue', shotId: 's2', backend: 'test', duration: 96, media: { video: blue }, createdAt: '2026-01-01T00:00:00Z' },
      },
      { type: 'clip.update', clipId: 'c1', patch: { transitionOut: { kind: 'dissolve', before: 12, after: 12 } } },
    ],
  });
  await page.keyboard.press('Alt+3');
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.getByLabel('Preview video')).toBeVisible();
  await page
    .locator('.timeline')
    .click({ position: { x: 5, y: 5 } })
    .catch(() => {});

  await seek(page, 60);
  await expect(preview.getByLabel('Preview incoming video')).toHaveCount(0);
  await expect.poll(async () => (await centre(page, 'preview-transition-1-red'))[0], { timeout: 20_000 }).toBeGreaterThan(200);

  // the dissolve runs over frames 84–107; at the cut (frame 96) progress is 13/25 (the export's (n + 1)/(frames + 1))
  await seek(page, 96);
  const incoming = preview.getByLabel('Preview incoming video');
  await expect(incoming).toHaveAttribute('data-transition', 'dissolve');
  await expect(incoming).toHaveAttribute('data-progress', '0.520');
  await expect
    .poll(
      async () => {
        const [r, g, b] = await centre(page, 'preview-transition-2-dissolve-midpoint');
        return r > 90 && r < 160 && b > 90 && b < 170 && g < 40;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  const [r, , b] = await centre(page, 'preview-transition-2-dissolve-midpoint');
  // red 255 → blue 255 at 0.52: about 122 red, 133 blue
  expect(Math.abs(r - 255 * 0.48)).toBeLessThan(30);
  expect(Math.abs(b - 255 * 0.52)).toBeLessThan(30);

  await seek(page, 120);
  await expect(incoming).toHaveCount(0);
  await expect.poll(async () => (await centre(page, 'preview-transition-3-blue'))[2], { timeout: 20_000 }).toBeGreaterThan(200);

  // a wipe at the cut: the incoming blue has reached just past the middle from the left, red still on the right
  await apiCall(page, url, 'project.apply', {
    commands: [{ type: 'clip.update', clipId: 'c1', patch: { transitionOut: { kind: 'wipe', before: 12, after: 12 } } }],
  });
  await seek(page, 96);
  await expect(preview.getByLabel('Preview incoming video')).toHaveAttribute('data-transition', 'wipe');
  await expect.poll(async () => (await centre(page, 'preview-transition-4-wipe', 0.3))[2], { timeout: 20_000 }).toBeGreaterThan(200);
  expect((await centre(page, 'preview-transition-4-wipe', 0.7))[0]).toBeGreaterThan(200);
  await page.screenshot({ path: join(SHOTS_DIR, 'preview-transition-4-wipe-studio.png') });

  // a dip to black is black at the cut
  await apiCall(page, url, 'project.apply', {
    commands: [{ type: 'clip.update', clipId: 'c1', patch: { transitionOut: { kind: 'dip-to-black', before: 12, after: 12 } } }],
  });
  await seek(page, 96);
  await expect(preview.getByLabel('Preview incoming video')).toHaveAttribute('data-transition', 'dip-to-black');
  await expect.poll(async () => Math.max(...(await centre(page, 'preview-transition-5-dip'))), { timeout: 20_000 }).toBeLessThan(40);
});
