/**
 * End-to-end tests of the studio in browser mode: Debian's Chromium (never
 * `playwright install`), `klappe serve` started by Playwright with its own
 * data, config and projects folders, on a fixed port.
 */
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_USE } from './test/support/chromium.js';

// A port per run (several developers and CI jobs share machines); workers inherit it through the environment.
export const E2E_PORT = Number(process.env.KLAPPE_E2E_PORT ?? 20000 + (process.pid % 20000) * 2);
process.env.KLAPPE_E2E_PORT = String(E2E_PORT);
const home = process.env.KLAPPE_E2E_HOME ?? mkdtempSync(join(tmpdir(), 'klappe-e2e-'));
process.env.KLAPPE_E2E_HOME = home;

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  timeout: 180_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    ...CHROMIUM_USE,
    viewport: { width: 1440, height: 900 },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `node bin/klappe.mjs serve --port ${E2E_PORT} --info-file ${join(home, 'serve.json')}`,
    url: `http://127.0.0.1:${E2E_PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    env: {
      KLAPPE_DATA_DIR: join(home, 'data'),
      KLAPPE_CONFIG_DIR: join(home, 'config'),
      KLAPPE_PROJECTS_DIR: join(home, 'projects'),
      KLAPPE_DEFAULT_BACKEND: 'slate',
    },
  },
});
