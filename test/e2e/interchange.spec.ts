/**
 * Script & interchange in the studio, in Chromium against `klappe serve`:
 * import a Fountain screenplay from the top bar's dialog with the proposed
 * breakdown → scenes, shots and lines appear (one undo step) → generate →
 * export the cut as OpenTimelineIO and as an EDL (downloads that read back).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { docOf, hostInfo, newProject, screenshot } from './support.js';

const FOUNTAIN = join(import.meta.dirname, '..', 'fixtures', 'interchange', 'the-cup.fountain');

test('import a screenplay with its shot breakdown, generate, export OTIO and EDL', async ({ page }) => {
  const { url } = hostInfo();
  await newProject(page, 'Script E2E', 'empty');
  const before = await docOf(page, url);
  await page.getByRole('button', { name: 'Script & interchange' }).click();
  const dialog = page.getByRole('dialog', { name: 'Script & interchange' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel(/Accept the proposed shot breakdown/)).toBeChecked();
  await dialog.getByLabel('Screenplay to import').setInputFiles(FOUNTAIN);
  const report = dialog.getByRole('status', { name: 'Import report' });
  await expect(report).toContainText('3 scene(s) added');
  await expect(dialog.getByRole('list', { name: 'Shot breakdown' })).toContainText(
    'INT. KITCHEN - NIGHT: Establishing wide · Single on Mia · Single on Leo · Insert: cup · Insert: table',
  );
  await screenshot(page, 'interchange-import');

  let doc = await docOf(page, url);
  expect(doc.scenes.length).toBe(before.scenes.length + 3);
  expect(doc.lines.map((l: any) => [l.parenthetical, l.text]).slice(0, 2)).toEqual([
    ['quietly', 'Is this your cup?'],
    ['beat', 'It was on the floor.'],
  ]);
  expect(doc.scenes.at(-1).heading).toEqual({ prefix: 'EXT', location: 'GARDEN', timeOfDay: 'DAY' });

  // generate every shot
  await dialog
    .getByRole('button', { name: 'Close' })
    .click()
    .catch(() => page.keyboard.press('Escape'));
  await expect(dialog).toBeHidden();
  await page
    .getByRole('toolbar', { name: 'Project' })
    .getByRole('button', { name: /Generate all/ })
    .click();
  await expect
    .poll(async () => (await docOf(page, url)).takes.length, { timeout: 240_000 })
    .toBeGreaterThanOrEqual(doc.scenes.flatMap((s: any) => s.shots).length);
  doc = await docOf(page, url);

  // export the cut
  await page.getByRole('button', { name: 'Script & interchange' }).click();
  const [otio] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: /Export OpenTimelineIO/ }).click()]);
  const otioText = readFileSync((await otio.path())!, 'utf8');
  const timeline = JSON.parse(otioText);
  expect(timeline.OTIO_SCHEMA).toBe('Timeline.1');
  const clips = timeline.tracks.children[0].children.filter((c: any) => c.OTIO_SCHEMA === 'Clip.2');
  expect(clips.length).toBe(doc.sequence.tracks[0].clips.length);
  expect(clips.every((c: any) => c.media_references.DEFAULT_MEDIA.OTIO_SCHEMA === 'ExternalReference.1')).toBe(true);
  const [edl] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: /Export CMX3600 EDL/ }).click()]);
  expect(readFileSync((await edl.path())!, 'utf8')).toMatch(/^TITLE: .*\nFCM: NON-DROP FRAME\n/);
  await expect(dialog).toContainText('exported');
  await screenshot(page, 'interchange-export');
});
