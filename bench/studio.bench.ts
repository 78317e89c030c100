/**
 * Studio benchmarks in Chromium against the browser-mode host:
 * - a 500-clip timeline scrolled, and a clip dragged: frames per second
 *   counted with requestAnimationFrame, next to an empty page's rAF rate;
 * - opening a 1,000-shot project to an interactive storyboard, next to the
 *   api's project.open alone;
 * - one edit of that project, from the field's commit to its card updated,
 *   next to the api's project.apply alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../test/support/chromium.js';
import { MediaStore } from '../engine/cache/media-store.js';
import { RecentProjects } from '../engine/api/recent-projects.js';
import { SettingsStore } from '../engine/api/settings-store.js';
import { startStudioServer } from '../engine/host/studio-server.js';
import { FileSecretStore } from '../engine/secrets/secret-store.js';
import { assetPath, appRoot } from '../engine/util/paths.js';
import { makeLargeProject } from './foundation.bench.js';
import { medianMs, report } from './support.js';

const SECONDS = 3;

/** Frames counted by requestAnimationFrame while `drive` runs for about `seconds`. */
async function fpsWhile(page: Page, seconds: number, drive: (until: number) => Promise<void>): Promise<number> {
  // Page code as strings: the bench runs through tsx, whose helpers do not exist in the page.
  await page.evaluate(
    `(() => { window.__frames = 0; const loop = () => { window.__frames++; window.__raf = requestAnimationFrame(loop); }; window.__raf = requestAnimationFrame(loop); })()`,
  );
  const t0 = Date.now();
  await drive(t0 + seconds * 1000);
  const frames = (await page.evaluate(`(() => { cancelAnimationFrame(window.__raf); return window.__frames; })()`)) as number;
  return frames / ((Date.now() - t0) / 1000);
}

/** Page code: resolves with `test()`'s value once it is truthy, checked after every DOM change. */
const UNTIL_DOM = `const untilDom = (test) => new Promise((resolve) => {
  const now = test();
  if (now) return resolve(now);
  const mo = new MutationObserver(() => { const v = test(); if (v) { mo.disconnect(); resolve(v); } });
  mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
});`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function idle(until: number): Promise<void> {
  await new Promise((r) => setTimeout(r, until - Date.now()));
}

