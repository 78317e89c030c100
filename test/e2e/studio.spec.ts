/**
 * The studio end to end, in Chromium against `klappe serve`: new project from
 * a template → add a shot and a dialogue line → generate all shots → wait for
 * the queue → drag a clip and trim another → undo and redo → export → the file
 * exists and plays (ffprobe). Screenshots of every screen go to test-results/screens.
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { probe } from '../../engine/media/probe.js';
import { clipBox, docOf, hostInfo, openHome, screenshot } from './support.js';

const clip = (doc: any, id: string) => doc.sequence.tracks.flatMap((t: any) => t.clips).find((c: any) => c.id === id);

test('direct a film from template to verified export', async ({ page }) => {
  const { url } = hostInfo();
  await openHome(page, url);
  await expect(page.getByRole('heading', { name: 'New project' })).toBeVisible();
  await screenshot(page, '01-home');

  // New project from the two-scenes template.
  await page.getByLabel('Name').fill('E2E Film');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('region', { name: /Scene 1/ })).toBeVisible();
  await expect(page.locator('.shot-card')).toHaveCount(5);

  // Add a shot and a dialogue line.
  await page.getByRole('button', { name: 'Add shot to scene 1' }).click();
  await expect(page.locator('.shot-card')).toHaveCount(6);
  const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
  await inspector.getByLabel('Action').fill('Mia spots the cup on the floor.');
  await inspector.getByLabel('Action').blur();
  await inspector.getByRole('button', { name: '+ Dialogue line' }).click();
  await inspector.getByLabel('Line 1 text').fill('Who dropped the cup?');
  await inspector.getByLabel('Line 1 text').press('Enter');
  await expect(page.locator('.shot-card.selected .action')).toHaveText('Mia spots the cup on the floor.');
  await screenshot(page, '02-storyboard-inspector');

  // Generate every shot and wait for the queue.
  await page.getByRole('toolbar', { name: 'Project' }).getByRole('button', { name: '⚡ Generate all' }).click();
  await expect(page.locator('.job')).toHaveCount(6);
  await expect(page.locator('.job.done')).toHaveCount(6, { timeout: 150_000 });
  await expect(page.locator('.shot-card .thumb img')).toHaveCount(6);
  await screenshot(page, '03-storyboard-generated');
  let doc = await docOf(page, url);
  expect(doc.takes).toHaveLength(6);
  const newShot = doc.scenes[0].shots.at(-1).id;
  expect(doc.lines.filter((l: any) => l.shotId === newShot).map((l: any) => l.text)).toEqual(['Who dropped the cup?']);

  // Scene blocking.
  await page.getByRole('tab', { name: 'Blocking' }).click();
  await expect(page.getByRole('application', { name: /Top-down map of scene 1/ })).toBeVisible();
  await page.waitForTimeout(300);
  await screenshot(page, '04-blocking');

  // Edit: drag a clip, trim another.
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('application', { name: /Timeline tracks/ })).toBeVisible();
  await expect.poll(() => page.evaluate(() => !!(globalThis as any).__klappeTimeline?.clipBox('c5'))).toBe(true);
  await page.waitForTimeout(500);
  await screenshot(page, '05-edit');

  // The preview plays the sequence's mixed sound on the playhead's clock.
  await expect(page.getByLabel('Preview sound status')).toHaveText('sound: mixed', { timeout: 60_000 });
  await page.getByRole('application', { name: /Timeline tracks/ }).focus();
  await page.keyboard.press('Space');
  await page.waitForTimeout(1500);
  const sync = await page.evaluate(() => {
    const doc = (globalThis as any).document;
    const a = doc.querySelector('audio[aria-label="Preview sound"]');
    const [h, m, sec, f] = (doc.querySelector('output[aria-label="Timecode"]').textContent as string).split(/[:;]/).map(Number);
    return { playing: !a.paused as boolean, audio: a.currentTime as number, frame: ((h! * 60 + m!) * 60 + sec!) * 24 + f! };
  });
  await page.keyboard.press('Space');
  expect(sync.playing).toBe(true);
  expect(sync.audio).toBeGreaterThan(0.5);
  expect(Math.abs(sync.audio - sync.frame / 24)).toBeLessThan(0.25);
  // the mixer's meter measures the mix as it is now
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Mixer' }).click();
  await expect(page.getByRole('status', { name: 'Loudness of the mix' })).toHaveText(/mix now: -\d+\.\d LUFS, -\d+\.\d dBTP/);
  const meterBefore = await page.getByRole('status', { name: 'Loudness of the mix' }).textContent();
  await page.getByLabel('Video 1 gain').focus();
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowLeft'); // −6 dB, a command per key press
  await expect.poll(async () => (await docOf(page, url)).sequence.tracks[0].gainDb).toBe(-6);
  await expect(page.getByRole('status', { name: 'Loudness of the mix' })).not.toHaveText(meterBefore!, { timeout: 30_000 });
  await expect(page.getByRole('status', { name: 'Loudness of the mix' })).toHaveText(/mix now: -\d+\.\d LUFS, -\d+\.\d dBTP$/, {
    timeout: 30_000,
  });
  await screenshot(page, '05b-mixer');
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Mixer' }).click();

  // The new shot's clip is last on the video track: drag it right (into empty space).
  const lastId = (await docOf(page, url)).sequence.tracks[0].clips.at(-1).id as string;
  const lastStart = clip(await docOf(page, url), lastId).recordStart as number;
  const c5 = await clipBox(page, lastId);
  await page.mouse.move(c5.x + c5.width / 2, c5.y + c5.height / 2);
  await page.mouse.down();
  await page.mouse.move(c5.x + c5.width / 2 + 30, c5.y + c5.height / 2, { steps: 5 });
  await page.mouse.move(c5.x + c5.width / 2 + 60, c5.y + c5.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => clip(await docOf(page, url), lastId).recordStart).toBeGreaterThan(lastStart);
  const movedTo = clip(await docOf(page, url), lastId).recordStart;

  const c4 = await clipBox(page, 'c4');
  await page.mouse.move(c4.x + c4.width - 3, c4.y + c4.height / 2);
  await page.mouse.down();
  await page.mouse.move(c4.x + c4.width - 20, c4.y + c4.height / 2, { steps: 4 });
  await page.mouse.move(c4.x + c4.width - 33, c4.y + c4.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => clip(await docOf(page, url), 'c4').duration).toBeLessThan(96);
  const trimmedTo = clip(await docOf(page, url), 'c4').duration;
  doc = await docOf(page, url);
  expect(clip(doc, lastId).recordStart).toBe(movedTo);

  // Undo the trim and the move, redo both (keyboard and the toolbar).
  await page.getByRole('application', { name: /Timeline tracks/ }).focus();
  await page.keyboard.press('Control+z');
  await expect.poll(async () => clip(await docOf(page, url), 'c4').duration).toBe(96);
  await page.getByRole('button', { name: /^Undo/ }).click();
  await expect.poll(async () => clip(await docOf(page, url), lastId).recordStart).toBe(lastStart);
  await page.keyboard.press('Control+Shift+Z');
  await expect.poll(async () => clip(await docOf(page, url), lastId).recordStart).toBe(movedTo);
  await page.getByRole('button', { name: /^Redo/ }).click();
  await expect.poll(async () => clip(await docOf(page, url), 'c4').duration).toBe(trimmedTo);

  // The audio editor panel on a selected clip: peaks and speech detection through the api.
  const c1 = await clipBox(page, 'c1');
  await page.mouse.click(c1.x + c1.width / 2, c1.y + c1.height / 2);
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Audio' }).click();
  await expect(page.getByTestId('audio-editor')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('speech region', { timeout: 60_000 });
  await screenshot(page, '06a-audio-panel');
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Audio' }).click();

  // Frame stepping and timecode.
  await page.getByRole('application', { name: /Timeline tracks/ }).focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByLabel('Timecode', { exact: true })).toHaveText('00:00:00:03');
  await page.waitForTimeout(400);
  await screenshot(page, '06-edit-after-edits');

  // Palette and settings.
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('listbox', { name: 'Commands' })).toBeVisible();
  await page.getByLabel('Search commands').fill('zoom');
  await screenshot(page, '07-command-palette');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Google Gemini API key (Veo)').fill('sk-e2e-secret-value');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('textbox', { name: 'Google Gemini API key (Veo)' })).toHaveAttribute('placeholder', /set/);
  await expect(page.getByRole('textbox', { name: 'Google Gemini API key (Veo)' })).toHaveValue('');
  await expect(page.locator('body')).not.toContainText('sk-e2e-secret-value');
  await screenshot(page, '08-settings');
  await page.keyboard.press('Escape');

  // Export and check the file.
  await page.keyboard.press('Control+e');
  await expect(page.getByRole('dialog', { name: 'Export' })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Invisible watermark (slower)' }).uncheck(); // RivaGAN per frame is slow on 2 shared cores
  await page
    .getByRole('dialog', { name: 'Export' })
    .getByLabel(/Caption files/)
    .check();
  await screenshot(page, '09-export-dialog');
  await page.getByRole('dialog', { name: 'Export' }).getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByLabel('Verification result')).toContainText('File checked: plays', { timeout: 120_000 });
  await expect(page.getByLabel('Verification result')).toContainText('Provenance');
  await screenshot(page, '10-export-done');
  const output = (await page.locator('.verification .path').first().textContent())!;
  expect(existsSync(output)).toBe(true);
  // the captions next to the video, with the lines' speakers
  const srt = output.replace(/\.mp4$/, '.srt');
  const base = output
    .split('/')
    .pop()!
    .replace(/\.mp4$/, '');
  await expect(page.getByTestId('export-captions')).toHaveText(`${base}.srt, ${base}.vtt (next to the video)`);
  expect(readFileSync(srt, 'utf8')).toMatch(/^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\nMIA: Is this your cup\?/);
  expect(readFileSync(output.replace(/\.mp4$/, '.vtt'), 'utf8')).toMatch(/^WEBVTT/);
  const p = await probe(output);
  const v = p.streams.find((s) => s.codec_type === 'video')!;
  expect(v).toMatchObject({ width: 1280, height: 720, codec_name: 'h264' });
  expect(p.streams.some((s) => s.codec_type === 'audio')).toBe(true);
  expect(Number(p.format.duration)).toBeGreaterThan(15);
});
