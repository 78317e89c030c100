import { expect, test } from '@playwright/test';

interface Edit {
  op: string;
  startSample: number;
  endSample: number;
  gainDb?: number;
}

test('select a region in the waveform, apply gain −6 dB and a fade in; export measures the change', async ({ page, request }) => {
  const state = await (await request.get('/api/state')).json();
  const toneStart: number = state.toneStartSeconds;
  const seconds = state.clip.samples / 48000;
  await page.goto('/');
  const wave = page.getByTestId('waveform');
  await expect(page.getByTestId('status')).toContainText('opened in', { timeout: 60_000 });
  await expect(page.getByTestId('status')).toContainText('speech region');
  const box = (await wave.boundingBox())!;
  const xAt = (s: number) => box.x + (s / seconds) * box.width;
  const y = box.y + box.height / 2;

  // select 1.5 s inside the tone and lower it by 6 dB
  await page.mouse.move(xAt(toneStart + 1.2), y);
  await page.mouse.down();
  await page.mouse.move(xAt(toneStart + 2), y, { steps: 8 });
  await page.mouse.move(xAt(toneStart + 2.7), y, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId('selection')).toContainText('selection');
  await page.getByTestId('gain-db').fill('-6');
  await page.locator('button[data-action="gain"]').click();
  await expect(page.locator('[data-edit-op="gain"]')).toHaveCount(1);

  // a fade in over the first half second of the tone
  await page.mouse.move(xAt(toneStart + 0.02), y);
  await page.mouse.down();
  await page.mouse.move(xAt(toneStart + 0.3), y, { steps: 6 });
  await page.mouse.move(xAt(toneStart + 0.5), y, { steps: 6 });
  await page.mouse.up();
  await page.locator('button[data-action="fadeIn"]').click();
  await expect(page.locator('[data-edit-op="fadeIn"]')).toHaveCount(1);

  const after = await (await request.get('/api/state')).json();
  const gain = after.clip.edits.find((e: Edit) => e.op === 'gain') as Edit;
  const fade = after.clip.edits.find((e: Edit) => e.op === 'fadeIn') as Edit;
  expect(gain.gainDb).toBe(-6);
  const g0 = gain.startSample / 48000;
  const g1 = gain.endSample / 48000;
  expect(g0).toBeGreaterThan(toneStart + 0.9);
  expect(g1).toBeLessThan(toneStart + 3);

  // the export renders both: −6 dB inside the gain region against the tone outside it, quieter early in the fade
  const res = await request.post('/api/export', {
    data: {
      ranges: [
        [g0 + 0.1, g1 - 0.1],
        [g1 + 0.1, Math.min(seconds, g1 + 0.6)],
        [fade.startSample / 48000 + 0.01, fade.startSample / 48000 + 0.1],
      ],
      loudness: -16,
    },
  });
  expect(res.ok(), await res.text()).toBe(true);
  const out = await res.json();
  // loudness normalisation is linear, so the difference inside/outside stays 6 dB
  expect(out.levels[0] - out.levels[1]).toBeGreaterThan(-6.6);
  expect(out.levels[0] - out.levels[1]).toBeLessThan(-5.4);
  expect(out.levels[2]).toBeLessThan(out.levels[1] - 10);
  expect(out.recordingUnchanged).toBe(true);

  await page.reload();
  await expect(page.getByTestId('status')).toContainText('opened in', { timeout: 60_000 });
  await expect(page.getByTestId('loudness-meter')).toContainText('LUFS');
  await expect(page.getByTestId('status')).toContainText('speech region');
  await page.screenshot({ path: 'test-results/audio-editor.png' });
});
