/**
 * A project file changed by another program while it is open: the studio
 * asks (reload theirs, or keep mine and overwrite) instead of overwriting it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { newProject, screenshot } from './support.js';

test('another program changes the open project: reload theirs, or keep mine', async ({ page }) => {
  const file = join(process.env.KLAPPE_E2E_HOME!, 'projects', 'shared-file', 'project.klappe');
  const otherProgram = (name: string) => {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.name = name;
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  };
  // through Home, whatever an earlier spec left open in this studio
  await newProject(page, 'Shared File', 'empty');
  await expect(page.locator('.project-name')).toHaveText('Shared File');

  otherProgram('Their Title');
  const dialog = page.getByRole('dialog', { name: 'Changed by another program' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('project.klappe');
  await screenshot(page, 'disk-change');
  await dialog.getByRole('button', { name: 'Reload theirs' }).click();
  await expect(page.locator('.project-name')).toHaveText('Their Title');
  await expect(dialog).toBeHidden();

  // again; the user first tries to save (refused: asked again), then keeps this version
  otherProgram('Their Second Title');
  await expect(dialog).toBeVisible();
  await dialog
    .getByRole('button', { name: 'Close' })
    .click()
    .catch(() => page.keyboard.press('Escape'));
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Keep mine (overwrite)' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => JSON.parse(readFileSync(file, 'utf8')).name).toBe('Their Title');
  expect(JSON.parse(readFileSync(`${file}.bak`, 'utf8')).name).toBe('Their Second Title');
});
