/**
 * Help and polish (issue 13): the guided first film on Home (done, or
 * skipped, and then gone for good), help topics in the palette, "?"/F1, the
 * checks on storyboard cards with their fix, fields that refuse a duration of
 * 0 or a lens of −5 mm in words, the folder a repeated project name gets,
 * the open error in the studio's words, queue jobs named by their shot (and
 * those of a deleted shot cancelled and marked), and the audio editor's title
 * and labels in words.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { apiCall, docOf, hostInfo, newProject, openHome, screenshot } from './support.js';

const firstFilm = async (page: Page) => ((await apiCall(page, hostInfo().url, 'settings.get')) as { firstFilm: string }).firstFilm;
const setFirstFilm = (page: Page, state: string) => apiCall(page, hostInfo().url, 'settings.set', { patch: { firstFilm: state } });

test('the guided first film can be skipped, and does not come back', async ({ page }) => {
  const { url } = hostInfo();
  await openHome(page, url);
  await setFirstFilm(page, 'new');
  await page.reload();
  const card = page.getByRole('region', { name: 'Your first film in three steps' });
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: 'Skip the guide' }).click();
  await expect(card).toHaveCount(0);
  expect(await firstFilm(page)).toBe('skipped');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'New project' })).toBeVisible();
  await expect(card).toHaveCount(0);
});

test('the guided first film: cast, shots, generate; then it is done and gone', async ({ page }) => {
  const { url } = hostInfo();
  await openHome(page, url);
  await setFirstFilm(page, 'new');
  await page.reload();
  const card = page.getByRole('region', { name: 'Your first film in three steps' });
  await expect(card.getByRole('listitem')).toHaveText([/Cast/, /Shots/, /Generate/]);
  await screenshot(page, 'help-01-first-film-home');
  await card.getByRole('button', { name: 'Start my first film' }).click();

  const bar = page.getByRole('region', { name: 'Guided first film' });
  await expect(bar).toBeVisible();
  await expect(bar.locator('[aria-current="step"]')).toHaveText(/Cast/);
  // 1. cast
  await bar.getByRole('button', { name: 'Open the Cast panel' }).click();
  const cast = page.getByRole('region', { name: 'Cast' });
  await cast.getByLabel('New character name').fill('Leo');
  await cast.getByRole('button', { name: 'Add to cast' }).click();
  await expect(bar.locator('[aria-current="step"]')).toHaveText(/Shots/);
  await screenshot(page, 'help-02-first-film-bar');
  // 2. shots
  await bar.getByRole('button', { name: 'Go to the storyboard' }).click();
  const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
  await inspector.getByLabel('Size', { exact: true }).selectOption('close-up');
  await inspector.getByLabel('Subject', { exact: true }).selectOption('leo');
  await expect(bar.locator('[aria-current="step"]')).toHaveText(/Generate/);
  // 3. generate
  await bar.getByRole('button', { name: 'Generate all' }).click();
  await expect(bar).toContainText('Your first film is made', { timeout: 120_000 });
  await expect.poll(() => firstFilm(page)).toBe('done');
  await bar.getByRole('button', { name: 'Close the guide' }).click();
  await expect(bar).toHaveCount(0);
  await page.getByRole('button', { name: 'Home: projects' }).click();
  await expect(page.getByRole('heading', { name: 'New project' })).toBeVisible();
  await expect(card).toHaveCount(0);
});

test('the palette finds help topics and says "No results"; "?" and F1 open the shortcut sheet', async ({ page }) => {
  await openHome(page, hostInfo().url);
  await page.keyboard.press('Control+k');
  const search = page.getByLabel('Search commands');
  await search.fill('lens');
  const topic = page.getByRole('option', { name: /Help.*Shots: size, subject and lens/ });
  await expect(topic).toBeVisible();
  await search.fill('help');
  await expect(page.getByRole('option', { name: /Keyboard shortcuts/ })).toBeVisible();
  await expect(page.getByRole('option', { name: /^Help/ })).toHaveCount(8);
  await screenshot(page, 'help-03-palette-help-topics');
  await search.fill('warning');
  await search.press('Enter');
  const page1 = page.getByRole('dialog', { name: 'Help: Warnings before generating' });
  await expect(page1).toContainText('⚠ badge');
  await page1.getByRole('button', { name: 'Back to the palette' }).click();
  await page.getByLabel('Search commands').fill('xyzzy');
  await expect(page.getByRole('dialog', { name: 'Command palette' }).getByRole('status')).toContainText('No results for “xyzzy”');
  await page.keyboard.press('Escape');
  for (const key of ['F1', 'Shift+?']) {
    await page.keyboard.press(key);
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  }
});

test('a card shows its checks with a fix; duration 0 and lens −5 mm are refused in words', async ({ page }) => {
  const { url } = hostInfo();
  await newProject(page, 'Card Checks', 'empty');
  await page.locator('.shot-card').first().getByRole('button', { name: 'Shot 1/1', exact: true }).click();
  const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
  // an empty prompt is a note (ℹ), not a problem
  await expect(page.getByRole('button', { name: '1 note before generating shot 1/1' })).toHaveAttribute('title', /the prompt is empty/);
  await inspector.getByLabel('Prompt', { exact: true }).fill('Anna walks to the window');
  await inspector.getByLabel('Name', { exact: true }).click(); // commit on blur
  const badge = page.getByRole('button', { name: '1 problem before generating shot 1/1' });
  await expect(badge).toBeVisible();
  await expect(badge).toHaveAttribute('title', /names “Anna”, who is not in the cast/);
  await badge.click();
  const note = page.getByRole('note', { name: 'First problem of shot 1/1' });
  await expect(note).toContainText('the prompt names “Anna”');
  await screenshot(page, 'help-04-card-warning-fix');
  await note.getByRole('button', { name: 'Add Anna to the cast' }).click();
  await expect(badge).toHaveCount(0);
  expect((await docOf(page, url)).characters.map((c: any) => c.name)).toEqual(['Anna']);

  // duration 0: refused in words, the shot keeps its 72 frames
  const duration = inspector.getByLabel('Duration (frames)');
  await duration.fill('0');
  await duration.press('Enter');
  await expect(inspector.getByRole('alert')).toHaveText('Duration must be at least 1 frame; kept 72');
  await expect(duration).toHaveValue('72');
  await expect(duration).toHaveAttribute('aria-invalid', 'true');
  expect((await docOf(page, url)).scenes[0].shots[0].duration).toBe(72);
  // lens −5 mm: refused in words, the camera keeps 35 mm
  await inspector.locator('summary', { hasText: 'Camera (advanced)' }).click();
  const lens = inspector.getByLabel('Lens', { exact: true });
  await lens.fill('-5');
  await lens.press('Enter');
  await expect(inspector.getByRole('alert').filter({ hasText: 'Lens' })).toHaveText('Lens must be between 8 and 300 mm; kept 35');
  await expect(lens).toHaveValue('35');
  await screenshot(page, 'help-05-lens-refused');
  expect((await docOf(page, url)).scenes[0].shots[0].camera.lensMm).toBe(35);
  // a good value clears the message and is kept
  await duration.fill('48');
  await duration.press('Enter');
  await expect(inspector.getByRole('alert').filter({ hasText: 'Duration' })).toHaveCount(0);
  await expect.poll(async () => (await docOf(page, url)).scenes[0].shots[0].duration).toBe(48);
});

test('a repeated project name says its folder first; an open error speaks the studio’s words', async ({ page }) => {
  const { url } = hostInfo();
  await openHome(page, url);
  const name = page.getByRole('textbox', { name: 'Name', exact: true });
  const folder = page.getByRole('status', { name: 'Project folder' });
  await name.fill('The Last Train');
  await expect(folder).toContainText(/It will be made in .*[/\\]the-last-train$/);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('region', { name: /Scene 1/ })).toBeVisible();
  await page.getByRole('button', { name: 'Home: projects' }).click();
  await name.fill('The Last Train');
  await expect(folder).toContainText('A project already uses the folder the-last-train: this one will be made in the-last-train-2');
  await screenshot(page, 'help-06-repeated-name');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('region', { name: /Scene 1/ })).toBeVisible();
  expect((await apiCall(page, url, 'project.get')).dir).toMatch(/the-last-train-2$/);

  // a folder without a project: plain words and the studio's own way out, no command line
  await page.getByRole('button', { name: 'Home: projects' }).click();
  const empty = join(process.env.KLAPPE_E2E_HOME!, 'projects', 'no-project-here');
  mkdirSync(empty, { recursive: true });
  await page.getByLabel('Project folder').fill(empty);
  await page.getByRole('button', { name: 'Open project' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'There is no Klappe project in' });
  await expect(alert).toContainText(`There is no Klappe project in ${empty}`);
  await expect(page.locator('body')).not.toContainText('klappe new');
  await screenshot(page, 'help-07-open-error');
  await alert.getByRole('button', { name: 'Create a project here' }).click();
  await expect(page.getByRole('region', { name: /Scene 1/ })).toBeVisible();
  expect((await apiCall(page, url, 'project.get')).dir).toBe(empty);
});

test('queue jobs carry their shot’s number and name; a deleted shot’s waiting job is cancelled and marked; the audio editor speaks words', async ({
  page,
}) => {
  const { url } = hostInfo();
  await newProject(page, 'Queue Words', 'empty');
  const before = (await apiCall(page, url, 'settings.get', {})) as { defaultBackend?: string };
  // the previz makes one take at a time: the later jobs wait in the queue
  await apiCall(page, url, 'settings.set', { patch: { defaultBackend: 'previz' } });
  try {
    const inspector = page.getByRole('complementary', { name: 'Shot inspector' });
    for (const [i, shotName] of ['Arrival', 'Close-up of the cup', 'Exit'].entries()) {
      if (i === 0) await page.locator('.shot-card').first().getByRole('button', { name: 'Shot 1/1', exact: true }).click();
      else await page.getByRole('button', { name: 'Add shot to scene 1' }).click();
      await expect(inspector.getByRole('heading', { level: 2 })).toHaveText(`Shot ${i + 1}`);
      await inspector.getByLabel('Name', { exact: true }).fill(shotName);
      await inspector.getByLabel('Name', { exact: true }).press('Enter');
      await expect(page.getByRole('button', { name: `Shot 1/${i + 1} ${shotName}` })).toBeVisible();
      await inspector.getByLabel('Duration (frames)').fill('24');
      await inspector.getByLabel('Duration (frames)').press('Enter');
    }
    await page.getByRole('toolbar', { name: 'Project' }).getByRole('button', { name: '⚡ Generate all' }).click();
    const queue = page.getByRole('complementary', { name: 'Generation queue' });
    await expect(queue.getByRole('listitem', { name: /^Shot 1\/3 · Exit: queued/ })).toBeVisible();
    await expect(queue.getByText('Shot 1/2 · Close-up of the cup', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Delete shot 3' }).click();
    await expect(queue.getByRole('listitem', { name: 'Shot 1/3 · Exit: shot deleted, cancelled' })).toBeVisible();
    await expect(queue.getByRole('listitem', { name: /^Shot 1\/1 · Arrival: done/ })).toBeVisible({ timeout: 120_000 });
    await expect(queue.getByRole('listitem', { name: /^Shot 1\/2 · Close-up of the cup: done/ })).toBeVisible({ timeout: 120_000 });
    await screenshot(page, 'help-08-queue-titles');
    // no Retry for a job whose shot is gone
    await expect(queue.getByRole('button', { name: /Retry shot 1\/3/ })).toHaveCount(0);

    // the audio editor: the clip's shot and take as its title, its edits in words
    const doc = await docOf(page, url);
    const clip = doc.sequence.tracks[0].clips.find((c: any) => c.source.shotId === doc.scenes[0].shots[1].id);
    await apiCall(page, url, 'project.apply', {
      commands: { type: 'audio.edit.add', clipId: clip.id, edit: { op: 'fadeIn', startSample: 0, endSample: 12000 } },
    });
    await page.keyboard.press('Alt+3');
    const pickClip = page.getByRole('list', { name: 'Clips' }).getByRole('button', { name: `Select clip ${clip.id} on Video 1` });
    await pickClip.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Audio' }).click();
    const editor = page.getByTestId('audio-editor');
    await expect(editor.getByTestId('audio-clip-title')).toHaveText('Shot 1/2 · Close-up of the cup · take 1');
    await expect(editor.locator('[data-edit-op="fadeIn"]')).toContainText('Fade in');
    await expect(editor.locator('[data-edit-op="fadeIn"]')).not.toContainText('fadeIn');
    await expect(editor.getByRole('button', { name: 'Remove fade in' })).toBeVisible();
    await screenshot(page, 'help-09-audio-editor-title');
  } finally {
    await apiCall(page, url, 'settings.set', { patch: { defaultBackend: before.defaultBackend ?? '' } });
  }
});
