/**
 * Crash recovery: the host is killed (SIGKILL) during editing; a new host
 * reopens the project and offers the edits from the recovery copy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { screenshot } from './support.js';

const PORT = Number(process.env.KLAPPE_E2E_PORT ?? 47811) + 1;

async function startHost(home: string): Promise<{ child: ChildProcess; url: string }> {
  const info = join(home, `serve-${Date.now()}.json`);
  const child = spawn(process.execPath, ['bin/klappe.mjs', 'serve', '--port', String(PORT), '--info-file', info], {
    env: {
      ...process.env,
      KLAPPE_DATA_DIR: join(home, 'data'),
      KLAPPE_CONFIG_DIR: join(home, 'config'),
      KLAPPE_PROJECTS_DIR: join(home, 'projects'),
      KLAPPE_DEFAULT_BACKEND: 'slate',
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 300 && !existsSync(info); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(info)) throw new Error('klappe serve did not start');
  return { child, url: JSON.parse(readFileSync(info, 'utf8')).url };
}

test('edits survive the host being killed', async ({ page }) => {
  const home = mkdtempSync(join(tmpdir(), 'klappe-e2e-recovery-'));
  let host = await startHost(home);
  try {
    await page.goto(host.url);
    await page.getByLabel('Name').fill('Crash Test');
    await page.getByRole('radio', { name: /Empty/ }).check();
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('button', { name: /^Shot 1\/1/ }).click();
    const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
    await inspector.getByLabel('Action').fill('The lights flicker; nobody saved.');
    await inspector.getByLabel('Name').click(); // blur commits the edit
    await expect(page.locator('.shot-card .action')).toHaveText('The lights flicker; nobody saved.');
    await page.waitForTimeout(2000); // autosave writes the recovery copy within about a second

    host.child.kill('SIGKILL');
    await new Promise((r) => host.child.once('exit', r));
    await expect(page.getByRole('alert')).toContainText('Lost the connection');

    host = await startHost(home);
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Open Crash Test' }).click();
    const dialog = page.getByRole('dialog', { name: 'Recover unsaved edits?' });
    await expect(dialog).toBeVisible();
    await screenshot(page, '11-recovery');
    await dialog.getByRole('button', { name: 'Recover edits' }).click();
    await expect(page.locator('.shot-card .action')).toHaveText('The lights flicker; nobody saved.');
  } finally {
    host.child.kill('SIGTERM');
  }
});
