/**
 * Cameos with consent, through the studio: record a cameo from a file (a real
 * talking-face clip of the GRID corpus, CC BY 4.0, ../shared/media/faces),
 * approve a second identity by its certificate, bind the cameo to a character
 * and generate a shot with it, revoke it, and see the block in the shot
 * inspector, the flagged take on the Cameos screen and the refusal in the queue;
 * an altered record is refused on import.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { newProject, screenshot } from './support.js';

const RECORDING = join(process.cwd(), '..', 'shared', 'media', 'faces', 'grid_bbaf2n.mpg');
let second: string;

test.beforeAll(() => {
  // the second person: an identity made by the same code on "another machine" (its own config folder)
  second = mkdtempSync(join(tmpdir(), 'klappe-e2e-second-'));
  const who = JSON.parse(
    execFileSync(process.execPath, ['bin/klappe.mjs', 'cameo', 'whoami', '--json'], {
      env: { ...process.env, KLAPPE_CONFIG_DIR: join(second, 'config'), KLAPPE_DATA_DIR: join(second, 'data') },
    }).toString(),
  );
  expect(who.id).toMatch(/^[0-9a-f]{64}$/);
});

test.afterAll(() => rmSync(second, { recursive: true, force: true }));

test('record a cameo, grant it, use it in a shot, revoke it: the block and the flagged takes', async ({ page }) => {
  test.skip(!existsSync(RECORDING), '../shared/media/faces is not next to the project');
  await newProject(page, 'Cameo Film');
  await page.getByRole('tab', { name: 'Cameos' }).click();
  const form = page.getByRole('form', { name: 'Record a cameo' });
  await expect(form.getByLabel('Challenge phrase')).toHaveText(/“\w+( \w+){5}”/);
  await form.getByLabel('Recording file').setInputFiles(RECORDING);
  await form.getByLabel('Name').fill('Ada');
  await form.getByLabel('Who may use it').selectOption('approved');
  await form.getByRole('button', { name: 'Check and add' }).click();
  const card = page.getByRole('article', { name: 'Cameo Ada' });
  await expect(card).toBeVisible({ timeout: 60_000 });
  await expect(card.getByLabel('Consent for Ada')).toContainText('You may use it: Ada is your own cameo');

  // approve the second identity by its certificate
  await card.getByLabel('Approve a person (their certificate, PEM)').setInputFiles(join(second, 'config', 'identity', 'signing-chain.pem'));
  await expect(card.getByRole('list', { name: 'Approved for Ada' })).toContainText('Klappe user');
  await expect(card).toContainText('consent v2');

  // bind it to Mia and generate her close shot (scene 1, shot 2)
  await card.getByLabel('Character').selectOption({ label: 'Mia' });
  await card.getByRole('button', { name: 'Use for character' }).click();
  await expect(card).toContainText('Used by Mia');
  await screenshot(page, 'cameo-01-library');
  await page.getByRole('tab', { name: 'Storyboard' }).click();
  await page.locator('.shot-card .shot-select').nth(1).click();
  const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
  await expect(inspector.getByRole('region', { name: 'Cameo consent' })).toContainText('Cameo (Mia): Ada is your own cameo');
  await inspector.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(page.locator('.job.done')).toHaveCount(1, { timeout: 120_000 });

  // revoke: the Cameos screen lists the flagged take at once
  await page.getByRole('tab', { name: 'Cameos' }).click();
  await card.getByRole('button', { name: 'Revoke cameo' }).click();
  const flags = page.getByRole('alert', { name: 'Blocked uses' });
  await expect(flags.getByRole('list', { name: 'Flagged takes' })).toContainText('Shot 1/2 take 1: Ada (cameo.revoked)');
  await expect(flags).toContainText('exporting is blocked');
  await expect(card.getByLabel('Consent for Ada')).toContainText('Blocked:');
  await screenshot(page, 'cameo-02-revoked');

  // the shot inspector shows the block; generating again is refused with the reason, in the queue
  await page.getByRole('tab', { name: 'Storyboard' }).click();
  await page.locator('.shot-card .shot-select').nth(1).click();
  const block = inspector.getByRole('region', { name: 'Cameo consent' }).getByRole('alert');
  await expect(block).toContainText('Blocked (Mia):');
  await expect(block).toContainText('revoked this cameo');
  await expect(block).toContainText('Flagged takes: 1/2 take 1');
  await inspector.getByRole('button', { name: 'Generate again' }).click();
  await expect(page.locator('.job.failed')).toHaveCount(1, { timeout: 20_000 });
  await expect(page.locator('.job.failed')).toContainText('refused by cameo.revoked');
  await screenshot(page, 'cameo-03-blocked');

  // a record altered after signing (its revocation taken out) is refused on import, with the reason
  const home = process.env.KLAPPE_E2E_HOME!;
  const file = join(second, 'ada.cameo.json');
  execFileSync(process.execPath, ['bin/klappe.mjs', 'cameo', 'export', 'Ada', '-o', file], {
    env: { ...process.env, KLAPPE_CONFIG_DIR: join(home, 'config'), KLAPPE_DATA_DIR: join(home, 'data') },
  });
  const record = JSON.parse(readFileSync(file, 'utf8'));
  delete record.consent.body.revokedAt;
  writeFileSync(file, JSON.stringify(record));
  await page.getByRole('tab', { name: 'Cameos' }).click();
  await page.getByLabel('Import a cameo record from its owner').setInputFiles(file);
  await expect(page.locator('.toast.error').filter({ hasText: 'is refused' })).toContainText('ada.cameo.json: the consent record of cameo');
  await expect(page.locator('.toast.error').filter({ hasText: 'is refused' })).toContainText('the signature does not match its contents');
  await expect(card.getByLabel('Consent for Ada')).toContainText('Blocked:');
  await screenshot(page, 'cameo-04-forged-refused');
});
