/**
 * Dialogue lines in the studio, in Chromium against `klappe serve`: add a line
 * for a character at the playhead from the Lines panel → it lands on the
 * character's own lane, spoken, and the timeline scrolls to show it → select
 * it, speak it again with another voice and rate → two readings, each with
 * its length → pick the first → undo brings the second back.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { clipBox, docOf, hostInfo, newProject, screenshot, visibleTimelineBox, within } from './support.js';

/** The line entity a clip plays (`clip.lineId` → `doc.lines`). */
const lineClip = (doc: any, clipId: string) => {
  const clip = doc.sequence.tracks.flatMap((t: any) => t.clips).find((c: any) => c.id === clipId);
  return { ...clip, line: doc.lines.find((l: any) => l.id === clip?.lineId) };
};

test('add a line on a character lane, speak it again with another voice, pick a reading, undo', async ({ page }) => {
  const { url } = hostInfo();
  await newProject(page, 'Lines E2E');
  await page.keyboard.press('Alt+3');
  const timeline = page.getByRole('application', { name: /Timeline tracks/ });
  await expect(timeline).toBeVisible();
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Lines' }).click();
  const panel = page.getByTestId('line-panel');

  // the line goes in at the playhead: step it to frame 12
  await timeline.focus();
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
  const addForm = panel.getByRole('form', { name: 'Add line' });
  await expect(addForm.getByLabel('At frame (playhead)')).toHaveValue('12');
  await addForm.getByLabel('Character').selectOption({ label: 'Mia' });
  await addForm.getByLabel('Line text').fill('Is this your cup?');
  await addForm.getByRole('button', { name: 'Add line' }).click();
  await expect(panel.getByRole('radiogroup', { name: 'Readings' }).getByRole('radio')).toHaveCount(1, { timeout: 60_000 });

  // on Mia's own dialogue lane, spoken with her voice
  let doc = await docOf(page, url);
  const lane = doc.sequence.tracks.find((t: any) => t.kind === 'dialogue' && t.characterId === 'mia');
  expect(lane.name).toBe('Mia');
  expect(lane.clips).toHaveLength(1);
  const clipId = lane.clips[0].id as string;
  const added = lineClip(doc, clipId);
  expect(added).toMatchObject({ recordStart: 12, line: { characterId: 'mia', text: 'Is this your cup?' } });
  expect(added.line.readings.map((t: any) => t.voice.voice)).toEqual(['slt']);
  const projectDir = join(process.env.KLAPPE_E2E_HOME!, 'projects', 'lines-e2e');
  const wav = (mediaId: string) => join(projectDir, doc.media.find((m: any) => m.id === mediaId).path);
  expect(existsSync(wav(added.line.readings[0].mediaId))).toBe(true);
  const seconds = (mediaId: string) => `${(doc.media.find((m: any) => m.id === mediaId).durationSamples / 48000).toFixed(1)} s`;
  const firstLength = seconds(added.line.readings[0].mediaId);
  expect(firstLength).toMatch(/^[1-9]\d*\.\d s$|^0\.[1-9] s$/);
  await expect(panel.getByRole('radiogroup', { name: 'Readings' }).getByRole('radio')).toHaveAccessibleName(
    new RegExp(`^Reading 1: slt · rate 1 · own pitch · ${firstLength.replace('.', '\\.')} · `),
  );

  // the timeline followed the selection to Mia's new lane: the clip is in view, no scrolling by hand
  await expect
    .poll(async () => {
      const box = await page.evaluate((id) => (globalThis as any).__klappeTimeline?.clipBox(id), clipId);
      return !!box && within(box, await visibleTimelineBox(page));
    })
    .toBe(true);

  // select it on the timeline (adding selected it already: select a shot's clip first, then the line)
  const selected = panel.getByRole('form', { name: 'Selected line' });
  const view = await visibleTimelineBox(page);
  const shotBox = await clipBox(page, 'c1');
  const shotTop = Math.max(shotBox.y, view.y);
  expect(shotBox.y + shotBox.height - shotTop).toBeGreaterThan(10); // the video track is still in sight
  await page.mouse.click(shotBox.x + shotBox.width / 2, (shotTop + shotBox.y + shotBox.height) / 2);
  await expect(selected).toHaveCount(0);
  const box = await clipBox(page, clipId);
  expect(within(box, view)).toBe(true); // clicking on the canvas does not move the view
  await page.mouse.click(box.x + Math.min(8, box.width / 2), box.y + box.height / 2);
  await expect(selected.getByLabel('Words', { exact: true })).toHaveValue('Is this your cup?');

  // speak it again: another voice, faster
  await selected.getByLabel('Voice', { exact: true }).selectOption('kal');
  await selected.getByLabel('Rate', { exact: true }).fill('1.3');
  await selected.getByRole('button', { name: 'Speak again' }).click();
  const readings = selected.getByRole('radiogroup', { name: 'Readings' }).getByRole('radio');
  await expect(readings).toHaveCount(2, { timeout: 60_000 });
  await expect(readings.nth(1)).toBeChecked();
  doc = await docOf(page, url);
  let line = lineClip(doc, clipId).line;
  expect(line.readings.map((t: any) => [t.voice.voice, t.voice.rate])).toEqual([
    ['slt', 1],
    ['kal', 1.3],
  ]);
  await expect(readings.nth(1)).toHaveAccessibleName(
    new RegExp(`^Reading 2: kal · rate 1\\.3 · own pitch · ${seconds(line.readings[1].mediaId).replace('.', '\\.')} · `),
  );
  expect(line.selectedReadingId).toBe(line.readings[1].id);
  const takeIds = line.readings.map((t: any) => t.id);
  expect(existsSync(wav(line.readings[0].mediaId)) && existsSync(wav(line.readings[1].mediaId))).toBe(true);

  // pick the first reading
  await readings.nth(0).click();
  await expect.poll(async () => lineClip(await docOf(page, url), clipId).line.selectedReadingId).toBe(takeIds[0]);
  await expect(readings.nth(0)).toBeChecked();

  // undo the pick: the second reading plays again, both are kept
  await page.keyboard.press('Control+z');
  await expect.poll(async () => lineClip(await docOf(page, url), clipId).line.selectedReadingId).toBe(takeIds[1]);
  await expect(readings.nth(1)).toBeChecked();
  await expect(readings).toHaveCount(2);
  expect(within(await clipBox(page, clipId), await visibleTimelineBox(page))).toBe(true);
  await page.waitForTimeout(300);
  await screenshot(page, 'lines');

  // undo "Speak line again": one reading left, the first, as it was
  await page.keyboard.press('Control+z');
  await expect(readings).toHaveCount(1);
  line = lineClip(await docOf(page, url), clipId).line;
  expect(line.readings.map((t: any) => t.id)).toEqual([takeIds[0]]);
  expect(line.selectedReadingId).toBe(takeIds[0]);
});
