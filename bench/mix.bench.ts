/**
 * The preview's sound: mixing a 2-minute sequence (dialogue, effects, music,
 * with a region edit and track gains) to the cached WAV and measuring its
 * loudness, against plain ffmpeg mixing the same three files with amix; then
 * asking again for the unchanged document (the cached mix).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importAudio } from '../engine/audio/import-audio.js';
import { PreviewMixer } from '../engine/audio/preview-mix.js';
import { CacheIndex } from '../engine/cache/cache-index.js';
import { openDatabase } from '../engine/cache/database.js';
import { MediaStore } from '../engine/cache/media-store.js';
import { runFfmpeg } from '../engine/media/run.js';
import { applyCommand } from '../engine/model/commands/index.js';
import { loadProject } from '../engine/model/project-file.js';
import { appRoot } from '../engine/util/paths.js';
import { medianMs, report } from './support.js';

export async function benchMix(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'klappe-bench-mix-'));
  try {
    const files = { d1: join(work, 'dialogue.wav'), x1: join(work, 'effects.wav'), m1: join(work, 'music.flac') };
    await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'anoisesrc=r=48000:a=0.1:d=120', files.d1]);
    await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=880:r=48000:d=120', files.x1]);
    await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=220:r=48000:d=120', '-ac', '2', files.m1]);
    const dir = join(work, 'project');
    cpSync(join(appRoot(), 'assets', 'templates', 'empty'), dir, { recursive: true });
    const loaded = loadProject(dir);
    let doc = applyCommand(loaded.doc, { type: 'clip.remove', clipId: 'clip-1' }).doc;
    for (const [trackId, file] of Object.entries(files)) {
      const r = await importAudio(doc, dir, file, { trackId, at: 0 });
      for (const c of r.commands) doc = applyCommand(doc, c).doc;
    }
    const dialogue = doc.sequence.tracks.find((t) => t.id === 'd1')!.clips[0]!;
    doc = applyCommand(doc, {
      type: 'audio.edit.add',
      clipId: dialogue.id,
      edit: { op: 'gain', startSample: 48000 * 10, endSample: 48000 * 20, gainDb: -6 },
    }).doc;
    doc = applyCommand(doc, { type: 'track.update', trackId: 'm1', patch: { gainDb: -12 } }).doc;

    const index = new CacheIndex({ db: openDatabase(join(work, 'klappe.db')), store: new MediaStore(join(work, 'media')) });
    const mixMs = await medianMs(3, async () => {
      // a new mixer each time: nothing reused
      await new PreviewMixer(index).mix({ doc, dir });
    });
    const amixMs = await medianMs(3, () =>
      runFfmpeg([
        '-v',
        'error',
        '-y',
        '-i',
        files.d1,
        '-i',
        files.x1,
        '-i',
        files.m1,
        '-filter_complex',
        'amix=inputs=3',
        '-c:a',
        'pcm_s16le',
        join(work, 'amix.wav'),
      ]),
    );
    report({
      name: 'preview mix of a 2-minute, 3-track sequence (render + loudness)',
      value: mixMs,
      unit: 'ms',
      baseline: { name: 'ffmpeg amix of the same files', value: amixMs },
    });
    const mixer = new PreviewMixer(index);
    await mixer.mix({ doc, dir });
    const againMs = await medianMs(5, () => mixer.mix({ doc, dir }));
    report({
      name: 'preview mix again, document unchanged (cached)',
      value: againMs,
      unit: 'ms',
      baseline: { name: 'ffmpeg amix of the same files', value: amixMs },
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
