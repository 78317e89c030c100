/**
 * The scene blocking map works from the keyboard: on the focused map [ and ]
 * pick a prop, a start mark or a camera, arrows move it on the ground (0.1 m,
 * Shift 1 m, Alt 1 cm), Q/E turn it, Escape lets go; each press is one
 * undoable command and the live readout says where the item is. The keys act
 * on the focused map only.
 */
import { expect, test } from '@playwright/test';
import { docOf, hostInfo, newProject, screenshot } from './support.js';

test('props, start marks and cameras are picked, moved, turned and undone from the keyboard', async ({ page }) => {
  const { url } = hostInfo();
  await newProject(page, `Blocking keys ${Date.now()}`);
  const kitchen = async () => (await docOf(page, url)).scenes[0];
  const prop = async (id: string) => (await kitchen()).props.find((p: any) => p.id === id);
  const mark = async (id: string) => (await kitchen()).marks.find((m: any) => m.characterId === id);
  const camera = async (id: string) => (await kitchen()).shots.find((s: any) => s.id === id).camera;

  await page.evaluate(() => (globalThis as any).document.activeElement?.blur?.());
  await page.keyboard.press('Alt+2');
  const map = page.getByRole('application', { name: 'Top-down map of scene 1' });
  await expect(map).toBeVisible();
  const readout = page.locator('.blocking-readout');
  const items = page.getByRole('region', { name: 'Items on the map' });
  await expect(readout).toHaveText(/^Nothing selected/);
  await expect(map).toHaveAccessibleDescription(/Nothing selected.*\[ and \] pick.*arrows move 0\.1 m/);

  // A prop: ] picks the first item, arrows move it 0.1 m, Shift 1 m, Alt 1 cm; up on the map is −z.
  await map.focus();
  await page.keyboard.press(']');
  await expect(readout).toHaveText('Prop table at x 0.00, z 0.00, facing 0°');
  await expect(items.getByRole('button', { name: 'Prop table' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await expect(readout).toHaveText('Prop table at x 0.20, z 0.10, facing 0°');
  expect((await prop('table')).position).toEqual([0.2, 0.375, 0.1]);
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(readout).toHaveText('Prop table at x −0.80, z 0.09, facing 0°');
  expect((await prop('table')).position).toEqual([-0.8, 0.375, 0.09]);
  expect(page.url()).toBe(url); // Alt+← did not go back a page

  // Quick presses each land on the last one's result: ten steps make a metre.
  await page.keyboard.press(']');
  await expect(readout).toHaveText(/^Prop red cup at x 0\.50, z 0\.10/);
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
  await expect(readout).toHaveText(/^Prop red cup at x −0\.50, z 0\.10/);
  expect((await prop('cup')).position).toEqual([-0.5, 0.81, 0.1]);

  // A character's start mark: moved and turned.
  await page.keyboard.press(']');
  await page.keyboard.press(']');
  await expect(readout).toHaveText("Mia's start mark at x 1.60, z 1.20, facing −60°");
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('e');
  await expect(readout).toHaveText("Mia's start mark at x 1.50, z 1.10, facing −55°");
  expect(await mark('mia')).toEqual({ characterId: 'mia', position: [1.5, 1.1], facingDeg: -55 });

  // A camera: [ goes back round the list; picking it selects its shot in the inspector.
  for (let i = 0; i < 4; i++) await page.keyboard.press('[');
  await expect(readout).toHaveText(/^Camera of shot 1\/3 at x −0\.45, z −0\.25, facing −/);
  await expect(page.getByRole('complementary', { name: 'Shot inspector' }).getByRole('heading', { name: 'Shot 3' })).toBeVisible();
  const cam0 = await camera('s3');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight');
  await expect(readout).toHaveText(/^Camera of shot 1\/3 at x −0\.35, z −0\.55/);
  expect((await camera('s3')).position).toEqual([-0.35, cam0.position[1], -0.55]);
  expect((await camera('s3')).target).toEqual(cam0.target);
  // Q turns its aim 5° anticlockwise about the camera: the target moves, the position stays.
  const heading = (c: any) => (Math.atan2(c.target[0] - c.position[0], -(c.target[2] - c.position[2])) * 180) / Math.PI;
  const h0 = heading(await camera('s3'));
  await page.keyboard.press('q');
  await expect.poll(async () => heading(await camera('s3')) - h0).toBeCloseTo(-5, 1);
  expect((await camera('s3')).position).toEqual([-0.35, cam0.position[1], -0.55]);

  // Ctrl+Z on the map undoes one press at a time: first the turn, then the last step.
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await camera('s3')).target).toEqual(cam0.target);
  expect((await camera('s3')).position).toEqual([-0.35, cam0.position[1], -0.55]);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await camera('s3')).position).toEqual([-0.45, cam0.position[1], -0.55]);
  await expect(readout).toHaveText(/^Camera of shot 1\/3 at x −0\.45, z −0\.55/);
  expect((await mark('mia')).position).toEqual([1.5, 1.1]);

  // The list beside the map picks an item too and gives the map the keyboard.
  await items.getByRole('button', { name: 'Camera of shot 1/1' }).focus();
  await page.keyboard.press('Enter');
  await expect(map).toBeFocused();
  await expect(readout).toHaveText('Camera of shot 1/1 at x 0.00, z 6.50, facing 0°');
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await camera('s1')).position[2]).toBe(6.4);
  await page.waitForTimeout(200);
  await screenshot(page, 'blocking-keyboard');

  // Escape lets go; arrows then move nothing.
  const before = JSON.stringify(await kitchen());
  await page.keyboard.press('Escape');
  await expect(readout).toHaveText(/^Nothing selected/);
  await expect(items.getByRole('button', { pressed: true })).toHaveCount(0);
  for (const k of ['ArrowLeft', 'ArrowDown', 'q', 'e']) await page.keyboard.press(k);

  // The keys act on the focused map only: not on the list, the page, or a text field.
  await page.keyboard.press(']');
  await expect(readout).toHaveText(/^Prop table/);
  await items.getByRole('button', { name: 'Prop chair' }).focus();
  for (const k of ['ArrowLeft', 'ArrowDown', 'q', 'e', ']']) await page.keyboard.press(k);
  await page.evaluate(() => (globalThis as any).document.activeElement?.blur?.());
  for (const k of ['ArrowLeft', 'ArrowDown', 'q', 'e', '[', 'Escape']) await page.keyboard.press(k);
  const name = page.getByRole('complementary', { name: 'Shot inspector' }).getByLabel('Name', { exact: true });
  await name.focus();
  await page.keyboard.press('End');
  await page.keyboard.type('[q]');
  await expect(name).toHaveValue(/\[q\]$/);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Escape');
  await expect(readout).toHaveText(/^Prop table at x −0\.80/);
  await page.waitForTimeout(300);
  expect(JSON.stringify(await kitchen())).toBe(before);
});
