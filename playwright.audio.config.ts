/**
 * The audio editor in a real browser (Debian's Chromium, never `playwright
 * install`) against its small host on the real engine:
 *   npx playwright test -c playwright.audio.config.ts
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_USE } from './test/support/chromium.js';

const PORT = Number(process.env.KLAPPE_AUDIO_E2E_PORT ?? 47821);

export default defineConfig({
  testDir: 'test/e2e-audio',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/e2e-audio',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    ...CHROMIUM_USE,
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1200, height: 520 },
  },
  webServer: {
    command: `node bin/run-ts.mjs test/e2e-audio/audio-editor-host.ts --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
  },
});
