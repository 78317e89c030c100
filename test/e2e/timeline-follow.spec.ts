/**
 * The timeline follows, in Chromium against `klappe serve`: a clip selected
 * from outside the canvas (the timeline's clip list, as the keyboard and
 * screen readers do) scrolls into view, and fast playback pages the view
 * along so that the playhead never leaves it.
 */
import { expect, test, type Page } from '@playwright/test';
import { clipBox, newProject, visibleTimelineBox, within } from './support.js';

interface View {
  ppf: number;
  scrollX: number;
  width: number;
}
const view = (page: Page): Promise<View> => page.evaluate(() => (globalThis as any).__klappeTimeline.view());
const playheadX = (page: Page) =>
  page.evaluate(() => {
    const t = (globalThis as any).__klappeTimeline;
    const v = t.view();
    return { x: t.playhead() * v.ppf - v.scrollX, width: v.width as number, scrollX: v.scrollX as number };
  });

test('the view scrolls to a clip selected from the clip list and pages along with the playhead', async ({ page }) => {
  await newProject(page, 'Follow E2E');
  await page.keyboard.press('Alt+3');
  const timeline = page.getByRole('application', { name: /Timeline tracks/ });
  await expect(timeline).toBeVisible();
  await expect.poll(() => page.evaluate(() => !!(globalThis as any).__klappeTimeline?.clipBox('c5'))).toBe(true);

  // zoomed in: the last shot is off to the right
  await timeline.focus();
  const fitted = (await view(page)).ppf;
  for (let i = 0; i < 3; i++) await page.keyboard.press('=');
  await expect.poll(async () => (await view(page)).ppf).toBeGreaterThan(fitted * 3);
  expect((await view(page)).scrollX).toBe(0);
  expect(await page.evaluate(() => (globalThis as any).__klappeTimeline.clipBox('c5'))).toBeNull();

  // selecting it from the clip list brings it into view, whole
  const select = async (id: string) => {
    const b = page.getByRole('list', { name: 'Clips' }).getByRole('button', { name: new RegExp(`^Select clip ${id} on`) });
    await b.focus();
    await page.keyboard.press('Enter');
  };
  await select('c5');
  await expect
    .poll(async () => {
      const box = await page.evaluate(() => (globalThis as any).__klappeTimeline.clipBox('c5'));
      return !!box && within(box, await visibleTimelineBox(page));
    })
    .toBe(true);
  const atC5 = (await view(page)).scrollX;
  expect(atC5).toBeGreaterThan(0);
  // selecting it again from the list once it is in view: the view stays
  await select('c1');
  await expect.poll(async () => (await view(page)).scrollX).toBe(0);
  await page.evaluate((x) => (globalThis as any).__klappeTimeline.scrollTo(x), atC5 + 20);
  expect(within(await clipBox(page, 'c5'), await visibleTimelineBox(page))).toBe(true);
  await select('c5');
  await page.waitForTimeout(200);
  expect((await view(page)).scrollX).toBe(atC5 + 20);
  // and back to the first
  await select('c1');
  await expect.poll(async () => (await view(page)).scrollX).toBe(0);
  expect(within(await clipBox(page, 'c1'), await visibleTimelineBox(page))).toBe(true);

  // fast playback from the start: the view pages along, the playhead stays in it
  await timeline.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 4; i++) await page.keyboard.press('l'); // 1×, 2×, 4×, 8×
  const seen: Array<{ x: number; width: number; scrollX: number }> = [];
  for (let i = 0; i < 20; i++) {
    seen.push(await playheadX(page));
    await page.waitForTimeout(100);
  }
  await page.keyboard.press('k');
  for (const s of seen) {
    expect(s.x).toBeGreaterThanOrEqual(0);
    expect(s.x).toBeLessThan(s.width);
  }
  expect(new Set(seen.map((s) => s.scrollX)).size).toBeGreaterThan(2); // it turned pages, more than once
});

test('the wheel scrolls time, Shift+wheel the tracks, Ctrl+wheel zooms the timeline and not the page', async ({ page }) => {
  await newProject(page, 'Wheel E2E');
  await page.keyboard.press('Alt+3');
  const timeline = page.getByRole('application', { name: /Timeline tracks/ });
  await expect(timeline).toBeVisible();
  await expect.poll(() => page.evaluate(() => !!(globalThis as any).__klappeTimeline?.clipBox('c5'))).toBe(true);
  // a panel open: the tracks no longer all fit, so they scroll up and down
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Mixer' }).click();
  const box = (await timeline.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 60);
  const scroller = page.locator('.timeline');
  const top = () => scroller.evaluate((el: any) => el.scrollTop as number);
  const before = await view(page);

  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  await expect.poll(async () => (await view(page)).ppf).toBeGreaterThan(before.ppf * 1.2);
  expect(await page.evaluate(() => (globalThis as any).visualViewport.scale)).toBe(1); // the page did not zoom

  const topBefore = await top();
  await page.mouse.wheel(0, 200);
  await expect.poll(async () => (await view(page)).scrollX).toBeGreaterThan(0);
  expect(await top()).toBe(topBefore); // time only, the tracks stay

  const scrollXBefore = (await view(page)).scrollX;
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, 200);
  await page.keyboard.up('Shift');
  await page.waitForTimeout(200);
  expect((await view(page)).scrollX).toBe(scrollXBefore); // tracks only
  expect(await scroller.evaluate((el: any) => el.scrollHeight > el.clientHeight)).toBe(true);
  expect(await top()).toBeGreaterThan(topBefore);
});
