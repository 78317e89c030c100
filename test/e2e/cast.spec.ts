/**
 * Issue 13, the Cast panel and the scene's actions through the studio's controls: a character's pitch, a voice
 * preview that plays, a reference image picked, shown as a thumbnail and removed; the Set panel's actions in words,
 * added, edited, reordered and removed (each one undo step); the blocking map's timeline with the actions as marks,
 * scrubbed to show where everybody is; camera labels apart when cameras stand on one spot.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { expect, test, type Page } from '@playwright/test';
import { locate } from '../../engine/media/locate.js';
import { apiCall, docOf, hostInfo, newProject, screenshot } from './support.js';

/** A 128 × 128 test picture (ffmpeg's testsrc2) as PNG bytes. */
function testPicture(): Buffer {
  const out = join(mkdtempSync(join(tmpdir(), 'klappe-ref-')), 'face.png');
  const r = spawnSync(locate('ffmpeg').path, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=128x128', '-frames:v', '1', out]);
  expect(r.status, String(r.stderr)).toBe(0);
  return readFileSync(out);
}

/** Ctrl+Z on the studio (not in a text field, where it undoes typing). */
async function undo(page: Page): Promise<void> {
  await page.evaluate(() => (globalThis as any).document.activeElement?.blur?.());
  await page.keyboard.press('Control+z');
}

test('cast: pitch, voice preview, reference images; set: actions edited in words; blocking map: timeline and labels', async ({ page }) => {
  const { url } = hostInfo();
  await page.setViewportSize({ width: 1440, height: 1200 }); // room for the Cast and Set panels under the timeline
  await newProject(page, `Cast panel ${Date.now()}`);
  const mia = async () => (await docOf(page, url)).characters.find((c: any) => c.id === 'mia');
  const kitchen = async () => (await docOf(page, url)).scenes.find((s: any) => s.id === 'kitchen');

  // Cast panel (Edit screen)
  await page.keyboard.press('Alt+3');
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Cast' }).click();
  const cast = page.getByRole('region', { name: 'Cast' });
  const member = cast.getByRole('listitem', { name: 'Character Mia' });

  // pitch: typed, one undo step
  await member.getByLabel('Pitch of Mia').fill('230');
  await member.getByLabel('Pitch of Mia').press('Enter');
  await expect.poll(async () => (await mia()).voice.pitchHz).toBe(230);
  await member.getByLabel('Speaking rate of Mia').fill('1.2');
  await member.getByLabel('Speaking rate of Mia').press('Enter');
  await expect.poll(async () => (await mia()).voice.rate).toBe(1.2);
  await undo(page);
  await expect.poll(async () => (await mia()).voice.rate).toBe(1);
  expect((await mia()).voice.pitchHz).toBe(230);

  // the voice preview: a sample spoken with Mia's voice at her rate and pitch, played
  const previewed = page.waitForResponse((r) => r.url().includes('/media/') && r.status() < 300);
  await member.getByRole('button', { name: 'Preview the voice of Mia' }).click();
  await previewed;
  const audio = page.getByTestId('voice-preview-mia');
  await expect.poll(() => audio.evaluate((el: any) => (el.readyState >= 1 ? el.duration : 0))).toBeGreaterThan(1);

  // a reference image: picked, copied into the project, shown as a thumbnail
  await member
    .getByLabel('Add reference images of Mia')
    .setInputFiles({ name: 'mia-face.png', mimeType: 'image/png', buffer: testPicture() });
  const thumb = member.getByRole('img', { name: 'Reference image 1 of Mia' });
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((el: any) => el.naturalWidth)).toBe(160);
  const refs = (await mia()).references;
  expect(refs).toHaveLength(1);
  expect((await docOf(page, url)).media.find((m: any) => m.id === refs[0]).path).toMatch(/^images\/references\/[0-9a-f]{16}\.png$/);
  await member.getByRole('list', { name: 'Reference images of Mia' }).evaluate((el: any) => el.scrollIntoView({ block: 'center' }));
  await screenshot(page, 'cast-01-cast-panel');
  // removed with its button, back with undo
  await member.getByRole('button', { name: 'Remove Reference image 1 of Mia' }).click();
  await expect(thumb).toHaveCount(0);
  expect((await mia()).references).toBeUndefined();
  await undo(page);
  await expect(thumb).toBeVisible();

  // Set panel: the kitchen's actions in words, edited
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Set' }).click();
  const set = page.getByRole('region', { name: 'Set' });
  await set.getByLabel('Scene', { exact: true }).selectOption('kitchen');
  const actions = set.getByRole('list', { name: 'Actions of the scene' });
  await expect(actions.getByRole('listitem')).toHaveCount(4);
  await expect(actions.getByRole('listitem').nth(1)).toHaveAccessibleName('Mia picks up the red cup at 2.7 s');
  await set.getByRole('button', { name: '+ Action' }).click();
  await expect(actions.getByRole('listitem')).toHaveCount(5);
  const added = actions.getByRole('listitem').nth(4);
  await expect(added).toHaveAccessibleName('Mia walks to the table at 7.3 s');
  // edit: Leo walks to the chair at 5.0 s
  await added.getByLabel('Who does action 5').selectOption('leo');
  await added.getByLabel('x of action 5').fill('-1.3');
  await added.getByLabel('x of action 5').press('Enter');
  await added.getByLabel('z of action 5').fill('0.3');
  await added.getByLabel('z of action 5').press('Enter');
  await expect.poll(async () => (await kitchen()).actions[4].to).toEqual([-1.3, 0.3]);
  await added.getByLabel('Time of action 5').fill('5');
  await added.getByLabel('Time of action 5').press('Enter');
  await expect.poll(async () => (await kitchen()).actions.map((a: any) => a.at)).toEqual([12, 64, 110, 120, 150]);
  const leoWalk = actions.getByRole('listitem').nth(3);
  await expect(leoWalk).toHaveAccessibleName('Leo walks to the chair at 5.0 s');
  await leoWalk.scrollIntoViewIfNeeded();
  await screenshot(page, 'cast-02-set-actions');
  // reorder: up one place (the times stay, who does what when changes)
  await leoWalk.getByRole('button', { name: /^Move up: Leo walks/ }).click();
  await expect
    .poll(async () => (await kitchen()).actions.map((a: any) => `${a.actorId} ${a.verb}@${a.at}`))
    .toEqual(['mia walk@12', 'mia pickup@64', 'leo walk@110', 'mia drop@120', 'leo look@150']);
  await undo(page);
  await expect.poll(async () => (await kitchen()).actions[3].actorId).toBe('leo');
  // remove
  await actions.getByRole('button', { name: /^Remove: Leo walks/ }).click();
  await expect(actions.getByRole('listitem')).toHaveCount(4);

  // the blocking map: camera labels apart even for cameras on one spot; the timeline of actions, scrubbed
  const shots = (await kitchen()).shots;
  await apiCall(page, url, 'project.apply', {
    commands: shots.slice(1).map((s: any) => ({ type: 'shot.update', shotId: s.id, patch: { camera: shots[0].camera } })),
    label: 'Stack cameras',
  });
  await page.evaluate(() => (globalThis as any).document.activeElement?.blur?.());
  await page.keyboard.press('Alt+2');
  const timeline = page.getByRole('region', { name: 'Blocking timeline' });
  await expect(timeline.getByRole('button', { name: 'Mia picks up the red cup at 2.7 s' })).toBeVisible();
  await timeline.getByRole('button', { name: 'Mia drops the red cup at 4.6 s' }).click();
  await expect(timeline.locator('.blocking-time')).toHaveText(/^4\.58 s: Mia at −?\d\.\d\d, −?\d\.\d\d · Leo at /);
  const at = async () => (await timeline.locator('.blocking-time').textContent())!;
  const dropped = await at();
  await timeline.getByLabel('Scene time').fill('20');
  await expect(timeline.locator('.blocking-time')).toHaveText(/^0\.83 s: Mia at /);
  expect(await at()).not.toBe(dropped); // Mia is on her way to the table at 0.8 s, elsewhere at 4.6 s
  await screenshot(page, 'cast-03-blocking-timeline');
});
