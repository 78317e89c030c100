/**
 * Previz benchmarks: a 10 s shot at 720p and at 1080p with sound (time ÷ 10 s,
 * target ≤ 0.5 on 2 cores), and the three-shot kitchen scene as a whole.
 * Baseline in the same run: ffmpeg encoding as many frames of a lavfi testsrc
 * at the same size with the same x264 settings. A variation take ("Generate
 * again") next to the same shot as directed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaStore } from '../engine/cache/media-store.js';
import { generateTake } from '../engine/generate/generate-take.js';
import { createPrevizBackend } from '../engine/generate/previz/previz-backend.js';
import { runFfmpeg } from '../engine/media/run.js';
import { ProjectSchema, type Project } from '../engine/model/schema.js';
import { framesToSeconds } from '../engine/common/time.js';
import { VARIATION_SEED_BASE } from '../engine/model/variation-seed.js';
import { assetPath } from '../engine/util/paths.js';
import { cpuSeconds, medianMs, report } from './support.js';

function kitchen(width: number, height: number, longShotFrames?: number): Project {
  const j = JSON.parse(readFileSync(assetPath('templates', 'two-scenes', 'project.klappe'), 'utf8'));
  j.scenes = j.scenes.slice(0, 1);
  j.sequence.width = width;
  j.sequence.height = height;
  if (longShotFrames) j.scenes[0].shots[0].duration = longShotFrames;
  return ProjectSchema.parse(j);
}

async function baselineMs(frames: number, width: number, height: number, out: string): Promise<number> {
  return medianMs(1, () =>
    runFfmpeg([
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc=s=${width}x${height}:r=24`,
      '-frames:v',
      String(frames),
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '20',
      '-pix_fmt',
      'yuv420p',
      out,
    ]),
  );
}

export async function benchPreviz(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'klappe-bench-previz-'));
  try {
    const store = new MediaStore(join(work, 'media'));
    const backend = createPrevizBackend();
    const soundNote = () => `Flite speech + SFX + room tone; load average ${loadavg()[0]!.toFixed(1)}`;

    for (const [label, w, h] of [
      ['720p', 1280, 720],
      ['1080p', 1920, 1080],
    ] as const) {
      const doc = kitchen(w, h, 240);
      const seconds = framesToSeconds(240, doc.sequence.rate);
      const ms = await medianMs(1, () => generateTake(doc, 's1', backend, store));
      const base = await baselineMs(240, w, h, join(work, `base-${label}.mp4`));
      report({
        name: `previz 10 s shot ${label} with sound, time ÷ 10 s`,
        value: ms / 1000 / seconds,
        unit: '×',
        baseline: { name: `ffmpeg x264 of 240 testsrc frames ${label}`, value: base / 1000 / seconds },
        note: soundNote(),
      });
      // the same shot again (another take: nothing cached), in a process that has drawn before (the studio's case);
      // CPU counts every thread and ffmpeg: on an idle 2-core machine the wall time is about CPU ÷ 2
      const cpu0 = cpuSeconds();
      const t0 = performance.now();
      await generateTake(doc, 's1', backend, store);
      const warmMs = performance.now() - t0;
      const cpu = cpuSeconds() - cpu0;
      const baseCpu0 = cpuSeconds();
      await baselineMs(240, w, h, join(work, `base-${label}-2.mp4`));
      report({
        name: `previz 10 s shot ${label} with sound, warm process: CPU s ÷ 2 cores ÷ 10 s`,
        value: cpu / 2 / seconds,
        unit: '×',
        baseline: { name: `ffmpeg x264 of 240 testsrc frames ${label}, CPU ÷ 2 ÷ 10 s`, value: (cpuSeconds() - baseCpu0) / 2 / seconds },
        note: `CPU ${cpu.toFixed(1)} s; wall ${(warmMs / 1000).toFixed(1)} s (${(warmMs / 1000 / seconds).toFixed(2)}×); ${soundNote()}`,
      });
    }

    const doc = kitchen(1280, 720);
    const shots = doc.scenes[0]!.shots;
    const frames = shots.reduce((n, s) => n + s.duration, 0);
    const seconds = framesToSeconds(frames, doc.sequence.rate);
    const sceneMs = await medianMs(1, async () => {
      for (const s of shots) await generateTake(doc, s.id, backend, store);
    });
    const base = await baselineMs(frames, 1280, 720, join(work, 'base-scene.mp4'));
    report({
      name: `previz three-shot scene (${seconds.toFixed(0)} s, 720p) time ÷ duration`,
      value: sceneMs / 1000 / seconds,
      unit: '×',
      baseline: { name: `ffmpeg x264 of ${frames} testsrc frames`, value: base / 1000 / seconds },
      note: `${(sceneMs / 1000).toFixed(1)} s in all`,
    });

    // "Generate again": a variation of shot 2 (its own simulation of the scene) next to the shot as directed
    const s2 = shots[1]!;
    const s2Seconds = framesToSeconds(s2.duration, doc.sequence.rate);
    const directedMs = await medianMs(1, () => generateTake(doc, s2.id, backend, store, { seed: s2.seed + 7 }));
    const variationMs = await medianMs(1, () => generateTake(doc, s2.id, backend, store, { seed: VARIATION_SEED_BASE + 7 }));
    report({
      name: `previz variation of a ${s2Seconds.toFixed(0)} s shot (720p) time ÷ duration`,
      value: variationMs / 1000 / s2Seconds,
      unit: '×',
      baseline: { name: 'the same shot as directed (another seed below the variations)', value: directedMs / 1000 / s2Seconds },
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
