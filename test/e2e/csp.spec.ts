/**
 * Styles without 'unsafe-inline' (issue 19): the studio's CSP allows styles from
 * its own files and from <style> elements carrying the page load's nonce (the
 * host writes it in <meta name="csp-nonce">; wavesurfer's shadow-root style
 * takes it through `cspNonce`). Every `securitypolicyviolation` event (in the
 * document and in shadow roots) and every CSP console message is collected while
 * the timeline, the audio editor (wavesurfer with its regions, timeline and zoom
 * plugins) and the dialogs are used: there must be none.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runFfmpeg } from '../../engine/media/run.js';
import { clipBox, docOf, hostInfo, newProject, screenshot } from './support.js';

test('the timeline, the audio editor and the dialogs run under a CSP without unsafe-inline: zero violations', async ({ page }) => {
  const violations: string[] = [];
  await page.exposeFunction('__klappeCspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    const g = globalThis as any;
    // composed: a violation in a shadow root (wavesurfer's) reaches the document too; capture sees it first
    g.document.addEventListener(
      'securitypolicyviolation',
      (e: any) => g.__klappeCspViolation(`${e.violatedDirective} ${e.blockedURI || 'inline'} ${e.sourceFile ?? ''}:${e.lineNumber ?? ''}`),
      true,
    );
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });

  // the page's policy: a nonce, no unsafe-inline; a fresh nonce per load
  const { url } = hostInfo();
  const first = await page.request.get(url);
  const csp = first.headers()['content-security-policy']!;
  expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  expect(await first.text()).toContain(`<meta name="csp-nonce" content="${nonce}">`);
  const second = (await page.request.get(url)).headers()['content-security-policy']!;
  expect(/'nonce-([^']+)'/.exec(second)![1]).not.toBe(nonce);

  // a recording to drop: 2 s of tone (48 kHz mono WAV)
  const work = mkdtempSync(join(tmpdir(), 'klappe-e2e-csp-'));
  const wav = join(work, 'tone.wav');
  await runFfmpeg([
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=330:sample_rate=48000:duration=2',
    '-ac',
    '1',
    '-c:a',
    'pcm_s16le',
    wav,
  ]);

  await newProject(page, 'CSP E2E', 'two-scenes');
  // storyboard, blocking and the timeline
  await page.keyboard.press('Alt+2');
  await page.waitForTimeout(500);
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('application', { name: /Timeline tracks/ })).toBeVisible();
  await page.keyboard.press('=');
  await page.keyboard.press('-');
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Audio' }).click();

  // the audio editor: drop the recording, open its clip, select a range, lower it
  await page.getByLabel('Import onto track').selectOption('d1');
  const dataTransfer = await page.evaluateHandle(
    ({ b64 }) => {
      const dt = new (globalThis as any).DataTransfer();
      const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      dt.items.add(new (globalThis as any).File([raw], 'tone.wav', { type: 'audio/wav' }));
      return dt;
    },
    { b64: readFileSync(wav).toString('base64') },
  );
  await page.getByTestId('audio-drop').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('audio-drop-message')).toContainText('imported');
  const doc = await docOf(page, url);
  const clipId = doc.sequence.tracks.find((t: any) => t.id === 'd1').clips.at(-1).id as string;
  await expect.poll(() => page.evaluate((id) => !!(globalThis as any).__klappeTimeline?.clipBox(id), clipId)).toBe(true);
  const box = await clipBox(page, clipId);
  await page.mouse.click(box.x + 4, box.y + box.height / 2);
  const editor = page.getByTestId('audio-editor');
  await expect(editor.getByTestId('status')).toContainText('opened in', { timeout: 60_000 });
  // wavesurfer's shadow-root <style> carries the nonce and applies (its cursor's rounded corners come only from there)
  const shadowStyle = await page.evaluate(() => {
    const host = (globalThis as any).document.querySelector('[data-testid="audio-editor"] [data-testid="waveform"]');
    const shadow = [...host.querySelectorAll('*')].find((e: any) => e.shadowRoot)?.shadowRoot;
    const style = shadow?.querySelector('style');
    const cursor = shadow?.querySelector('.cursor');
    return { nonced: !!style?.nonce, radius: cursor ? (globalThis as any).getComputedStyle(cursor).borderTopLeftRadius : null };
  });
  expect(shadowStyle).toEqual({ nonced: true, radius: '2px' });
  const wb = (await editor.getByTestId('waveform').boundingBox())!;
  const y = wb.y + wb.height / 2;
  await page.mouse.move(wb.x + wb.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(wb.x + wb.width * 0.45, y, { steps: 6 });
  await page.mouse.move(wb.x + wb.width * 0.6, y, { steps: 6 });
  await page.mouse.up();
  await editor.getByTestId('gain-db').fill('-6');
  await editor.locator('button[data-action="gain"]').click();
  await expect(editor.locator('[data-edit-op="gain"]')).toHaveCount(1);
  await screenshot(page, 'csp-audio-editor');

  // the dialogs: export, settings, the command palette, the shortcut sheet
  for (const [keys, name] of [
    ['Control+e', /Export/],
    ['Control+Comma', /Settings/],
    ['Control+k', /Command/],
    ['F1', /shortcuts/i],
  ] as const) {
    await page.keyboard.press(keys);
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(name);
    await screenshot(page, `csp-dialog-${String(name).replace(/\W/g, '')}`);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  }
  // back to the storyboard, then reload (a new nonce for the new load)
  await page.keyboard.press('Alt+1');
  await page.reload();
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached', timeout: 30_000 });
  await page.waitForTimeout(500);
  expect(violations).toEqual([]);
});
