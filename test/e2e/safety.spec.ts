/**
 * Safety in the studio, in Chromium against `klappe serve`: a shot whose
 * prompt the policy blocks shows the block (rule, how to proceed) in the shot
 * inspector; Generate fails its job in the queue with the same rule; the
 * Safety log lists the decision; film language ("shoot the scene", "kill the
 * lights") stays allowed.
 */
import { expect, test } from '@playwright/test';
import { newProject, screenshot } from './support.js';

test('a blocked prompt shows in the inspector and the queue; the safety log lists the decision', async ({ page }) => {
  await newProject(page, 'Safety E2E');
  await page.locator('.shot-card .shot-select').first().click();
  const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
  const prompt = inspector.getByLabel('Prompt', { exact: true });

  // film language: nothing to say
  await prompt.fill('Shoot the scene at dawn, then kill the lights. Cut to black.');
  await prompt.blur();
  await expect(inspector.getByRole('status', { name: 'Safety' })).toHaveCount(0);
  await expect(inspector.getByRole('alert', { name: 'Safety' })).toHaveCount(0);

  // a blocked prompt: the inspector names the rule and how to proceed, at once
  await prompt.fill('A nude 12-year-old on the beach');
  await prompt.blur();
  const verdict = inspector.getByRole('alert', { name: 'Safety' });
  await expect(verdict).toContainText('Blocked');
  await expect(verdict).toContainText('minors.sexual');
  await expect(verdict).toContainText('How to proceed');
  await expect(verdict).toContainText('adult age');
  await screenshot(page, 'safety-01-inspector-block');

  // Generate: the job fails before any backend runs; the queue shows the block with the rule and how to proceed
  await inspector.getByRole('button', { name: 'Generate', exact: true }).click();
  const queue = page.getByRole('complementary', { name: 'Generation queue' });
  const blocked = queue.getByRole('note', { name: /blocked by the safety policy/ });
  await expect(blocked).toBeVisible({ timeout: 30_000 });
  await expect(blocked).toContainText('minors.sexual');
  await expect(blocked).toContainText('How to proceed');
  await expect(queue.locator('.job .status').first()).toHaveText('blocked');
  await screenshot(page, 'safety-02-queue-block');

  // the Safety log lists the decision: what was checked, the rule, the outcome, the policy version
  await verdict.getByRole('button', { name: 'Safety log' }).click();
  const dialog = page.getByRole('dialog', { name: 'Safety log' });
  const rows = dialog.getByRole('table', { name: 'Decisions' }).locator('tbody tr');
  const row = rows.filter({ hasText: 'A nude 12-year-old on the beach' });
  await expect(row.first()).toContainText('block');
  await expect(row.first()).toContainText('minors.sexual');
  await expect(row.first()).toContainText('strict-');
  await dialog.getByRole('button', { name: 'Blocks' }).click();
  await expect(rows).toHaveCount(1);
  await screenshot(page, 'safety-03-log');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // rewriting the prompt clears the block; the next generation runs
  await prompt.fill('A 30-year-old woman walks along the beach at dawn. Shoot her in close-up.');
  await prompt.blur();
  await expect(inspector.getByRole('alert', { name: 'Safety' })).toHaveCount(0);
  await inspector.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(queue.locator('.job .status').first()).toHaveText('done', { timeout: 60_000 });
});
