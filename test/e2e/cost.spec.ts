/**
 * Time and cost in the studio, against a loopback Veo server (test/servers/veo-server.ts,
 * the Gemini API's documented endpoints): set a budget, pick Veo for a shot, see time and
 * cost before generating (card, inspector, Generate all), exceed the budget and get asked,
 * generate, see the real cost on the take, in the queue and in the Cost panel.
 * This spec runs its own `klappe serve` (Veo's base URL and key in its environment).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { makeTestClip } from '../servers/test-clip.js';
import { startVeoServer, type VeoTestServer } from '../servers/veo-server.js';
import { openHome, screenshot } from './support.js';

const KEY = 'test-gemini-key-cost';
let home: string;
let veo: VeoTestServer;
let host: ChildProcess;
let url: string;

test.beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'klappe-e2e-cost-'));
  veo = await startVeoServer({ apiKey: KEY, video: await makeTestClip(join(home, 'veo.mp4')), doneAfterPolls: 2 });
  const port = Number(process.env.KLAPPE_E2E_PORT ?? 20000) + 1;
  const info = join(home, 'serve.json');
  host = spawn(process.execPath, ['bin/klappe.mjs', 'serve', '--port', String(port), '--info-file', info], {
    env: {
      ...process.env,
      KLAPPE_DATA_DIR: join(home, 'data'),
      KLAPPE_CONFIG_DIR: join(home, 'config'),
      KLAPPE_PROJECTS_DIR: join(home, 'projects'),
      KLAPPE_DEFAULT_BACKEND: '',
      KLAPPE_GEMINI_BASE_URL: veo.url,
      KLAPPE_GEMINI_API_KEY: KEY,
      KLAPPE_VEO_POLL_MS: '200',
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 300 && !existsSync(info); i++) await new Promise((r) => setTimeout(r, 100));
  url = JSON.parse(readFileSync(info, 'utf8')).url;
});

test.afterAll(async () => {
  host?.kill('SIGTERM');
  await veo?.close();
  rmSync(home, { recursive: true, force: true });
});

test('budget, estimates before a run, the question over budget, the real cost after', async ({ page }) => {
  await openHome(page, url);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Cost Film');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.locator('.shot-card')).toHaveCount(5);

  // every card shows the time and cost on the backend it would run on (with a Gemini key set, the router picks Veo)
  await expect(page.locator('.shot-card .cost-badge')).toHaveCount(5);
  await expect(page.locator('.shot-card .cost-badge').first()).toHaveText(/^Veo 3\.1 \d+ (s|min) · \$\d+\.\d\d$/);
  // shot 2 is set to previz: free
  await page.locator('.shot-card .shot-select').nth(1).click();
  const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
  await inspector.getByLabel('Backend', { exact: true }).selectOption('previz');
  await expect(page.locator('.shot-card').nth(1).locator('.cost-badge')).toHaveText(/^previz \d+ s · free$/);
  await expect(page.locator('.run-cost')).toHaveText(/≈ \d+ (s|min) · \$\d+\.\d\d/);

  // pick Veo for shot 1: before generating, the inspector shows it first with the alternatives
  await page.locator('.shot-card .shot-select').first().click();
  await inspector.getByLabel('Backend', { exact: true }).selectOption('veo');
  const options = inspector.getByRole('list', { name: 'Estimates by backend' }).locator('li');
  await expect(options.first()).toContainText(/Veo 3\.1 \d+ (s|min) · \$\d+\.\d\d/);
  await expect(options.nth(1)).toContainText(/previz \d+ s · free/);
  await expect(options.first()).toContainText('documented');
  await expect(page.locator('.shot-card').first().locator('.cost-badge')).toHaveText(/Veo 3\.1 .* · \$\d+\.\d\d/);
  const shotCost = Number((await options.first().textContent())!.match(/\$(\d+\.\d\d)/)![1]);
  expect(shotCost).toBeGreaterThan(1);
  await screenshot(page, 'cost-01-estimates');

  // a budget below the shot's cost
  await page.getByRole('button', { name: 'Cost', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Cost' });
  await panel.getByLabel('Project budget ($)').fill('1');
  await panel.getByRole('button', { name: 'Set budget' }).click();
  await expect(panel.getByLabel('Spent')).toContainText('of a budget of $1.00');
  await panel.getByRole('button', { name: 'Close' }).last().click();
  await expect(page.locator('.run-cost')).toHaveText(/over budget/);

  // generating asks first; "Don't generate" queues nothing
  await inspector.getByRole('button', { name: 'Generate', exact: true }).click();
  const ask = page.getByRole('dialog', { name: 'Over the budget' });
  await expect(ask).toContainText(`would cost about $${shotCost.toFixed(2)}`);
  await expect(ask).toContainText('budget of $1.00');
  await screenshot(page, 'cost-02-over-budget');
  await ask.getByRole('button', { name: "Don't generate" }).click();
  await expect(ask).toBeHidden();
  expect(veo.counts.submit).toBe(0);

  // asked again, the user goes over: Veo runs (the loopback server), the take records what it cost
  await inspector.getByRole('button', { name: 'Generate', exact: true }).click();
  await ask.getByRole('button', { name: 'Generate anyway' }).click();
  const takeCost = inspector.getByLabel(/^Take 1 cost:/);
  await expect(takeCost).toBeVisible({ timeout: 60_000 });
  await expect(takeCost).toHaveText(/^\d+\.\d s · \$\d+\.\d\d \(\d s billed\)$/);
  expect(veo.counts.submit).toBe(1);
  const billed = Number((await takeCost.textContent())!.match(/\((\d) s billed\)/)![1]);
  const real = Number((await takeCost.textContent())!.match(/\$(\d+\.\d\d)/)![1]);
  expect(real).toBeCloseTo(billed * 0.4, 2);
  expect(real).toBeCloseTo(shotCost, 2);
  const queueButton = page.getByRole('button', { name: 'Queue' });
  if ((await queueButton.getAttribute('aria-pressed')) !== 'true') await queueButton.click();
  await expect(page.locator('.job.done').first()).toContainText(/took \d+\.\d s · \$\d+\.\d\d/);
  await screenshot(page, 'cost-03-take-cost');

  // the summary: the take with backend, seconds, billed seconds and cost; totals; the budget overrun
  await page.getByRole('button', { name: 'Cost', exact: true }).click();
  const table = panel.getByRole('table', { name: 'Takes and their cost' });
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table.locator('tbody tr').first()).toContainText('veo');
  await expect(table.locator('tbody tr').first()).toContainText(`$${real.toFixed(2)}`);
  await expect(panel.getByLabel('Spent')).toContainText(`Spent $${real.toFixed(2)} on 1 take`);
  await expect(panel.getByLabel('Spent')).toContainText(`$${(real - 1).toFixed(2)} over`);
  await screenshot(page, 'cost-04-summary');
  await panel.getByRole('button', { name: 'Close' }).last().click();

  // Settings → Prices: the table's version, date and source; an override changes the estimates
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByText(/Table prices\.v1, cloud prices checked \d{4}-\d\d-\d\d/)).toBeVisible();
  await expect(settings.getByRole('link', { name: 'https://ai.google.dev/gemini-api/docs/pricing' })).toBeVisible();
  const standard = settings.getByLabel(/^Veo 3\.1 \(veo-3\.1-generate-preview\)/);
  await expect(standard).toHaveValue('0.4');
  await standard.fill('0.5');
  await settings.getByRole('button', { name: 'Save prices' }).click();
  await expect(settings.getByText(/Table prices\.v1\+user/)).toBeVisible();
  await screenshot(page, 'cost-05-prices');
  await settings.getByRole('button', { name: 'Close' }).last().click();
  await expect(page.locator('.shot-card').nth(2).locator('.cost-badge')).toHaveText(/Veo 3\.1 .* · \$(2\.00|2\.50|3\.00|4\.00)/);
});
