/**
 * Issue 7's done criteria, in Chromium against `klappe serve`: the keyboard
 * works everywhere the shortcuts say, and every control has an accessible name.
 *
 * - Every action of the action list that has a shortcut is pressed (each
 *   alternative of "A or B") and its effect checked: the document through the
 *   api, the timecode, dialogs and screens, clip widths for zoom, the marks.
 *   An action with a shortcut and no check here fails the test.
 * - Single-key shortcuts stay out of text fields, selects, sliders, buttons
 *   where the key has its own meaning, modal dialogs and screens they do not
 *   act on.
 * - Every visible control on every screen, panel and dialog has a name.
 * - Tab walks every region without a trap; dialogs take focus, close with
 *   Escape and give focus back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ACTIONS } from '../../engine/common/action-list.js';
import {
  apiCall,
  clipBox,
  describeUnnamed,
  docOf,
  focusedControl,
  hostInfo,
  newProject,
  openHome,
  screenshot,
  tabWalk,
  unnamedControls,
} from './support.js';

const FPS = 24;

/** "Mod+Shift+Z" → Playwright's "Control+Shift+Z"; a lone letter is pressed as its lower case, the way a person types it. */
function pwKey(shortcut: string): string {
  const parts = shortcut.split('+');
  const key = parts.pop()!;
  const mods = parts.map((m) => (m === 'Mod' ? 'Control' : m));
  const k = /^[A-Z]$/.test(key) && !mods.includes('Shift') ? key.toLowerCase() : key;
  return [...mods, k].join('+');
}

const shotsOf = (doc: any): any[] => doc.scenes.flatMap((s: any) => s.shots);
const videoClips = (doc: any): any[] => doc.sequence.tracks.find((t: any) => t.kind === 'video').clips;
const frameOf = (tc: string) => {
  const [h, m, s, f] = tc.split(/[:;]/).map(Number);
  return ((h! * 60 + m!) * 60 + s!) * FPS + f!;
};
const tcOf = (frame: number) => {
  const f = frame % FPS;
  const s = Math.floor(frame / FPS);
  return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60, f].map((n) => String(n).padStart(2, '0')).join(':');
};

/** The studio's current state as the keyboard checks read it. */
function studioOf(page: Page) {
  const { url } = hostInfo();
  const timecode = page.getByLabel('Timecode', { exact: true });
  const timeline = page.getByRole('application', { name: /Timeline tracks/ });
  return {
    url,
    timecode,
    timeline,
    doc: () => docOf(page, url),
    frame: async () => frameOf((await timecode.textContent())!),
    /** Nothing focused: keys go to the page. */
    blur: () => page.evaluate(() => (globalThis as any).document.activeElement?.blur?.()),
    screen: async (name: 'Storyboard' | 'Blocking' | 'Edit') => {
      const tab = page.getByRole('tab', { name });
      if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
      await expect(tab).toHaveAttribute('aria-selected', 'true');
      if (name === 'Edit')
        await expect
          .poll(() =>
            page.evaluate(
              () =>
                !!(globalThis as any).__klappeTimeline?.clipBox('c1') ||
                !!(globalThis as any).document.querySelector('.timeline-canvas canvas'),
            ),
          )
          .toBe(true);
    },
    /** Selects a clip the keyboard way (the timeline's clip list), then gives the timeline the focus. */
    selectClip: async (id: string) => {
      const b = page.getByRole('list', { name: 'Clips' }).getByRole('button', { name: new RegExp(`^Select clip ${id} on`) });
      await b.focus();
      await page.keyboard.press('Enter');
      await timeline.focus();
    },
    /** Playhead to `frame` with Home and →, focus on the timeline. */
    seek: async (frame: number) => {
      await timeline.focus();
      await page.keyboard.press('Home');
      for (let i = 0; i < frame; i++) await page.keyboard.press('ArrowRight');
      await expect(timecode).toHaveText(tcOf(frame));
    },
    selectShot: async (label: string) => {
      await page.getByRole('button', { name: new RegExp(`^Shot ${label.replace('/', '\\/')}( |$)`) }).click();
      await expect(page.getByRole('complementary', { name: 'Shot inspector' }).getByRole('heading')).toBeVisible();
    },
    playButton: page.getByRole('toolbar', { name: 'Transport' }).getByRole('button', { name: /^(Play|Pause)$/ }),
  };
}