export async function benchStudio(): Promise<void> {
  if (!existsSync(join(appRoot(), 'dist', 'renderer', 'index.html'))) {
    spawnSync(process.execPath, [join(appRoot(), 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: appRoot(), stdio: 'inherit' });
  }
  const work = mkdtempSync(join(tmpdir(), 'klappe-bench-studio-'));
  const template = readFileSync(assetPath('templates', 'two-scenes', 'project.klappe'), 'utf8');
  const big = join(work, 'shots-1000');
  const clips500 = join(work, 'clips-500');
  for (const [dir, n] of [
    [big, 1000],
    [clips500, 500],
  ] as const) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'project.klappe'), makeLargeProject(template, n));
  }
  const server = await startStudioServer({
    rendererDir: join(appRoot(), 'dist', 'renderer'),
    store: new MediaStore(join(work, 'media')),
    projectsDir: join(work, 'projects'),
    settings: new SettingsStore(join(work, 'cfg'), new FileSecretStore(join(work, 'cfg', 'secrets.json'))),
    recent: new RecentProjects(join(work, 'cfg')),
  });
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.setContent('<!doctype html><title>empty</title>');
    const emptyFps = await fpsWhile(page, SECONDS, idle);

    // Open a 1,000-shot project to an interactive storyboard. Timed in the page (from the click to the DOM
    // showing the result, seen by a MutationObserver), so that the harness's polling is not counted.
    const openOnce = async () => {
      await server.api.call('project.close', {});
      await page.goto(server.url);
      await page.getByLabel('Project folder').fill(big);
      // Interactive: a card of the storyboard is there, a click on it selects it and the inspector shows it.
      return (await page.evaluate(`${UNTIL_DOM}
        (async () => {
          const t0 = performance.now();
          [...document.querySelectorAll('button')].find((b) => b.textContent === 'Open project').click();
          const card = await untilDom(() => document.querySelector('.shot-select[aria-label="Shot 3/7 Wide: the kitchen"]'));
          card.click();
          await untilDom(() => [...document.querySelectorAll('aside[aria-label="Shot inspector"] h2')].find((h) => h.textContent === 'Shot 7'));
          return performance.now() - t0;
        })()`)) as number;
    };
    const openTimes: number[] = [];
    for (let i = 0; i < 5; i++) openTimes.push(await openOnce());
    const apiOpenMs = await medianMs(5, () => server.api.call('project.open', { dir: big }));
    report({
      name: 'open a 1,000-shot project to an interactive storyboard',
      value: median(openTimes),
      unit: 'ms',
      baseline: { name: 'api project.open alone (load + validate)', value: apiOpenMs },
    });

    // One edit on the 1,000-shot project: the inspector commits an action text; the storyboard card shows it.
    await openOnce();
    const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
    const editTimes: number[] = [];
    for (let i = 0; i < 9; i++) {
      const text = `Edited action ${i}`;
      await inspector.getByLabel('Action').fill(text);
      await inspector.getByLabel('Action').focus();
      editTimes.push(
        (await page.evaluate(`${UNTIL_DOM}
        (async () => {
          const t0 = performance.now();
          document.activeElement.blur();
          await untilDom(() => document.querySelector('.shot-card.selected .action')?.textContent === ${JSON.stringify(text)});
          return performance.now() - t0;
        })()`)) as number,
      );
    }
    const shotId = (await server.api.call<'project.get'>('project.get', {}))!.doc.scenes[0]!.shots[0]!.id;
    const applyMs = await medianMs(9, () =>
      server.api.call('project.apply', { commands: { type: 'shot.update', shotId, patch: { action: `api ${Math.random()}` } } }),
    );
    report({
      name: 'one edit on a 1,000-shot project, field commit → card updated',
      value: median(editTimes),
      unit: 'ms',
      baseline: { name: 'api project.apply alone', value: applyMs },
    });

    // A 500-clip timeline: scroll and drag.
    await server.api.call('project.close', {});
    await page.goto(server.url);
    await page.getByLabel('Project folder').fill(clips500);
    await page.getByRole('button', { name: 'Open project' }).click();
    await page.getByRole('button', { name: 'Shot 1/1 Wide: the kitchen', exact: true }).waitFor({ timeout: 120_000 });
    await page.keyboard.press('Alt+3');
    await page.getByRole('application', { name: /Timeline tracks/ }).waitFor();
    await page.waitForTimeout(500);
    for (let i = 0; i < 8; i++) await page.keyboard.press('=');
    const canvas = (await page.getByRole('application', { name: /Timeline tracks/ }).boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + 60);
    const scrollFps = await fpsWhile(page, SECONDS, async (until) => {
      while (Date.now() < until) await page.mouse.wheel(0, 40);
    });
    report({
      name: 'scroll a 500-clip timeline',
      value: scrollFps,
      unit: 'fps',
      baseline: { name: 'empty page rAF rate', value: emptyFps },
    });

    const box = (await page.evaluate(`window.__klappeTimeline.clipBox('clip-0')`)) as {
      x: number;
      y: number;
      width: number;
      height: number;
    } | null;
    const target = box ?? { x: canvas.x + 20, y: canvas.y + 30, width: 20, height: 40 };
    await page.mouse.move(target.x + 5, target.y + target.height / 2);
    await page.mouse.down();
    const dragFps = await fpsWhile(page, SECONDS, async (until) => {
      let i = 0;
      while (Date.now() < until) {
        i++;
        await page.mouse.move(target.x + 5 + (i % 200), target.y + target.height / 2);
      }
    });
    await page.mouse.up();
    report({
      name: 'drag a clip on a 500-clip timeline',
      value: dragFps,
      unit: 'fps',
      baseline: { name: 'empty page rAF rate', value: emptyFps },
    });
  } finally {
    await browser.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}
