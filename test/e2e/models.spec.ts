/**
 * Local models in the studio, in Chromium against `klappe serve`: Settings →
 * Models installs a pack from a loopback server (progress, then listed) and
 * verifies it; a take is enhanced from the shot inspector's Enhance button
 * (a job in the queue) and the larger take is added to the shot.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startPackServer } from '../support/pack-server.js';
import { servedTinyPack } from '../support/served-pack.js';
import { apiCall, docOf, hostInfo, newProject, screenshot } from './support.js';

test('Settings → Models installs and verifies a pack; Enhance makes a larger take', async ({ page }) => {
  const { url } = hostInfo();
  const site = join(process.env.KLAPPE_E2E_HOME!, 'pack-site');
  servedTinyPack(site, 300_000);
  const server = await startPackServer(site);
  try {
    await newProject(page, 'Models E2E', 'empty');
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('Install from URL').fill(`${server.url}/klappe-pack.json`);
    await settings.getByRole('button', { name: 'Install', exact: true }).click();
    await expect(settings.getByRole('status', { name: 'Model install' })).toContainText('Installed tiny-wan');
    const packs = settings.getByRole('list', { name: 'Installed model packs' });
    await expect(packs).toContainText(/Tiny Wan \(test pack\) 1\.0\.0-seed1 · wan2\.1-t2v · \d+\.\d KiB · Apache-2\.0/);
    await settings.getByRole('button', { name: 'Verify tiny-wan' }).click();
    await expect(packs).toContainText('all files match');
    await settings
      .getByRole('heading', { name: 'Models' })
      .or(settings.locator('legend', { hasText: 'Models' }))
      .first()
      .scrollIntoViewIfNeeded();
    await screenshot(page, 'models-1-settings');
    await settings.getByRole('button', { name: 'Close' }).last().click();

    // a small take (128x72, 6 frames) from the slate backend, then Enhance from the inspector
    await apiCall(page, url, 'project.apply', {
      commands: [
        { type: 'sequence.update', patch: { width: 128, height: 72 } },
        { type: 'shot.update', shotId: 'shot-1', patch: { duration: 6 } },
      ],
    });
    await apiCall(page, url, 'generate.enqueue', { shotIds: ['shot-1'], backend: 'slate' });
    const queue = page.getByRole('complementary', { name: 'Generation queue' });
    await expect(queue.getByRole('listitem', { name: /: done/ })).toHaveCount(1, { timeout: 60_000 });
    await page.locator('.shot-card .shot-select').first().click();
    const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
    await inspector.getByRole('button', { name: 'Enhance take 1 to 1920x1080' }).click();
    await expect(queue.getByRole('listitem', { name: /: done/ })).toHaveCount(2, { timeout: 120_000 });
    await expect(inspector.getByText('Take 2 · enhance')).toBeVisible();
    await screenshot(page, 'models-2-enhanced-take');
    const doc = await docOf(page, url);
    const take = doc.takes.find((t: { backend: string }) => t.backend === 'enhance');
    expect(take.params).toMatchObject({ size: '1920x1080', sourceSize: '128x72' });
  } finally {
    await apiCall(page, url, 'models.remove', { id: 'tiny-wan' }).catch(() => undefined);
    await server.close();
  }
});