type Studio = ReturnType<typeof studioOf>;
type Check = (page: Page, s: Studio, key: string, alt: number) => Promise<void>;

/** One check per action with a shortcut: press `key` and see the effect. */
const CHECKS: Record<string, Check> = {
  'project.save': async (page, s, key) => {
    await s.screen('Storyboard');
    await page.getByRole('button', { name: 'Add shot to scene 2' }).click();
    await expect(page.getByLabel('unsaved changes')).toBeVisible();
    const shots = shotsOf(await s.doc()).length;
    await s.blur();
    await page.keyboard.press(key);
    await expect(page.getByRole('status')).toContainText('Saved');
    await expect(page.getByLabel('unsaved changes')).toHaveCount(0);
    const dir = (await page.locator('.project-name').getAttribute('title'))!;
    const file = JSON.parse(readFileSync(join(dir, 'project.klappe'), 'utf8'));
    expect(shotsOf(file)).toHaveLength(shots);
  },
  'export.open': async (page, s, key) => {
    await s.blur();
    await page.keyboard.press(key);
    await expect(page.getByRole('dialog', { name: 'Export' })).toBeVisible();
    await screenshot(page, 'keys-export');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  },
  'settings.open': async (page, s, key) => {
    await s.blur();
    await page.keyboard.press(key);
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  },
  'palette.open': async (page, s, key) => {
    await s.blur();
    await page.keyboard.press(key);
    await expect(page.getByRole('listbox', { name: 'Commands' })).toBeVisible();
    await expect(page.getByLabel('Search commands')).toBeFocused();
    await page.getByLabel('Search commands').fill('xyzzy');
    await expect(page.getByRole('dialog', { name: 'Command palette' }).getByRole('status')).toContainText('No results');
    await page.getByLabel('Search commands').fill('help');
    await expect(page.getByRole('option', { name: /Keyboard shortcuts/ })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  },
  'help.shortcuts': async (page, s, key) => {
    await s.blur();
    await page.keyboard.press(key);
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(sheet).toBeVisible();
    await expect(sheet.getByText('Split clip at playhead')).toBeVisible();
    await screenshot(page, 'keys-shortcut-sheet');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  },
  'edit.undo': async (page, s, key) => {
    await s.screen('Storyboard');
    const n = shotsOf(await s.doc()).length;
    await page.getByRole('button', { name: 'Add shot to scene 1' }).click();
    await expect.poll(async () => shotsOf(await s.doc()).length).toBe(n + 1);
    await s.blur();
    await page.keyboard.press(key);
    await expect.poll(async () => shotsOf(await s.doc()).length).toBe(n);
  },
  'edit.redo': async (page, s, key) => {
    await s.screen('Storyboard');
    const n = shotsOf(await s.doc()).length;
    await page.getByRole('button', { name: 'Add shot to scene 1' }).click();
    await expect.poll(async () => shotsOf(await s.doc()).length).toBe(n + 1);
    await s.blur();
    await page.getByRole('button', { name: /^Undo/ }).click();
    await expect.poll(async () => shotsOf(await s.doc()).length).toBe(n);
    await s.blur();
    await page.keyboard.press(key);
    await expect.poll(async () => shotsOf(await s.doc()).length).toBe(n + 1);
  },
  'clip.split': async (page, s, key) => {
    await s.screen('Edit');
    const before = videoClips(await s.doc());
    const c1 = before.find((c) => c.id === 'c1');
    await s.selectClip('c1');
    await s.seek(10);
    await page.keyboard.press(key);
    await expect.poll(async () => videoClips(await s.doc()).length).toBe(before.length + 1);
    const after = videoClips(await s.doc());
    expect(after.find((c) => c.id === 'c1').duration).toBe(10);
    expect(after.find((c) => c.recordStart === 10).duration).toBe(c1.duration - 10);
  },
  'clip.delete': async (page, s, key) => {
    await s.screen('Edit');
    const before = videoClips(await s.doc());
    await s.selectClip('c2');
    await page.keyboard.press(key);
    await expect.poll(async () => videoClips(await s.doc()).map((c) => c.id)).not.toContain('c2');
    const after = videoClips(await s.doc());
    expect(after).toHaveLength(before.length - 1);
    // Not a ripple: the clip after it stays where it was.
    expect(after.find((c) => c.id === 'c3').recordStart).toBe(before.find((c) => c.id === 'c3').recordStart);
  },
  'clip.dissolve': async (page, s, key) => {
    await s.screen('Edit');
    const clips = [...videoClips(await s.doc())].sort((a, b) => a.recordStart - b.recordStart);
    const from = clips.find((c, j) => j + 1 < clips.length && clips[j + 1].recordStart === c.recordStart + c.duration);
    await s.selectClip(from.id);
    await page.keyboard.press(key);
    // half a second each side of the cut (at most the clips' lengths)
    const next = clips[clips.indexOf(from) + 1];
    await expect
      .poll(async () => videoClips(await s.doc()).find((c) => c.id === from.id).transitionOut)
      .toEqual({ kind: 'dissolve', before: Math.min(12, from.duration), after: Math.min(12, next.duration) });
    await screenshot(page, 'timeline-dissolve');
    await page.keyboard.press(key);
    await expect.poll(async () => videoClips(await s.doc()).find((c) => c.id === from.id).transitionOut).toBeUndefined();
  },
  'marker.add': async (page, s, key) => {
    await s.screen('Edit');
    await s.seek(5);
    await page.keyboard.press(key);
    await expect.poll(async () => (await s.doc()).sequence.markers.map((m: any) => [m.frame, m.name])).toEqual([[5, 'Marker 1']]);
    await expect(
      page.getByRole('list', { name: 'Markers' }).getByRole('button', { name: 'Go to marker Marker 1 at frame 5' }),
    ).toBeAttached();
  },
  'clip.rippleDelete': async (page, s, key) => {
    await s.screen('Edit');
    const before = [...videoClips(await s.doc())].sort((a, b) => a.recordStart - b.recordStart);
    const i = before.findIndex((c, j) => j + 1 < before.length && before[j + 1].recordStart === c.recordStart + c.duration);
    const gone = before[i];
    const next = before[i + 1];
    await s.selectClip(gone.id);
    await page.keyboard.press(key);
    await expect.poll(async () => videoClips(await s.doc()).map((c) => c.id)).not.toContain(gone.id);
    expect(videoClips(await s.doc()).find((c) => c.id === next.id).recordStart).toBe(next.recordStart - gone.duration);
  },
  'shot.add': async (page, s, key) => {
    await s.screen('Storyboard');
    const cards = await page.locator('.shot-card').count();
    const n = shotsOf(await s.doc()).length;
    await s.blur();
    await page.keyboard.press(key);
    await expect(page.locator('.shot-card')).toHaveCount(cards + 1);
    expect(shotsOf(await s.doc())).toHaveLength(n + 1);
  },
  'shot.duplicate': async (page, s, key) => {
    await s.screen('Storyboard');
    await s.selectShot('1/1');
    const n = shotsOf(await s.doc()).length;
    await page.keyboard.press(key);
    await expect.poll(async () => shotsOf(await s.doc()).length).toBe(n + 1);
    const scene1 = (await s.doc()).scenes[0].shots;
    expect(scene1[1].action).toBe(scene1[0].action);
  },
  'view.storyboard': async (page, s, key) => {
    await s.screen('Edit');
    await page.keyboard.press(key);
    await expect(page.getByRole('main', { name: 'Storyboard' })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Storyboard' })).toHaveAttribute('aria-selected', 'true');
  },
  'view.blocking': async (page, s, key) => {
    await s.screen('Storyboard');
    await page.keyboard.press(key);
    await expect(page.getByRole('application', { name: /Top-down map of scene/ })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Blocking' })).toHaveAttribute('aria-selected', 'true');
  },
  'view.edit': async (page, s, key) => {
    await s.screen('Storyboard');
    await page.keyboard.press(key);
    await expect(s.timeline).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Edit' })).toHaveAttribute('aria-selected', 'true');
  },
  'view.cameos': async (page, s, key) => {
    await s.screen('Storyboard');
    await page.keyboard.press(key);
    await expect(page.getByRole('main', { name: 'Cameos' })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Cameos' })).toHaveAttribute('aria-selected', 'true');
  },
  'view.queue': async (page, s, key) => {
    const queue = page.getByRole('complementary', { name: 'Generation queue' });
    const open = await queue.isVisible();
    await s.blur();
    await page.keyboard.press(key);
    await expect(queue).toBeVisible({ visible: !open });
    await page.keyboard.press(key);
    await expect(queue).toBeVisible({ visible: open });
  },
  'timeline.zoomIn': async (page, s, key) => {
    await s.screen('Edit');
    await s.timeline.focus();
    const id = videoClips(await s.doc())[0].id;
    const w = (await clipBox(page, id)).width;
    await page.keyboard.press(key);
    await expect.poll(async () => (await clipBox(page, id)).width / w).toBeCloseTo(1.5, 1);
  },
  'timeline.zoomOut': async (page, s, key) => {
    await s.screen('Edit');
    await s.timeline.focus();
    const id = videoClips(await s.doc())[0].id;
    const w = (await clipBox(page, id)).width;
    await page.keyboard.press(key);
    await expect.poll(async () => w / (await clipBox(page, id)).width).toBeCloseTo(1.5, 1);
  },
  'play.toggle': async (page, s, key) => {
    await s.screen('Edit');
    await s.seek(0);
    await page.keyboard.press(key);
    await expect(s.playButton).toHaveAccessibleName('Pause');
    await expect.poll(() => s.frame()).toBeGreaterThan(5);
    await page.keyboard.press(key);
    await expect(s.playButton).toHaveAccessibleName('Play');
    const at = await s.frame();
    await page.waitForTimeout(300);
    expect(await s.frame()).toBe(at);
  },
  'play.reverse': async (page, s, key) => {
    await s.screen('Edit');
    await s.seek(60);
    await page.keyboard.press(key);
    await expect(page.getByRole('toolbar', { name: 'Transport' })).toContainText('◀ 1×');
    await expect.poll(() => s.frame()).toBeLessThan(55);
    await page.keyboard.press(key);
    await expect(page.getByRole('toolbar', { name: 'Transport' })).toContainText('◀ 2×');
    await s.playButton.click(); // pause
    await expect(s.playButton).toHaveAccessibleName('Play');
  },
  'play.stop': async (page, s, key) => {
    await s.screen('Edit');
    await s.seek(0);
    await s.playButton.click();
    await expect.poll(() => s.frame()).toBeGreaterThan(2);
    await s.timeline.focus();
    await page.keyboard.press(key);
    await expect(s.playButton).toHaveAccessibleName('Play');
    const at = await s.frame();
    await page.waitForTimeout(300);
    expect(await s.frame()).toBe(at);
  },
  'play.forward': async (page, s, key) => {
    await s.screen('Edit');
    await s.seek(0);
    await page.keyboard.press(key);
    await expect(s.playButton).toHaveAccessibleName('Pause');
    await expect.poll(() => s.frame()).toBeGreaterThan(2);
    await page.keyboard.press(key);
    await expect(page.getByRole('toolbar', { name: 'Transport' })).toContainText('2×');
    await s.playButton.click();
    await expect(s.playButton).toHaveAccessibleName('Play');
  },
  'play.prevFrame': async (page, s, key) => {
    await s.screen('Edit');
    await s.seek(5);
    await page.keyboard.press(key);
    await expect(s.timecode).toHaveText(tcOf(4));
  },
  'play.nextFrame': async (page, s, key) => {
    await s.screen('Edit');
    await s.seek(0);
    await page.keyboard.press(key);
    await page.keyboard.press(key);
    await expect(s.timecode).toHaveText(tcOf(2));
  },
  'play.start': async (page, s, key) => {
    await s.screen('Edit');
    await s.seek(7);
    await page.keyboard.press(key);
    await expect(s.timecode).toHaveText(tcOf(0));
  },
  'play.markIn': async (page, s, key) => {
    await s.screen('Edit');
    await s.seek(12);
    await page.keyboard.press(key);
    await expect(page.getByLabel('Mark in', { exact: true }).and(page.locator('output'))).toHaveText(tcOf(12));
  },
  'play.markOut': async (page, s, key) => {
    await s.screen('Edit');
    await s.seek(30);
    await page.keyboard.press(key);
    await expect(page.getByLabel('Mark out', { exact: true }).and(page.locator('output'))).toHaveText(tcOf(30));
    await screenshot(page, 'keys-marks');
  },
  'play.markClip': async (page, s, key) => {
    await s.screen('Edit');
    // the selected clip: in at its first frame, out at the first frame after it
    const c2 = videoClips(await s.doc()).at(-1);
    await s.selectClip(c2.id);
    await page.keyboard.press(key);
    await expect(page.getByLabel('Mark in', { exact: true }).and(page.locator('output'))).toHaveText(tcOf(c2.recordStart));
    await expect(page.getByLabel('Mark out', { exact: true }).and(page.locator('output'))).toHaveText(tcOf(c2.recordStart + c2.duration));
  },
  'play.clearMarks': async (page, s, key) => {
    await s.screen('Edit');
    await s.timeline.focus();
    await page.keyboard.press(key);
    await expect(page.getByLabel('Mark in', { exact: true }).and(page.locator('output'))).toHaveText('—');
    await expect(page.getByLabel('Mark out', { exact: true }).and(page.locator('output'))).toHaveText('—');
  },
  'generate.all': async (page, s, key) => {
    await s.blur();
    const n = shotsOf(await s.doc()).length;
    const jobs = await page.locator('.job').count();
    await page.keyboard.press(key);
    await expect(page.locator('.job')).toHaveCount(jobs + n);
    await expect(page.locator('.job.done')).toHaveCount(jobs + n, { timeout: 150_000 });
    const doc = await s.doc();
    for (const shot of shotsOf(doc))
      expect(
        doc.takes.some((t: any) => t.shotId === shot.id),
        `a take of ${shot.id}`,
      ).toBe(true);
  },
  'generate.selected': async (page, s, key) => {
    await s.screen('Storyboard');
    await s.selectShot('2/1');
    const shotId = (await s.doc()).scenes[1].shots[0].id;
    const before = new Set(((await apiCall(page, s.url, 'generate.list')) as any[]).map((j) => j.id));
    const jobs = await page.locator('.job').count();
    await page.keyboard.press(key);
    await expect(page.locator('.job')).toHaveCount(jobs + 1);
    // One new job, for the selected shot only, and it finishes with a take of that shot.
    const added = async () => ((await apiCall(page, s.url, 'generate.list')) as any[]).filter((j) => !before.has(j.id));
    await expect.poll(async () => (await added()).map((j) => `${j.shotId} ${j.status}`), { timeout: 60_000 }).toEqual([`${shotId} done`]);
    const takeId = (await added())[0].takeId;
    expect((await s.doc()).takes.find((t: any) => t.id === takeId)?.shotId).toBe(shotId);
  },
};

test('every shortcut of the action list does what it says', async ({ page }) => {
  const withShortcut = ACTIONS.filter((a) => a.shortcut);
  // The list and the checks stay together: a new shortcut needs a check here.
  expect(
    withShortcut.filter((a) => !CHECKS[a.name]).map((a) => a.name),
    'actions with a shortcut and no check',
  ).toEqual([]);
  expect(
    Object.keys(CHECKS).filter((n) => !withShortcut.some((a) => a.name === n)),
    'checks of actions without a shortcut',
  ).toEqual([]);

  await newProject(page, `Keys ${Date.now()}`);
  const s = studioOf(page);
  const done: string[] = [];
  for (const a of withShortcut) {
    const alts = a.shortcut!.split(' or ');
    for (const [i, alt] of alts.entries()) {
      await test.step(`${a.name}: ${alt}`, async () => {
        await CHECKS[a.name]!(page, s, pwKey(alt), i);
        done.push(`${a.name}: ${alt}`);
      });
    }
  }
  expect(done).toEqual(withShortcut.flatMap((a) => a.shortcut!.split(' or ').map((alt) => `${a.name}: ${alt}`)));
});

test('single-key shortcuts stay out of text fields, controls with their own keys, dialogs and other screens', async ({ page }) => {
  await newProject(page, `Keys typing ${Date.now()}`);
  const s = studioOf(page);
  // An edit on the history, so that an undo in the wrong place shows.
  await page.getByRole('button', { name: 'Add shot to scene 2' }).click();
  await expect(page.locator('.shot-card')).toHaveCount(6);
  await s.selectShot('1/1');
  await s.screen('Edit');
  await s.selectClip('c1');
  await s.seek(10);
  const clipIds = async () =>
    videoClips(await s.doc())
      .map((c) => c.id)
      .join(',');
  const clipsBefore = await clipIds();
  const width = (await clipBox(page, 'c1')).width;
  const shots = shotsOf(await s.doc()).length;
  const shot1 = async () => {
    const x = (await s.doc()).scenes[0].shots[0];
    return { name: x.name, action: x.action, prompt: x.prompt };
  };
  const shot1Text = await shot1();
  expect(shot1Text.name).not.toBe('');
  const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
  /** Nothing happened to the timeline, the playhead, the zoom or the marks. */
  const unchanged = async () => {
    await expect(s.timecode).toHaveText(tcOf(10));
    await expect(s.playButton).toHaveAccessibleName('Play');
    expect(await clipIds()).toBe(clipsBefore);
    expect((await clipBox(page, 'c1')).width).toBeCloseTo(width, 1);
    await expect(page.getByLabel('Mark in', { exact: true }).and(page.locator('output'))).toHaveText('—');
    await expect(page.getByLabel('Mark out', { exact: true }).and(page.locator('output'))).toHaveText('—');
    expect(shotsOf(await s.doc())).toHaveLength(shots);
    // The shot's text survives edits of its other fields (characters, camera move).
    expect(await shot1()).toEqual(shot1Text);
  };

  // A text input: every shortcut key is just a character (or moves the caret).
  const name = inspector.getByLabel('Name', { exact: true });
  await name.focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Jess: skip, look; in-out = ok');
  for (const k of ['Backspace', 'Home', 'Delete', 'ArrowRight', 'ArrowLeft']) await page.keyboard.press(k);
  await expect(name).toHaveValue('ess: skip, look; in-out = o');
  await unchanged();
  // Ctrl+Z in a field undoes the typing, not the project's last edit.
  await page.keyboard.press('Control+z');
  await expect(name).not.toHaveValue('ess: skip, look; in-out = o');
  await page.keyboard.press('Escape');
  await unchanged();

  // A textarea, Space included.
  const action = inspector.getByLabel('Action', { exact: true });
  await action.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' J K L S I O = -');
  await page.keyboard.press('Backspace');
  await expect(action).toHaveValue(/ J K L S I O = $/);
  await page.keyboard.press('Escape');
  await unchanged();

  // A number field: arrows are the field's own.
  const duration = inspector.getByLabel('Duration (frames)');
  await duration.focus();
  for (const k of ['ArrowLeft', 'ArrowRight', 'Home', 'End', 's', 'j', 'Space']) await page.keyboard.press(k);
  await duration.evaluate((el: any) => el.blur());
  await unchanged();

  // A select: letters pick an option.
  const move = inspector.getByLabel('Move', { exact: true });
  await openCameraAdvanced(inspector);
  await move.focus();
  await page.keyboard.press('s');
  await page.keyboard.press('ArrowLeft');
  await unchanged();

  // A checkbox: Space ticks it, it does not play.
  const mia = inspector.getByRole('checkbox', { name: /Mia/ });
  const ticked = await mia.isChecked();
  await mia.focus();
  await page.keyboard.press('Space');
  await expect(mia).toBeChecked({ checked: !ticked });
  await unchanged();

  // A button: Space presses it (zoom in), it does not play.
  const zoomIn = page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Zoom in' });
  await zoomIn.focus();
  await page.keyboard.press('Space');
  await expect.poll(async () => (await clipBox(page, 'c1')).width / width).toBeCloseTo(1.5, 1);
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Zoom out' }).click();
  await unchanged();

  // A slider (the mixer's gain): arrows move the slider, not the playhead.
  const tools = page.getByRole('toolbar', { name: 'Timeline tools' });
  await tools.getByRole('button', { name: 'Mixer' }).click();
  const gain = page.getByRole('slider', { name: /gain/ }).first();
  const g0 = Number(await gain.inputValue());
  await gain.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => Number(await gain.inputValue())).toBe(g0 + 0.5);
  await page.keyboard.press('ArrowLeft');
  await tools.getByRole('button', { name: 'Mixer' }).click();
  await unchanged();

  // A modal dialog owns the keyboard: nothing reaches the studio behind it.
  await s.timeline.focus();
  await page.keyboard.press('Control+e');
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).focus();
  for (const k of ['s', 'Delete', 'Backspace', 'l', 'j', 'i', 'o', '=', 'Home', 'Alt+1', 'Control+Shift+n']) await page.keyboard.press(k);
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Edit' })).toHaveAttribute('aria-selected', 'true');
  await unchanged();

  // Another screen: the selected clip is not split or deleted from the storyboard.
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('main', { name: 'Storyboard' })).toBeVisible();
  await page.getByRole('button', { name: /^Shot 1\/2/ }).focus();
  for (const k of ['s', 'Delete', 'Shift+Delete', 'Backspace']) await page.keyboard.press(k);
  await s.blur();
  for (const k of ['s', 'Delete', 'Backspace', 'l', 'i', 'o', '=', 'Home']) await page.keyboard.press(k);
  await page.keyboard.press('Alt+3');
  await expect(s.timeline).toBeVisible();
  await unchanged();
  await screenshot(page, 'keys-typing');
});

