/**
 * The audio editor in the studio, in Chromium against `klappe serve`: drop a
 * recording onto the dialogue track → select its clip → the waveform (peaks
 * from the engine) and VAD speech regions show → select a range and lower it
 * by 6 dB, delete a bit near the end, fade in another → the waveform draws the
 * audio as it will export (lower in the gain, silent past the source's end
 * after the delete) → export at −14 LUFS from the dialog → the file measures
 * the gain change, the meter shows the loudness, and the recording is
 * byte-identical.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runFfmpeg } from '../../engine/media/run.js';
import { sha256Hex } from '../../engine/util/hash.js';
import { fliteSpeak } from '../support/flite-speech.js';
import { clipBox, docOf, hostInfo, screenshot, newProject, SHOTS_DIR, waveformHeights } from './support.js';

async function meanVolume(file: string, start: number, end: number): Promise<number> {
  const { stderr } = await runFfmpeg(['-i', file, '-vn', '-af', `atrim=start=${start}:end=${end},volumedetect`, '-f', 'null', '-']);
  return Number(/mean_volume:\s*(-?[\d.]+) dB/.exec(stderr)![1]);
}

test('edit a region of a dropped recording in the audio editor; the export measures it', async ({ page }) => {
  // a recording: a spoken sentence, then 3 s of a steady tone (48 kHz mono WAV)
  const work = mkdtempSync(join(tmpdir(), 'klappe-e2e-audio-'));
  const speech = join(work, 'speech.wav');
  const spoken = await fliteSpeak('Is this your cup? I found it by the window.', speech);
  const wav = join(work, 'line and tone.wav');
  await runFfmpeg([
    '-v',
    'error',
    '-i',
    speech,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=3',
    '-filter_complex',
    '[0:a]aresample=48000[s];[1:a]volume=6dB[t];[s][t]concat=n=2:v=0:a=1[o]',
    '-map',
    '[o]',
    '-ac',
    '1',
    '-c:a',
    'pcm_s16le',
    wav,
  ]);
  const bytes = readFileSync(wav);
  const toneStart = spoken.durationSeconds;

  const { url } = hostInfo();
  await newProject(page, 'Audio E2E', 'empty');
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('application', { name: /Timeline tracks/ })).toBeVisible();
  await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Audio' }).click();

  // drop the file on the panel's drop zone (the dialogue track is picked)
  await page.getByLabel('Import onto track').selectOption('d1');
  const dataTransfer = await page.evaluateHandle(
    ({ b64, name }) => {
      const dt = new (globalThis as any).DataTransfer();
      const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      dt.items.add(new (globalThis as any).File([raw], name, { type: 'audio/wav' }));
      return dt;
    },
    { b64: bytes.toString('base64'), name: 'line and tone.wav' },
  );
  await page.getByTestId('audio-drop').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('audio-drop-message')).toContainText('imported');
  let doc = await docOf(page, url);
  const d1 = doc.sequence.tracks.find((t: any) => t.id === 'd1');
  expect(d1.clips).toHaveLength(1);
  const clipId = d1.clips[0].id as string;

  // a dropped unsupported file is refused
  const bad = await page.evaluateHandle(() => {
    const dt = new (globalThis as any).DataTransfer();
    dt.items.add(new (globalThis as any).File(['hello'], 'notes.txt', { type: 'text/plain' }));
    return dt;
  });
  await page.getByTestId('audio-drop').dispatchEvent('drop', { dataTransfer: bad });
  await expect(page.getByTestId('audio-drop-message')).toContainText('only .wav');

  // select the clip: the editor opens on it with the waveform and the speech region
  await expect.poll(() => page.evaluate((id) => !!(globalThis as any).__klappeTimeline?.clipBox(id), clipId)).toBe(true);
  const box = await clipBox(page, clipId);
  await page.mouse.click(box.x + 4, box.y + box.height / 2);
  const editor = page.getByTestId('audio-editor');
  await expect(editor.getByTestId('status')).toContainText('opened in', { timeout: 60_000 });
  await expect(editor.getByTestId('status')).toContainText('1 speech region');

  const seconds = bytes.length / 2 / 48000;
  const wave = editor.getByTestId('waveform');
  const wb = (await wave.boundingBox())!;
  const xAt = (s: number) => wb.x + (s / seconds) * wb.width;
  const y = wb.y + wb.height / 2;
  await page.mouse.move(xAt(toneStart + 1), y);
  await page.mouse.down();
  await page.mouse.move(xAt(toneStart + 1.5), y, { steps: 6 });
  await page.mouse.move(xAt(toneStart + 2.2), y, { steps: 6 });
  await page.mouse.up();
  // the waveform is drawn from the edited audio: lower by half inside the gain, as loud as before outside it
  const [toneBefore, gainBefore] = await waveformHeights(page, [xAt(toneStart + 0.8), xAt(toneStart + 1.6)]);
  expect(gainBefore! / toneBefore!).toBeGreaterThan(0.9);
  await editor.getByTestId('gain-db').fill('-6');
  await editor.locator('button[data-action="gain"]').click();
  await expect(editor.locator('[data-edit-op="gain"]')).toHaveCount(1);
  await expect
    .poll(async () => {
      const [tone, inGain] = await waveformHeights(page, [xAt(toneStart + 0.8), xAt(toneStart + 1.6)]);
      return inGain! / tone!;
    })
    .toBeLessThan(0.6);
  const [toneAfter, gainAfter] = await waveformHeights(page, [xAt(toneStart + 0.8), xAt(toneStart + 1.6)]);
  expect(Math.abs(toneAfter! - toneBefore!)).toBeLessThanOrEqual(1);
  expect(gainAfter! / toneAfter!).toBeGreaterThan(0.4);

  // delete 0.2 s after the measured stretch: later audio moves up, so the clip's last 0.2 s read past the source (silence)
  await page.mouse.move(xAt(toneStart + 2.6), y);
  await page.mouse.down();
  await page.mouse.move(xAt(toneStart + 2.7), y, { steps: 6 });
  await page.mouse.move(xAt(toneStart + 2.8), y, { steps: 6 });
  await page.mouse.up();
  const nearEnd = xAt(toneStart + 2.9);
  expect((await waveformHeights(page, [nearEnd]))[0]).toBeGreaterThan(toneAfter! * 0.8);
  await editor.locator('button[data-action="delete"]').click();
  await expect(editor.locator('[data-edit-op="delete"]')).toHaveCount(1);
  await expect.poll(async () => (await waveformHeights(page, [nearEnd]))[0]).toBeLessThan(5);
  await page.mouse.move(xAt(toneStart + 0.05), y);
  await page.mouse.down();
  await page.mouse.move(xAt(toneStart + 0.3), y, { steps: 6 });
  await page.mouse.move(xAt(toneStart + 0.6), y, { steps: 6 });
  await page.mouse.up();
  await editor.locator('button[data-action="fadeIn"]').click();
  await expect(editor.locator('[data-edit-op="fadeIn"]')).toHaveCount(1);
  await page.waitForTimeout(300);
  await screenshot(page, '20-audio-editor');
  // the editor on its own: the edited waveform over the faint original, the edits' regions, the delete's seam
  await editor.screenshot({ path: join(SHOTS_DIR, '20-audio-editor-waveform.png') });

  doc = await docOf(page, url);
  const edits = doc.sequence.tracks.find((t: any) => t.id === 'd1').clips[0].audioEdits;
  const gain = edits.find((e: any) => e.op === 'gain');
  expect(gain.gainDb).toBe(-6);

  // undo removes the fade, redo brings it back: edits are ordinary document commands
  await page.getByRole('button', { name: /^Undo/ }).click();
  await expect(editor.locator('[data-edit-op="fadeIn"]')).toHaveCount(0);
  await page.getByRole('button', { name: /^Redo/ }).click();
  await expect(editor.locator('[data-edit-op="fadeIn"]')).toHaveCount(1);

  // export at −14 LUFS from the dialog; the meter shows the measured loudness
  await page.keyboard.press('Control+e');
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByLabel('Loudness target').selectOption('streaming');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByLabel('Verification result')).toContainText('File checked: plays', { timeout: 120_000 });
  await expect(page.getByTestId('export-loudness')).toContainText('LUFS');
  const meter = (await page.getByTestId('export-loudness').textContent())!;
  expect(Math.abs(Number(meter.split(' ')[0]) + 14)).toBeLessThanOrEqual(1);
  await screenshot(page, '21-export-loudness');
  const output = (await page.locator('.verification .path').textContent())!;
  const g0 = gain.startSample / 48000;
  const g1 = gain.endSample / 48000;
  const inside = await meanVolume(output, g0 + 0.1, g1 - 0.1);
  const outside = await meanVolume(output, g1 + 0.1, Math.min(seconds, g1 + 0.5));
  expect(inside - outside).toBeGreaterThan(-6.7);
  expect(inside - outside).toBeLessThan(-5.3);
  const projectDir = doc.media[0].path.startsWith('/') ? '' : output.slice(0, output.indexOf('/exports/'));
  expect(sha256Hex(readFileSync(join(projectDir, doc.media[0].path)))).toBe(sha256Hex(bytes));
});
