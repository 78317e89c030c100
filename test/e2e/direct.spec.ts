/**
 * Directing a scene of one's own, only through the studio's controls: from an
 * empty project, cast two characters, make a set with marks, three shots by
 * size and subject with one line each, generate, export; then the file: clip
 * durations, no gap at the start, each line once in the captions, and the
 * close-up's subject in frame (from the take's own metadata: where the previz drew it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { apiCall, docOf, hostInfo, newProject, screenshot } from './support.js';

async function pick(page: Page, scope: ReturnType<Page['getByRole']>, label: string | RegExp, value: string) {
  await scope.getByLabel(label, { exact: typeof label === 'string' }).selectOption(value);
}

test("direct a scene of one's own: cast, set, shots by size and subject, generate, export", async ({ page }) => {
  const started = Date.now();
  const { url } = hostInfo();
  await newProject(page, 'Direct Own Scene', 'empty');
  // the e2e host defaults to the fast slate backend; this test checks the previz's pictures (and gives the default back after)
  const before = (await apiCall(page, url, 'settings.get', {})) as { defaultBackend?: string };
  await apiCall(page, url, 'settings.set', { patch: { defaultBackend: 'previz' } });
  try {
    await directScene(page, url, started);
  } finally {
    await apiCall(page, url, 'settings.set', { patch: { defaultBackend: before.defaultBackend ?? '' } });
  }
});

async function directScene(page: Page, url: string, started: number): Promise<void> {
  // Cast: two characters (Edit screen, Cast panel)
  await page.keyboard.press('Alt+3');
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Cast' }).click();
  const cast = page.getByRole('region', { name: 'Cast' });
  for (const name of ['Leo', 'Mia']) {
    await cast.getByLabel('New character name').fill(name);
    await cast.getByRole('button', { name: 'Add to cast' }).click();
    await expect(cast.getByRole('listitem', { name: `Character ${name}` })).toBeVisible();
  }
  await screenshot(page, 'direct-01-cast-panel');

  // Set: a 6 × 5 m kitchen, the cast placed on marks
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Set' }).click();
  const set = page.getByRole('region', { name: 'Set' });
  await set.getByLabel('Scene name').fill('Kitchen');
  await set.getByLabel('Scene name').press('Enter');
  await set.getByRole('button', { name: 'Place Leo and Mia' }).click();
  await expect(set.getByText(/Leo at/)).toBeVisible();
  await screenshot(page, 'direct-02-set-panel');

  // Shots: the template's shot becomes the wide; two more by size and subject; one line each
  await page.keyboard.press('Alt+1');
  const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
  const shots: Array<[string, string, string | undefined, string]> = [
    ['wide', 'leo', undefined, 'I kept it for three years.'],
    ['close-up', 'leo', undefined, 'Every single day.'],
    ['over-the-shoulder', 'mia', 'leo', 'Then let it go.'],
  ];
  for (const [i, [size, subject, over, text]] of shots.entries()) {
    if (i === 0) await page.locator('.shot-card').first().click();
    else await page.getByRole('button', { name: 'Add shot to scene 1' }).click();
    await expect(page.locator('.shot-card')).toHaveCount(i + 1);
    const framing = async () => (await docOf(page, url)).scenes[0].shots[i]?.framing;
    await pick(page, inspector, 'Size', size);
    await expect.poll(async () => (await framing())?.size).toBe(size);
    await pick(page, inspector, 'Subject', subject);
    await expect.poll(async () => (await framing())?.subjectId).toBe(subject);
    if (over) {
      await expect(inspector.getByLabel('Over the shoulder of')).toHaveValue(over);
      expect((await framing()).overId).toBe(over);
    }
    await inspector.getByRole('button', { name: '+ Dialogue line' }).click();
    await pick(page, inspector, 'Line 1 speaker', subject === 'mia' ? 'mia' : 'leo');
    await inspector.getByLabel('Line 1 text').fill(text);
    await inspector.getByLabel('Line 1 text').press('Enter');
    await expect.poll(async () => (await docOf(page, url)).lines.filter((l: any) => l.text === text).length).toBe(1);
    if (i === 1) {
      await inspector.locator('summary', { hasText: 'Camera (advanced)' }).click();
      await screenshot(page, 'direct-03-framing-controls');
      await inspector.locator('summary', { hasText: 'Camera (advanced)' }).click();
    }
  }
  // a warning with its fix button: an empty prompt gets a prompt written from the shot
  await expect(inspector.getByRole('list', { name: 'Before generating' })).toContainText('the prompt is empty');
  await screenshot(page, 'direct-04-warning-fix');
  for (let i = 0; i < 3; i++) {
    await page.locator('.shot-card').nth(i).click();
    await inspector.getByRole('button', { name: 'Write a prompt from the shot' }).click();
    await expect(inspector.getByRole('list', { name: 'Before generating' })).toHaveCount(0);
  }

  // Generate, then export
  await page.getByRole('toolbar', { name: 'Project' }).getByRole('button', { name: '⚡ Generate all' }).click();
  await expect(page.locator('.job.done')).toHaveCount(3, { timeout: 150_000 });
  // the creator name saved in Settings is the watermark's default name
  await apiCall(page, url, 'settings.set', { patch: { creatorName: 'R. Director' } });
  await page.keyboard.press('Control+e');
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Creator name')).toHaveValue('R. Director');
  await dialog.getByLabel('File name').fill('kitchen scene');
  await page.getByRole('checkbox', { name: 'Invisible watermark (slower)' }).uncheck();
  await dialog.getByLabel(/Caption files/).check();
  await screenshot(page, 'direct-05-export-dialog');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByLabel('Verification result')).toContainText('File checked: plays', { timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  console.log(`empty project → exported scene: ${seconds.toFixed(1)} s`);
  const output = (await page.locator('.verification .path').first().textContent())!;
  expect(output.replace(/\\/g, '/')).toMatch(/\/exports\/kitchen scene\.mp4$/);

  // The file and the document
  const doc = await docOf(page, url);
  const sceneShots = doc.scenes[0].shots;
  const video = doc.sequence.tracks.find((t: any) => t.kind === 'video');
  expect(video.clips[0].recordStart).toBe(0);
  for (const [i, shot] of sceneShots.entries()) {
    const clip = video.clips.find((c: any) => c.source.shotId === shot.id);
    expect(clip.duration, `shot ${i + 1}`).toBe(shot.duration);
  }
  const srt = readFileSync(output.replace(/\.mp4$/, '.srt'), 'utf8');
  for (const [, , , text] of shots) expect(srt.split(text).length - 1, text).toBe(1);
  // the close-up's subject: the previz's own screen boxes in the take's metadata
  const close = sceneShots[1];
  const take = doc.takes.find((t: any) => t.shotId === close.id);
  const meta = JSON.parse(
    readFileSync(join(process.env.KLAPPE_E2E_HOME!, 'data', 'media', take.media.metadata.slice(0, 2), take.media.metadata), 'utf8'),
  );
  expect(take.backend).toBe('previz');
  for (const boxes of meta.tracks) {
    const head = boxes['leo#head'];
    expect(head).not.toBeNull();
    expect(head[0]).toBeGreaterThan(0);
    expect(head[2]).toBeLessThan(meta.width);
  }

  // a clip picked on the timeline selects its shot on the storyboard and in the inspector
  await dialog.getByRole('button', { name: 'Done' }).click();
  await page.keyboard.press('Alt+3');
  const closeClip = video.clips.find((c: any) => c.source.shotId === close.id);
  const clipButton = page.getByRole('list', { name: 'Clips' }).getByRole('button', { name: new RegExp(`^Select clip ${closeClip.id} on`) });
  await clipButton.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('complementary', { name: 'Shot inspector' }).getByRole('heading', { level: 2 })).toHaveText(
    `Shot ${close.number}`,
  );
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('button', { name: new RegExp(`^Shot \\d+/${close.number}\\b`) })).toHaveAttribute('aria-pressed', 'true');
}
