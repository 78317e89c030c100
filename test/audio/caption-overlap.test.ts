/**
 * Exported captions never overlap in time (issue 13, "two captions overlap at
 * 9 s"): two characters speaking at once, a line played by a take and again by
 * a lane clip, or a small overlap of spoken timings. Checked on captionCues, on
 * the SRT and WebVTT an export writes and on the cues burned into the picture.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeColourClip } from '../servers/test-clip.js';
import { burnedCues, captionBand } from '../../engine/audio/burn-captions.js';
import { captionCues, exclusiveCues, formatSrt, formatVtt, type Cue } from '../../engine/audio/captions.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { exportProject } from '../../engine/export/export-project.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import type { Project } from '../../engine/model/schema.js';
import { parseCaptionBytes } from '../../engine/interchange/caption-files.js';
import { ROOT, tempDir } from '../support/env.js';

const S = 48_000;
const cue = (start: number, end: number, text: string, speaker?: string): Cue => ({
  startSample: Math.round(start * S),
  endSample: Math.round(end * S),
  text,
  ...(speaker ? { speaker } : {}),
  timing: 'clip',
});

function overlaps(list: ReadonlyArray<{ startSample: number; endSample: number }>): string[] {
  const sorted = [...list].sort((a, b) => a.startSample - b.startSample);
  const bad: string[] = [];
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.startSample < sorted[i - 1]!.endSample) bad.push(`${sorted[i - 1]!.endSample / S} > ${sorted[i]!.startSample / S}`);
  return bad;
}

/** Two characters, a lane each; at 9 s Leo answers while Mia is still speaking (the export). */
function overlappingScene(): Project {
  let doc = loadProject(join(ROOT, 'assets', 'templates', 'empty')).doc;
  doc = applyCommand(doc, { type: 'character.add', character: { id: 'mia', name: 'Mia' } }).doc;
  doc = applyCommand(doc, { type: 'character.add', character: { id: 'leo', name: 'Leo' } }).doc;
  doc = applyCommand(doc, { type: 'track.add', track: { id: 'd2', kind: 'dialogue', name: 'Leo' } }).doc;
  const line = (id: string, who: string, text: string, track: string, at: number, frames: number) => {
    doc = applyCommand(doc, { type: 'line.add', line: { id, characterId: who, text } }).doc;
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: track,
      clip: { id: `c-${id}`, source: { type: 'line' }, lineId: id, recordStart: at, duration: frames },
    }).doc;
  };
  line('l1', 'mia', 'I kept it for three years.', 'd1', 8 * 24, 48); // 8 s – 10 s
  line('l2', 'leo', 'You never told me.', 'd2', 9 * 24, 36); // 9 s – 10.5 s
  line('l3', 'mia', 'Now you know.', 'd1', 11 * 24, 24); // 11 s – 12 s, a frame after a small overlap below
  line('l4', 'leo', 'Fine.', 'd2', 12 * 24 - 3, 12); // starts 3 frames (0.125 s) before l3 ends
  return doc;
}

describe('captions that overlap in time', () => {
  it("never overlap in the sequence's caption cues: speech at the same time shares one cue, a small overlap is trimmed", () => {
    const cues = captionCues(overlappingScene(), new MediaStore());
    expect(overlaps(cues)).toEqual([]);
    expect(cues.map((c) => [c.startSample / S, c.endSample / S, (c.parts ?? [c]).map((p) => p.text)])).toEqual([
      [8, 10.5, ['I kept it for three years.', 'You never told me.']],
      [11, 12 - 3 / 24, ['Now you know.']],
      [12 - 3 / 24, 12 - 3 / 24 + 0.5, ['Fine.']],
    ]);
    const srt = formatSrt(cues, overlappingScene());
    expect(srt).toContain('00:00:08,000 --> 00:00:10,500\nMIA: I kept it for three years.\nLEO: You never told me.\n');
    expect(formatVtt(cues, overlappingScene())).toContain('<v Mia>I kept it for three years.\n<v Leo>You never told me.\n');
  });

  it('shows a line played twice at once (take and lane) once', () => {
    const cues = exclusiveCues([
      cue(1, 3, 'Is this your cup?', 'mia'),
      cue(1.2, 3.4, 'Is this your cup?', 'mia'),
      cue(5, 6, 'Oops.', 'mia'),
    ]);
    expect(cues.map((c) => [c.startSample / S, c.endSample / S, c.text, c.parts])).toEqual([
      [1, 3.4, 'Is this your cup?', undefined],
      [5, 6, 'Oops.', undefined],
    ]);
  });

  it('burns cues that never overlap and never show more than two lines', () => {
    const doc = overlappingScene();
    const long = cue(20, 26, 'This line is far too long to fit on two lines of a tall video, so it is split in time by its length.', 'mia');
    const band = captionBand(720, 1280);
    const burned = burnedCues(doc, [...captionCues(doc, new MediaStore()), long], band);
    expect(overlaps(burned)).toEqual([]);
    expect(Math.max(...burned.map((b) => b.lines.length))).toBeLessThanOrEqual(2);
    expect(burned.every((b) => b.lines.every((l) => l.length <= band.maxChars))).toBe(true);
    // the long line: in order, all its words, from its start to its end
    const parts = burned.filter((b) => b.startSample >= 20 * S);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]!.startSample).toBe(20 * S);
    expect(parts.at(-1)!.endSample).toBe(26 * S);
    expect(parts.flatMap((b) => b.lines).join(' ')).toBe(`MIA: ${long.text}`);
  });
});

describe('an export of overlapping speech', () => {
  const t = tempDir('klappe-caption-overlap-');
  const dir = join(t.dir, 'p');
  beforeAll(async () => {
    cpSync(join(ROOT, 'assets', 'templates', 'empty'), dir, { recursive: true });
    await makeColourClip(join(dir, 'bg.mp4'), { colour: 'gray', seconds: 13, width: 64, height: 36, silence: true });
  });
  afterAll(() => t.cleanup());

  it('writes SRT and WebVTT files whose cues do not overlap', async () => {
    let doc = overlappingScene();
    doc = { ...doc, media: [{ id: 'bg', path: 'bg.mp4', kind: 'video' }] };
    doc.sequence = { ...doc.sequence, tracks: doc.sequence.tracks.map((tr) => (tr.kind === 'video' ? { ...tr, clips: [] } : tr)) };
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: 'v1',
      clip: { id: 'bgc', source: { type: 'media', mediaId: 'bg' }, recordStart: 0, duration: 13 * 24 },
    }).doc;
    const r = await exportProject(
      { doc, dir, file: join(dir, 'project.klappe'), migratedFrom: doc.schemaVersion },
      join(t.dir, 'out.mp4'),
      {
        store: new MediaStore(join(t.dir, 'store')),
        watermark: false,
        invisibleWatermark: false,
        sign: false,
        frameCheck: false,
        size: { width: 64, height: 36 },
        captionFiles: true,
        burnCaptions: true,
      },
    );
    for (const file of r.captions!) {
      const { cues } = parseCaptionBytes(readFileSync(file), { file });
      expect(cues.length, file).toBe(3);
      expect(overlaps(cues), file).toEqual([]);
    }
  });
});
