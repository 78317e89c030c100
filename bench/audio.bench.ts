/**
 * Audio benchmarks: waveform peaks of one hour of 48 kHz stereo (time and
 * memory) against plain ffmpeg decoding the same hour to null, and opening the
 * waveform of that hour in the editor from the peaks cache.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computePeaks, encodePeaks, getPeaks, peaksForView } from '../engine/audio/peaks.js';
import { runFfmpeg } from '../engine/media/run.js';
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { appRoot } from '../engine/util/paths.js';
import { CHROMIUM_LAUNCH } from '../test/support/chromium.js';
import { medianMs, report } from './support.js';

/** Opens the audio editor test page on `file` in Chromium twice (peaks computed, then cached); the page reports its open time. */
async function openInEditor(file: string): Promise<{ coldMs: number; warmMs: number }> {
  const port = 47831;
  const host = spawn(
    process.execPath,
    [
      join(appRoot(), 'bin', 'run-ts.mjs'),
      join(appRoot(), 'test', 'e2e-audio', 'audio-editor-host.ts'),
      '--port',
      String(port),
      '--recording',
      file,
      '--no-vad',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (i > 600) throw new Error('the audio editor host did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    const browser = await chromium.launch(CHROMIUM_LAUNCH);
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 500 } });
      const open = async () => {
        await page.goto(`http://127.0.0.1:${port}/`);
        const wave = page.getByTestId('waveform');
        await wave.and(page.locator('[data-open-ms]')).waitFor({ timeout: 120_000 });
        return Number(await wave.getAttribute('data-open-ms'));
      };
      const coldMs = await open();
      const warm: number[] = [];
      for (let i = 0; i < 3; i++) warm.push(await open());
      warm.sort((a, b) => a - b);
      return { coldMs, warmMs: warm[1]! };
    } finally {
      await browser.close();
    }
  } finally {
    host.kill('SIGTERM');
  }
}

export async function benchAudio(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'klappe-bench-audio-'));
  try {
    const hour = join(work, 'hour.wav');
    // an hour of changing sound (a sweep under noise), 48 kHz stereo 16-bit: 691 MB
    await runFfmpeg([
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'anoisesrc=r=48000:a=0.2:d=3600',
      '-f',
      'lavfi',
      '-i',
      'sine=f=220:r=48000:d=3600',
      '-filter_complex',
      '[0][1]amerge=inputs=2',
      '-ac',
      '2',
      '-c:a',
      'pcm_s16le',
      hour,
    ]);

    const decodeMs = await medianMs(1, () => runFfmpeg(['-v', 'error', '-i', hour, '-f', 'null', '-']));
    const decodeS16Ms = await medianMs(1, () =>
      runFfmpeg(['-v', 'error', '-i', hour, '-ac', '2', '-ar', '48000', '-f', 's16le', '-y', '/dev/null']),
    );

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const timer = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 50);
    let bytes = 0;
    const peaksMs = await medianMs(1, async () => {
      bytes = encodePeaks(await computePeaks(hour)).length;
    });
    clearInterval(timer);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    report({
      name: 'peaks of 1 h 48 kHz stereo (4 zoom levels)',
      value: peaksMs / 1000,
      unit: 's',
      baseline: { name: 'ffmpeg decoding the same hour to null', value: decodeMs / 1000 },
      note: `ffmpeg decode to s16le pipe-less: ${(decodeS16Ms / 1000).toFixed(2)} s; file ${(statSync(hour).size / 1e6).toFixed(0)} MB`,
    });
    report({
      name: 'memory while computing those peaks (RSS growth)',
      value: (rssPeak - rssBefore) / 1e6,
      unit: 'MB',
      baseline: { name: 'size of the decoded hour', value: statSync(hour).size / 1e6 },
      note: `peaks file ${(bytes / 1e6).toFixed(1)} MB`,
    });

    // opening the waveform in the editor: the peaks from the cache and the view the editor draws (2,000 px)
    const cacheDir = join(work, 'peaks');
    await getPeaks(hour, { cacheDir, sha256: 'f'.repeat(64) });
    const openMs = await medianMs(5, async () =>
      peaksForView(await getPeaks(hour, { cacheDir, sha256: 'f'.repeat(64) }), { minPeaks: 2000 }),
    );
    const zoomMs = await medianMs(5, async () =>
      peaksForView(await getPeaks(hour, { cacheDir, sha256: 'f'.repeat(64) }), {
        startSample: 48000 * 600,
        endSample: 48000 * 660,
        minPeaks: 2000,
      }),
    );
    const inBrowser = await openInEditor(hour);
    report({
      name: 'open the 1 h waveform in the audio editor in Chromium (peaks cached)',
      value: inBrowser.warmMs,
      unit: 'ms',
      baseline: { name: 'first open, peaks computed', value: inBrowser.coldMs },
      note: 'request → wavesurfer.js drawn, measured by the page',
    });
    report({
      name: 'open the 1 h waveform in the editor (cached peaks → full view)',
      value: openMs,
      unit: 'ms',
      baseline: { name: 'the first open, computing the peaks', value: peaksMs },
      note: `zoomed to 1 min: ${zoomMs.toFixed(1)} ms`,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
