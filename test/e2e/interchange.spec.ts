/**
 * Script & interchange in the studio, in Chromium against `klappe serve`:
 * import a Fountain screenplay from the top bar's dialog with the proposed
 * breakdown → scenes, shots and lines appear (one undo step) → generate →
 * export the cut as OpenTimelineIO, FCPXML, Final Cut Pro 7 XML and EDL
 * (downloads that read back) → import the FCPXML back from the same dialog:
 * the same cut, with a report.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { docOf, hostInfo, newProject, screenshot } from './support.js';

const FOUNTAIN = join(import.meta.dirname, '..', 'fixtures', 'interchange', 'the-cup.fountain');

test('import a screenplay with its shot breakdown, generate, export OTIO, FCPXML, FCP7 XML and EDL, import the FCPXML back', async ({
  page,
}) => {
  const { url } = hostInfo();
  await newProject(page, 'Script E2E', 'empty');
  const before = await docOf(page, url);
  await page.getByRole('button', { name: 'Script & interchange' }).click();
  const dialog = page.getByRole('dialog', { name: 'Script & interchange' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel(/Accept the proposed shot breakdown/)).toBeChecked();
  await dialog.getByLabel('Screenplay to import').setInputFiles(FOUNTAIN);
  // the proposed breakdown first, nothing applied yet: leave the table's insert out
  const proposed = dialog.getByLabel('Proposed shot breakdown');
  await expect(proposed.getByRole('checkbox', { name: 'INT. KITCHEN - NIGHT: Establishing wide' })).toBeDisabled();
  expect((await docOf(page, url)).scenes.length).toBe(before.scenes.length);
  await proposed.getByRole('checkbox', { name: 'INT. KITCHEN - NIGHT: Insert: table' }).uncheck();
  await screenshot(page, 'interchange-breakdown');
  await proposed.getByRole('button', { name: /^Import / }).click();
  const report = dialog.getByRole('status', { name: 'Import report' });
  await expect(report).toContainText('3 scene(s) added');
  await expect(dialog.getByRole('list', { name: 'Shot breakdown' })).toContainText(
    'INT. KITCHEN - NIGHT: Establishing wide · Single on Mia · Single on Leo · Insert: cup',
  );
  await expect(dialog.getByRole('list', { name: 'Shot breakdown' })).not.toContainText('Insert: table');
  await screenshot(page, 'interchange-import');

  let doc = await docOf(page, url);
  expect(doc.scenes.length).toBe(before.scenes.length + 3);
  expect(doc.scenes.flatMap((sc: any) => sc.shots).map((sh: any) => sh.name)).not.toContain('Insert: table');
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
  const [fcpxml] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: /Export Final Cut Pro X/ }).click(),
  ]);
  const fcpxmlFile = (await fcpxml.path())!;
  const fcpxmlText = readFileSync(fcpxmlFile, 'utf8');
  expect(fcpxmlText).toMatch(/<fcpxml version="1\.10">/);
  expect(fcpxmlText.match(/<asset-clip /g)?.length).toBe(doc.sequence.tracks[0].clips.length);
  expect(fcpxml.suggestedFilename()).toMatch(/\.fcpxml$/);
  const [xmeml] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: /Export Final Cut Pro 7 XML/ }).click(),
  ]);
  expect(readFileSync((await xmeml.path())!, 'utf8')).toMatch(/<xmeml version="5">[\s\S]*<clipitem /);
  await expect(dialog).toContainText('exported');
  await screenshot(page, 'interchange-export');

  // the FCPXML back onto the sequence: the same clips on the same frames
  const cutOf = (d: any) => d.sequence.tracks.map((t: any) => t.clips.map((c: any) => [c.recordStart, c.duration, c.sourceStart]));
  mkdirSync(test.info().outputDir, { recursive: true });
  const copy = join(test.info().outputDir, 'cut.fcpxml');
  writeFileSync(copy, fcpxmlText);
  await dialog.getByLabel('Timeline to import').setInputFiles(copy);
  await expect(dialog.getByRole('status', { name: 'Timeline import report' })).toContainText(
    `clip(s) on ${doc.sequence.tracks.length} track(s)`,
  );
  expect(cutOf(await docOf(page, url))).toEqual(cutOf(doc));
  await screenshot(page, 'interchange-import-timeline');
});
