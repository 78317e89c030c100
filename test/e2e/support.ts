/** Helpers for the end-to-end tests: where the host is, screenshots, the timeline's clip boxes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

export const SHOTS_DIR = 'test-results/screens';

export function hostInfo(): { url: string; port: number; token: string } {
  return JSON.parse(readFileSync(join(process.env.KLAPPE_E2E_HOME!, 'serve.json'), 'utf8'));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`) });
}

export async function clipBox(page: Page, clipId: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.evaluate((id) => (globalThis as any).__klappeTimeline.clipBox(id), clipId);
  if (!box) throw new Error(`clip ${clipId} is not on the timeline`);
  return box as { x: number; y: number; width: number; height: number };
}

export async function docOf(page: Page, url: string): Promise<any> {
  // Reads the project through the api itself, the way a second client would.
  return page.evaluate(async (u) => {
    const token = new URL(u).searchParams.get('token');
    const ws = new WebSocket(`ws://${(globalThis as any).location.host}/api?token=${token}`);
    await new Promise((r) => ws.addEventListener('open', r, { once: true }));
    const reply = await new Promise<any>((resolve) => {
      ws.addEventListener('message', (e) => { const m = JSON.parse(String(e.data)); if (m.id === 1) resolve(m); });
      ws.send(JSON.stringify({ id: 1, method: 'project.get', params: {} }));
    });
    ws.close();
    return reply.result?.doc;
  }, url);
}

/** Opens the studio at its home screen, whatever project an earlier test left open on the shared host. */
export async function openHome(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const home = page.getByRole('heading', { name: 'New project' });
  const brand = page.getByRole('button', { name: 'Home: projects' });
  await home.or(brand).first().waitFor({ state: 'visible', timeout: 30_000 });
  if (await brand.isVisible()) await brand.click();
  await home.waitFor({ state: 'visible', timeout: 20_000 });
}

/**
 * Heights (CSS px) of the audio editor's edited waveform (the layer drawn over
 * the faint original) at page x positions, read from wavesurfer's canvases;
 * null where no canvas is.
 */
export async function waveformHeights(page: Page, xs: number[]): Promise<Array<number | null>> {
  return page.evaluate((pageXs) => {
    const host = (globalThis as any).document.querySelector('[data-testid="audio-editor"] [data-testid="waveform"]');
    const shadow = host && [...host.querySelectorAll('*')].find((e: any) => e.shadowRoot)?.shadowRoot;
    const layers = shadow?.querySelectorAll('.canvases > div');
    const edited = layers?.[layers.length - 1];
    if (!edited) return pageXs.map(() => null);
    return pageXs.map((x) => {
      for (const c of edited.querySelectorAll('canvas')) {
        const r = c.getBoundingClientRect();
        if (x < r.left || x >= r.right) continue;
        const col = Math.floor(((x - r.left) * c.width) / r.width);
        const data: Uint8ClampedArray = c.getContext('2d').getImageData(col, 0, 1, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return (n * r.height) / c.height;
      }
      return null;
    });
  }, xs);
}
