import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioPieces, keptRanges } from '../../engine/common/edit-pieces.js';
import { importAudio } from '../../engine/audio/import-audio.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { exportProject } from '../../engine/export/export-project.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { applyDocPatches } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import { saveProject } from '../support/write-project.js';
import { sha256Hex } from '../../engine/util/hash.js';
import { meanVolumeDb } from '../support/audio-levels.js';
import { ROOT, tempDir } from '../support/env.js';

const t = tempDir('klappe-edits-');
afterAll(t.cleanup);
const projectDir = join(t.dir, 'p');
const tone = join(t.dir, 'tone.wav');

beforeAll(async () => {
  cpSync(join(ROOT, 'assets', 'templates', 'empty'), projectDir, { recursive: true });
  // 4 s of a 440 Hz sine at about −12 dBFS peak
  await runFfmpeg([
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=4',
    '-af',
    'volume=-3dB',
    '-ac',
    '2',
    tone,
  ]);
});

describe('region edits in the document', () => {
  it('keeps removed ranges out and reads further into the source', () => {
    expect(keptRanges(0, 1000, [{ id: 'e', op: 'delete', startSample: 100, endSample: 300 }])).toEqual([
      [0, 100],
      [300, 1200],
    ]);
    const pieces = audioPieces({
      sourceStartSample: 0,
      samples: 1000,
      edits: [
        { id: 'g', op: 'gain', gainDb: -6, startSample: 200, endSample: 400 },
        { id: 'f', op: 'fadeIn', startSample: 0, endSample: 100 },
      ],
    });
    expect(pieces.map((p) => [p.sourceStartSample, p.samples, p.gainDb, p.ramp])).toEqual([
      [0, 100, 0, [0, 1]],
      [100, 100, 0, [1, 1]],
      [200, 200, -6, [1, 1]],
      [400, 600, 0, [1, 1]],
    ]);
  });

  it('undoes an edit through the inverse patches', () => {
    let doc = loadProject(projectDir).doc;
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: 'm1',
      clip: { id: 'k', source: { type: 'shot', shotId: 'shot-1' }, recordStart: 0, duration: 10 },
    }).doc;
    const applied = applyCommand(doc, { type: 'audio.edit.add', clipId: 'k', edit: { op: 'silence', startSample: 0, endSample: 480 } });
    expect(applied.doc.sequence.tracks[3]!.clips[0]!.audioEdits).toEqual([{ id: 'edit1', op: 'silence', startSample: 0, endSample: 480 }]);
    expect(applyDocPatches(applied.doc, applied.inversePatches)).toEqual(doc);
    expect(() => applyCommand(doc, { type: 'audio.edit.add', clipId: 'k', edit: { op: 'gain', startSample: 10, endSample: 5 } })).toThrow(
      /endSample/,
    );
  });

  it('export renders gain −6 dB, a fade, silence and a delete; the media stays byte-identical', async () => {
    const before = sha256Hex(readFileSync(tone));
    const loaded = loadProject(projectDir);
    let { doc } = loaded;
    doc = applyCommand(doc, { type: 'clip.remove', clipId: 'clip-1' }).doc;
    const imported = await importAudio(doc, projectDir, tone, { trackId: 'm1', at: 0 });
    doc = imported.doc;
    const c = imported.clipId;
    const s = (sec: number) => Math.round(sec * 48000);
    for (const edit of [
      { op: 'fadeIn', startSample: 0, endSample: s(0.5) },
      { op: 'gain', gainDb: -6, startSample: s(1), endSample: s(2) },
      { op: 'silence', startSample: s(2.5), endSample: s(3) },
      { op: 'delete', startSample: s(3), endSample: s(3.5) },
    ])
      doc = applyCommand(doc, { type: 'audio.edit.add', clipId: c, edit }).doc;
    saveProject(loaded.file, doc);
    const out = join(t.dir, 'edited.mp4');
    await exportProject(loadProject(projectDir), out, {
      size: { width: 64, height: 64 },
      store: new MediaStore(join(t.dir, 'data')),
      watermark: false,
      invisibleWatermark: false,
      sign: false,
    });

    const ref = await meanVolumeDb(out, 0.6, 0.95);
    expect(ref).toBeGreaterThan(-35);
    expect((await meanVolumeDb(out, 1.1, 1.9)) - ref).toBeCloseTo(-6, 0);
    expect((await meanVolumeDb(out, 0.02, 0.2)) - ref).toBeLessThan(-8); // early in the fade-in
    expect(await meanVolumeDb(out, 2.55, 2.95)).toBeLessThan(-60); // silenced
    // the deleted half second is gone: audio after 3 s continues and the clip keeps its length (source beyond 4 s is silence)
    expect(Math.abs((await meanVolumeDb(out, 3.05, 3.45)) - ref)).toBeLessThan(1);
    expect(await meanVolumeDb(out, 3.55, 3.95)).toBeLessThan(-60);
    expect(sha256Hex(readFileSync(tone))).toBe(before);
  });
});