test('every control on every screen, panel and dialog has an accessible name', async ({ page }) => {
  const failures: string[] = [];
  const audit = async (where: string) => {
    await page.waitForTimeout(150);
    await screenshot(page, `a11y-${where}`);
    const list = describeUnnamed(await unnamedControls(page));
    for (const line of list) failures.push(`${where}: ${line}`);
  };
  const { url } = hostInfo();
  await openHome(page, url);
  await audit('home');

  await newProject(page, `Labels ${Date.now()}`);
  const s = studioOf(page);
  await s.blur();
  await page.keyboard.press('Control+g');
  await expect(page.locator('.job.done')).toHaveCount(5, { timeout: 150_000 });
  await s.selectShot('1/1');
  const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
  await inspector.getByRole('button', { name: '+ Dialogue line' }).click();
  await expect(inspector.getByLabel('Line 1 text')).toBeVisible();
  await openCameraAdvanced(inspector);
  await inspector.getByLabel('Move', { exact: true }).selectOption('dolly');
  await expect(inspector.getByLabel(/Move amount/)).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Generation queue' })).toBeVisible();
  await audit('storyboard');

  await s.screen('Blocking');
  await audit('blocking');

  await s.screen('Edit');
  await s.selectClip('c1');
  await audit('edit');
  const tools = page.getByRole('toolbar', { name: 'Timeline tools' });
  const panels = await tools.locator('button[aria-pressed]').allTextContents();
  expect(panels.length).toBeGreaterThan(0);
  for (const panel of panels) {
    await tools.getByRole('button', { name: panel, exact: true }).click();
    const region = page.getByRole('region', { name: panel, exact: true });
    await expect(region).toBeVisible();
    if (panel === 'Audio') await expect(page.getByTestId('status')).toContainText('waveform', { timeout: 60_000 });
    await audit(`edit-${panel.toLowerCase()}`);
    await tools.getByRole('button', { name: panel, exact: true }).click();
  }

  // The queue with a job running next to the finished ones.
  await s.screen('Storyboard');
  await page
    .getByRole('button', { name: /^Generate shot 1$/ })
    .first()
    .click();
  await audit('storyboard-queue');

  for (const [key, name] of [
    ['Control+e', 'Export'],
    ['Control+,', 'Settings'],
    ['Control+k', 'Command palette'],
  ] as const) {
    await s.blur();
    await page.keyboard.press(key);
    await expect(page.getByRole('dialog', { name })).toBeVisible();
    await audit(`dialog-${name.toLowerCase().replace(/ /g, '-')}`);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  }
  expect(failures, `controls without a usable accessible name:\n${failures.join('\n')}`).toEqual([]);
});

