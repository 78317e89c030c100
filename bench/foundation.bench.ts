/** Foundation benchmarks: export vs plain ffmpeg, and loading a 1,000-shot project. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaStore } from '../engine/cache/media-store.js';
import { exportProject } from '../engine/export/export-project.js';
import { clipMediaPath } from '../engine/render/sources.js';
import { runFfmpeg } from '../engine/media/run.js';
import { loadProject, parseProject } from '../engine/model/project-file.js';
import { createProjectFromTemplate } from '../engine/model/templates.js';
import { makeTakes, medianMs, report } from './support.js';

export async function benchFoundation(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'klappe-bench-'));
  try {
    const store = new MediaStore(join(work, 'media'));
    const dir = join(work, 'demo');
    createProjectFromTemplate(dir, 'two-scenes');
    // make the takes once (not measured)
    await makeTakes(dir, store, 'slate');
    await exportProject(loadProject(dir), join(work, 'warm.mp4'), { store, watermark: false, invisibleWatermark: false, sign: false });
    const loaded = loadProject(dir);

    // The export pipeline itself; provenance has its own benchmark (npm run bench provenance).
    const plainExport = { store, watermark: false, invisibleWatermark: false, sign: false };
    let n = 0;
    const exportMs = await medianMs(3, () => exportProject(loadProject(dir), join(work, `out-${n++}.mp4`), plainExport));
    // Baseline: the same take files concatenated and encoded by plain ffmpeg with the same settings.
    const list = join(work, 'list.txt');
    const files = loaded.doc.sequence.tracks[0]!.clips.map((c) => clipMediaPath(loaded, store, c));
    writeFileSync(list, files.map((f) => `file '${f}'`).join('\n'));
    const plainMs = await medianMs(3, () =>
      runFfmpeg([
        '-y',
        '-f',
        'concat',
        '-safe',
        '0',
        '-i',
        list,
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-crf',
        '20',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-b:a',
        '192k',
        '-ar',
        '48000',
        '-ac',
        '2',
        join(work, 'plain.mp4'),
      ]),
    );
    report({
      name: 'export sample project (17 s, 1280x720, 5 slate clips, no provenance)',
      value: exportMs,
      unit: 'ms',
      baseline: { name: 'plain ffmpeg concat+encode of the same takes', value: plainMs },
    });

    const big = makeLargeProject(readFileSync(join(dir, 'project.klappe'), 'utf8'), 1000);
    const loadMs = await medianMs(7, () => parseProject(big, 'big.klappe'));
    const parseOnlyMs = await medianMs(7, () => JSON.parse(big));
    report({
      name: 'load + validate a 1,000-shot project',
      value: loadMs,
      unit: 'ms',
      baseline: { name: 'JSON.parse alone', value: parseOnlyMs },
      note: `${(big.length / 1e6).toFixed(2)} MB`,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The sample's scenes repeated until there are `shots` shots, each on the timeline. */
export function makeLargeProject(sampleText: string, shots: number): string {
  const j = JSON.parse(sampleText);
  const baseScene = j.scenes[0];
  const scenes = [];
  const clips = [];
  const lines = [];
  let record = 0;
  let made = 0;
  for (let s = 0; made < shots; s++) {
    const scene = structuredClone(baseScene);
    scene.id = `scene-${s}`;
    scene.number = String(s + 1);
    scene.props = scene.props.map((p: any) => ({ ...p, id: `${p.id}-${s}` }));
    scene.actions = scene.actions.map((a: any) => ({ ...a, id: `${a.id}-${s}`, targetId: a.targetId ? `${a.targetId}-${s}` : undefined }));
    scene.shots = [];
    for (let k = 0; k < 20 && made < shots; k++, made++) {
      const shot = structuredClone(baseScene.shots[k % baseScene.shots.length]);
      const base = shot.id;
      shot.id = `shot-${made}`;
      shot.number = String(k + 1);
      shot.sceneStart = k * 72;
      lines.push(
        ...j.lines.filter((l: any) => l.shotId === base).map((l: any, i: number) => ({ ...l, id: `line-${made}-${i}`, shotId: shot.id })),
      );
      scene.shots.push(shot);
      clips.push({ id: `clip-${made}`, source: { type: 'shot', shotId: shot.id }, recordStart: record, duration: shot.duration });
      record += shot.duration;
    }
    scenes.push(scene);
  }
  j.scenes = scenes;
  j.lines = lines;
  j.takes = [];
  j.sequence.tracks[0].clips = clips;
  return JSON.stringify(j);
}
