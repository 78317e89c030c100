/**
 * "Generate again" in the studio: each press makes a new take with a new seed,
 * kept beside the earlier ones in the shot's take picker (the newest picked),
 * and on the previz each is another performance: the characters stand and move
 * differently (read from the takes' own metadata, where the previz drew them).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { apiCall, docOf, hostInfo, newProject, screenshot } from './support.js';

test('"Generate again" puts another performance beside the earlier takes in the take picker', async ({ page }) => {
  test.setTimeout(360_000);
  const { url } = hostInfo();
  await newProject(page, 'Variations', 'two-scenes');
  // the e2e host defaults to the fast slate backend; variations are the previz's (the default goes back after)
  const before = (await apiCall(page, url, 'settings.get', {})) as { defaultBackend?: string };
  await apiCall(page, url, 'settings.set', { patch: { defaultBackend: 'previz' } });
  try {
    await generateThree(page, url);
  } finally {
    await apiCall(page, url, 'settings.set', { patch: { defaultBackend: before.defaultBackend ?? '' } });
  }
});

async function generateThree(page: Page, url: string): Promise<void> {
  await page.keyboard.press('Alt+1');
  // shot 1/2 ("Medium: Mia"): the cup slips from Mia's hand
  await page.locator('.shot-card .shot-select').nth(1).click();
  const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
  await expect(inspector.getByRole('heading', { name: 'Shot 2' })).toBeVisible();
  await inspector.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(page.locator('.job.done')).toHaveCount(1, { timeout: 120_000 });
  const picker = inspector.getByRole('radiogroup', { name: 'Takes of shot 2' });
  await expect(picker.getByRole('radio')).toHaveCount(1);

  for (const n of [2, 3]) {
    await inspector.getByRole('button', { name: 'Generate again' }).click();
    await expect(page.locator('.job.done')).toHaveCount(n, { timeout: 120_000 });
    await expect(picker.getByRole('radio')).toHaveCount(n);
    // the new take is picked; the earlier ones stay beside it
    await expect(picker.getByRole('radio', { name: `Take ${n} · previz` })).toBeChecked();
  }
  for (const n of [1, 2]) await expect(picker.getByRole('radio', { name: `Take ${n} · previz` })).not.toBeChecked();
  await picker.scrollIntoViewIfNeeded();
  await screenshot(page, 'variations-01-take-picker');

  // three seeds, three performances: Mia stands somewhere else in each (the previz's own world positions)
  const doc = await docOf(page, url);
  const takes = doc.takes.filter((t: any) => t.shotId === 's2');
  expect(takes.map((t: any) => t.number)).toEqual([1, 2, 3]);
  expect(new Set(takes.map((t: any) => t.seed)).size).toBe(3);
  const media = join(process.env.KLAPPE_E2E_HOME!, 'data', 'media');
  const miaAt = takes.map((t: any) => {
    const meta = JSON.parse(readFileSync(join(media, t.media.metadata.slice(0, 2), t.media.metadata), 'utf8'));
    expect(meta.seed).toBe(t.seed);
    return meta.world[0].characters.mia.position as number[];
  });
  for (const [i, j] of [
    [0, 1],
    [0, 2],
    [1, 2],
  ] as const) {
    const d = Math.hypot(miaAt[i]![0]! - miaAt[j]![0]!, miaAt[i]![2]! - miaAt[j]![2]!);
    expect(d, `Mia's position in takes ${i + 1} and ${j + 1}`).toBeGreaterThan(0.01);
    expect(d).toBeLessThan(0.6);
  }

  // picking an earlier take makes it the shot's take again
  await picker.getByRole('radio', { name: 'Take 1 · previz' }).click();
  await expect(picker.getByRole('radio', { name: 'Take 1 · previz' })).toBeChecked();
  await expect.poll(async () => (await docOf(page, url)).scenes[0].shots[1].selectedTakeId).toBe(takes[0].id);
}