test('Tab reaches every region without a trap; dialogs take focus, close with Escape and give it back', async ({ page }) => {
  await newProject(page, `Tabs ${Date.now()}`);
  const s = studioOf(page);
  await s.selectShot('1/2');

  const walk = async (where: string, areas: Array<string | RegExp>) => {
    await s.blur();
    const { stops, wrapped } = await tabWalk(page);
    expect(wrapped, `${where}: Tab came back to the start (no focus trap) within ${stops.length} stops`).toBe(true);
    expect(
      stops.filter((f) => !f.name).map((f) => f.html),
      `${where}: focus stops without a name`,
    ).toEqual([]);
    expect(
      stops.some((f) => f.inDialog),
      `${where}: a dialog took focus`,
    ).toBe(false);
    const seen = [...new Set(stops.map((f) => f.area))];
    for (const a of areas)
      expect(
        seen.some((x) => (typeof a === 'string' ? x === a : a.test(x))),
        `${where}: Tab reaches ${a} (reached: ${seen.join(', ')})`,
      ).toBe(true);
    return stops;
  };

  const board = await walk('storyboard', ['header', 'Storyboard', 'Shot inspector', 'Generation queue']);
  expect(board.some((f) => f.role === 'tab')).toBe(true);
  expect(board.some((f) => /^Add shot to scene/.test(f.name))).toBe(true);
  expect(board.some((f) => f.name === 'Action')).toBe(true);

  await s.screen('Blocking');
  const blocking = await walk('blocking', ['header', 'Blocking', 'Scene blocking', 'Shot inspector']);
  expect(blocking.some((f) => f.role === 'application' && /Top-down map/.test(f.name))).toBe(true);

  await s.screen('Edit');
  const edit = await walk('edit', ['header', 'Transport', 'Timeline tools', 'Edit', 'Shot inspector', 'Generation queue']);
  expect(edit.some((f) => f.role === 'application' && /Timeline tracks/.test(f.name))).toBe(true);
  expect(edit.some((f) => /^Select clip c1/.test(f.name))).toBe(true);

  // The screens' tabs move with the arrow keys too.
  await page.getByRole('tab', { name: 'Edit' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Blocking' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Blocking' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Edit' })).toHaveAttribute('aria-selected', 'true');
  await expect(s.timeline).toBeVisible();

  // Dialogs: focus goes in, Tab stays in, Escape closes, focus returns to what opened it.
  const dialogs: Array<{ name: string; open: () => Promise<unknown>; opener: () => ReturnType<Page['getByRole']> }> = [
    {
      name: 'Settings',
      opener: () => page.getByRole('button', { name: 'Settings' }),
      open: async () => {
        await page.getByRole('button', { name: 'Settings' }).focus();
        await page.keyboard.press('Enter');
      },
    },
    {
      name: 'Export',
      opener: () => s.timeline,
      open: async () => {
        await s.timeline.focus();
        await page.keyboard.press('Control+e');
      },
    },
    {
      name: 'Command palette',
      opener: () => page.getByRole('button', { name: 'Next frame' }),
      open: async () => {
        await page.getByRole('button', { name: 'Next frame' }).focus();
        await page.keyboard.press('Control+k');
      },
    },
  ];
  for (const d of dialogs) {
    await d.open();
    const dialog = page.getByRole('dialog', { name: d.name });
    await expect(dialog).toBeVisible();
    expect((await focusedControl(page))?.inDialog, `${d.name}: focus moves into the dialog`).toBe(true);
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const f = await focusedControl(page);
      if (f) expect(f.inDialog, `${d.name}: Tab stays in the dialog (${f.html})`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(d.opener(), `${d.name}: focus returns to its opener`).toBeFocused();
  }

  // A command run from the palette: the palette closes and focus goes back.
  await s.timeline.focus();
  await page.keyboard.press('Control+k');
  await page.getByLabel('Search commands').fill('Next frame');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(s.timecode).toHaveText(tcOf(1));
  await expect(s.timeline).toBeFocused();
  await screenshot(page, 'keys-tab');
});

/** The raw camera fields sit in the inspector's collapsed "Camera (advanced)" section: open it. */
async function openCameraAdvanced(inspector: Locator): Promise<void> {
  const details = inspector.locator('details.camera-advanced');
  if (!(await details.evaluate((el) => (el as unknown as { open: boolean }).open))) await details.locator('summary').click();
}
