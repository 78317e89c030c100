/**
 * The export dialog's range and loudness (issue 13, point 7): in and out marked
 * on the timeline with I and O, "In to out" chosen in the dialog, exported at
 * the streaming target with burned captions; the file (ffprobe) lasts exactly
 * the marked frames, the dialog shows the loudness measured next to its target,
 * and the Mixer's "last export" keeps showing it after the dialog closes and
 * after the page is reloaded. Screenshots of the dialog go to test-results/screens.
 */
import { expect, test } from '@playwright/test';
import { probe } from '../../engine/media/probe.js';
import { newProject, screenshot } from './support.js';

test('exports the in-to-out range and shows the measured loudness next to its target', async ({ page }) => {
  await newProject(page, `Range ${Date.now()}`);
  // the Edit screen: in at 0.5 s, out at 2.5 s (the first frame left out) with I and O; the range holds half a
  // second of the slate's head tone (a range of silence alone cannot be brought to a loudness target)
  await page.getByRole('tab', { name: 'Edit' }).click();
  const timeline = page.getByRole('application', { name: /Timeline tracks/ });
  const timecode = page.getByLabel('Timecode', { exact: true });
  await timeline.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
  await expect(timecode).toHaveText('00:00:00:12');
  await page.keyboard.press('i');
  for (let i = 0; i < 48; i++) await page.keyboard.press('ArrowRight');
  await expect(timecode).toHaveText('00:00:02:12');
  await page.keyboard.press('o');
  await expect(page.getByLabel('Mark in', { exact: true }).and(page.locator('output'))).toHaveText('00:00:00:12');
  await expect(page.getByLabel('Mark out', { exact: true }).and(page.locator('output'))).toHaveText('00:00:02:12');

  // the Mixer before any export
  const tools = page.getByRole('toolbar', { name: 'Timeline tools' });
  await tools.getByRole('button', { name: 'Mixer' }).click();
  await expect(page.getByTestId('mixer-loudness')).toHaveText('last export: not yet');
  await tools.getByRole('button', { name: 'Mixer' }).click();

  await page.keyboard.press('Control+e');
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toBeVisible();
  // no clip selected: that choice says why it is off
  await expect(dialog.getByRole('radio', { name: /Selected clip/ })).toBeDisabled();
  await expect(dialog.getByTestId('range-selection')).toHaveText('(select a clip on the timeline)');
  await expect(dialog.getByTestId('range-whole')).toHaveText('00:00:00:00 – 00:00:17:00, 408 frames (17.00 s)');
  await expect(dialog.getByTestId('range-marks')).toHaveText('00:00:00:12 – 00:00:02:12, 48 frames (2.00 s)');
  await dialog.getByRole('radio', { name: /In to out/ }).check();
  await dialog.getByLabel('Loudness target').selectOption('streaming');
  await dialog.getByRole('checkbox', { name: 'Invisible watermark (slower)' }).uncheck(); // RivaGAN per frame is slow on 2 shared cores
  await dialog.getByRole('checkbox', { name: 'Burn in captions' }).check();
  await dialog.getByLabel('File name').fill('range-test');
  await screenshot(page, 'export-dialog-range');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();

  const result = page.getByLabel('Verification result');
  await expect(result).toContainText('File checked: plays', { timeout: 150_000 });
  await expect(page.getByTestId('export-length')).toContainText('(00:00:00:12 – 00:00:02:12, 48 frames)');
  const loudness = page.getByTestId('export-loudness');
  await expect(loudness).toContainText(/^-\d+\.\d LUFS measured, target -14 LUFS: ✔ target met; true peak -\d+\.\d dBTP$/);
  const measured = Number((await loudness.textContent())!.split(' ')[0]);
  expect(Math.abs(measured + 14)).toBeLessThanOrEqual(0.5);
  await screenshot(page, 'export-dialog-done');

  // the file: exactly the 48 marked frames (2 s at 24 fps), with sound
  const output = (await page.locator('.verification .path').first().textContent())!;
  expect(output).toMatch(/range-test\.mp4$/);
  const p = await probe(output);
  const video = p.streams.find((s) => s.codec_type === 'video')!;
  expect(Number(video.nb_frames)).toBe(48);
  expect(Number(p.format.duration)).toBeGreaterThan(1.95);
  expect(Number(p.format.duration)).toBeLessThan(2.1);
  expect(p.streams.some((s) => s.codec_type === 'audio')).toBe(true);

  // the dialog closed: the Mixer still shows the export's loudness with its target, and so after a reload
  await dialog.getByRole('button', { name: 'Done' }).click();
  await tools.getByRole('button', { name: 'Mixer' }).click();
  const last = page.getByTestId('mixer-loudness');
  await expect(last).toContainText(`last export: ${measured.toFixed(1)} LUFS (target -14, target met)`);
  await screenshot(page, 'export-mixer-last-export');
  await page.reload();
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached', timeout: 30_000 });
  await page.getByRole('tab', { name: 'Edit' }).click();
  const tools2 = page.getByRole('toolbar', { name: 'Timeline tools' });
  if (!(await page.getByTestId('mixer-loudness').isVisible())) await tools2.getByRole('button', { name: 'Mixer' }).click();
  await expect(page.getByTestId('mixer-loudness')).toContainText(`last export: ${measured.toFixed(1)} LUFS (target -14, target met)`);
});
