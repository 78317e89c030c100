/**
 * The dialogue line entity: one place for a line's words, linked to its shot
 * (line.shotId) and to the lane clip that plays it (clip.lineId), edited by
 * line.* commands, with no dangling ids.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../engine/model/commands/index.js';
import { checkIntegrity } from '../../engine/model/integrity.js';
import { clipOfLine, linesOfShot } from '../../engine/model/lines.js';
import { findClip } from '../../engine/model/lookup.js';
import { loadProject } from '../../engine/model/project-file.js';
import type { Project } from '../../engine/model/schema.js';
import { buildShotRequest, cacheKey } from '../../engine/generate/shot-request.js';
import { ROOT } from '../support/env.js';

const sample = () => loadProject(join(ROOT, 'assets', 'templates', 'two-scenes')).doc;
const run = (doc: Project, ...commands: unknown[]) => commands.reduce<Project>((d, c) => applyCommand(d, c).doc, doc);
const audio = { id: 'm-read', path: 'audio/lines/x.wav', kind: 'audio', durationSamples: 48000 };
const voice = { engine: 'flite', voice: 'kal', rate: 1 };

/** A lane line "lane-1" (Mia) played by clip "lc", spoken once (reading "r1"). */
function withLaneLine(doc = sample()): Project {
  return run(
    doc,
    { type: 'line.add', line: { id: 'lane-1', characterId: 'mia', text: 'Over here.' } },
    {
      type: 'clip.add',
      trackId: 'd1',
      clip: { id: 'lc', name: 'Over here.', source: { type: 'line' }, recordStart: 10, duration: 20, lineId: 'lane-1' },
    },
    { type: 'media.add', media: audio },
    { type: 'line.reading.add', lineId: 'lane-1', reading: { id: 'r1', mediaId: 'm-read', voice, createdAt: '2026-12-01T00:00:00.000Z' } },
  );
}

describe('line commands', () => {
  it("line.add puts a shot line at its place among the shot's lines; the shot request speaks them in order", () => {
    const doc = run(
      sample(),
      { type: 'line.add', line: { id: 'new-1', shotId: 's1', characterId: 'leo', text: 'Morning.' }, index: 0 },
      { type: 'line.add', line: { shotId: 's1', characterId: 'mia', text: 'Hi.' } },
    );
    expect(linesOfShot(doc, 's1').map((l) => l.text)).toEqual(['Morning.', 'Is this your cup?', 'Hi.']);
    expect(buildShotRequest(doc, 's1').shot.dialogue.map((l) => l.text)).toEqual(['Morning.', 'Is this your cup?', 'Hi.']);
    expect(() => applyCommand(doc, { type: 'line.add', line: { shotId: 'nope', characterId: 'mia', text: 'Hi.' } })).toThrow(
      /no shot with id "nope"/,
    );
  });

  it('line.update edits words, speaker, shot and start; readings keep the words they said', () => {
    let doc = withLaneLine();
    doc = run(doc, { type: 'line.update', lineId: 'lane-1', patch: { text: 'Over there!', shotId: 's2', start: 4 } });
    const line = doc.lines.find((l) => l.id === 'lane-1')!;
    expect(line).toMatchObject({ text: 'Over there!', shotId: 's2', start: 4 });
    expect(line.readings[0]!.text).toBe('Over here.');
    expect(findClip(doc, 'lc')!.clip.name).toBe('Over there!');
    doc = run(doc, { type: 'line.update', lineId: 'lane-1', patch: { shotId: null } });
    expect(doc.lines.find((l) => l.id === 'lane-1')).not.toHaveProperty('shotId');
    expect(doc.lines.find((l) => l.id === 'lane-1')).not.toHaveProperty('start');
    expect(() => applyCommand(doc, { type: 'line.update', lineId: 's1-l1', patch: { start: 500 } })).toThrow(/after the shot ends/);
  });

  it('line.remove takes the clip that plays it; clip.remove takes a lane-only line with it', () => {
    const doc = withLaneLine();
    const gone = run(doc, { type: 'line.remove', lineId: 'lane-1' });
    expect(findClip(gone, 'lc')).toBeUndefined();
    expect(gone.media.some((m) => m.id === 'm-read')).toBe(true);
    const cut = run(doc, { type: 'clip.remove', clipId: 'lc' });
    expect(cut.lines.some((l) => l.id === 'lane-1')).toBe(false);
    // a shot's line stays when its lane clip goes
    const played = run(sample(), {
      type: 'clip.add',
      trackId: 'd1',
      clip: { id: 'pc', source: { type: 'line' }, recordStart: 0, duration: 10, lineId: 's1-l1' },
    });
    expect(run(played, { type: 'clip.remove', clipId: 'pc' }).lines.some((l) => l.id === 's1-l1')).toBe(true);
  });

  it("a reading plays on the line's clip; picking one brings back its words", () => {
    let doc = withLaneLine();
    expect(findClip(doc, 'lc')!.clip).toMatchObject({ source: { type: 'media', mediaId: 'm-read' }, duration: 24 });
    doc = run(
      doc,
      { type: 'media.add', media: { ...audio, id: 'm2', durationSamples: 24000 } },
      {
        type: 'line.reading.add',
        lineId: 'lane-1',
        reading: { id: 'r2', mediaId: 'm2', voice, text: 'Over there!', createdAt: '2026-12-01T00:01:00.000Z' },
      },
    );
    expect(doc.lines.find((l) => l.id === 'lane-1')).toMatchObject({ text: 'Over there!', selectedReadingId: 'r2' });
    expect(findClip(doc, 'lc')!.clip).toMatchObject({ source: { type: 'media', mediaId: 'm2' }, duration: 12, name: 'Over there!' });
    doc = run(doc, { type: 'line.reading.select', lineId: 'lane-1', readingId: 'r1' });
    expect(doc.lines.find((l) => l.id === 'lane-1')).toMatchObject({ text: 'Over here.', selectedReadingId: 'r1' });
    expect(() => applyCommand(doc, { type: 'line.reading.select', lineId: 'lane-1', readingId: 'r9' })).toThrow(
      /no line reading with id "r9"/,
    );
  });

  it("shot.remove takes the shot's lines, except one a lane clip plays (it stays, without a shot); shot.duplicate copies the words", () => {
    const played = run(sample(), {
      type: 'clip.add',
      trackId: 'd1',
      clip: { id: 'pc', source: { type: 'line' }, recordStart: 0, duration: 10, lineId: 's2-l1' },
    });
    const doc = run(played, { type: 'shot.remove', shotId: 's1' }, { type: 'shot.remove', shotId: 's2' });
    expect(doc.lines.some((l) => l.id === 's1-l1')).toBe(false);
    expect(doc.lines.find((l) => l.id === 's2-l1')).toEqual({ id: 's2-l1', characterId: 'mia', text: 'Oops.', readings: [] });
    const dup = run(sample(), { type: 'shot.duplicate', shotId: 's3', newShotId: 's3b' });
    expect(linesOfShot(dup, 's3b')).toEqual([
      { id: 's3b-line-1', characterId: 'leo', text: 'Careful! That was my favourite.', shotId: 's3b', start: 8, readings: [] },
    ]);
  });

  it('splitting a spoken line clip keeps the line on the left part; an unspoken one cannot be split', () => {
    const doc = run(withLaneLine(), { type: 'clip.split', clipId: 'lc', at: 20, newClipId: 'lc-b' });
    expect(findClip(doc, 'lc')!.clip.lineId).toBe('lane-1');
    expect(findClip(doc, 'lc-b')!.clip).toMatchObject({ source: { type: 'media', mediaId: 'm-read' } });
    expect(findClip(doc, 'lc-b')!.clip.lineId).toBeUndefined();
    const unspoken = run(
      sample(),
      { type: 'line.add', line: { id: 'u', characterId: 'mia', text: 'Hm.' } },
      { type: 'clip.add', trackId: 'd1', clip: { id: 'uc', source: { type: 'line' }, recordStart: 0, duration: 20, lineId: 'u' } },
    );
    expect(() => applyCommand(unspoken, { type: 'clip.split', clipId: 'uc', at: 10 })).toThrow(/not spoken yet/);
  });

  it('a character who speaks a line cannot be removed', () => {
    const doc = run(
      sample(),
      ...['s1', 's2', 's3', 's4', 's5'].map((shotId) => ({ type: 'shot.update', shotId, patch: { characterIds: [] } })),
    );
    expect(() => applyCommand(doc, { type: 'character.remove', characterId: 'leo' })).toThrow(/used by shot 3, 1/);
    const lane = run(
      doc,
      { type: 'character.add', character: { id: 'zed', name: 'Zed' } },
      { type: 'line.add', line: { id: 'z1', characterId: 'zed', text: 'Psst.' } },
    );
    expect(() => applyCommand(lane, { type: 'character.remove', characterId: 'zed' })).toThrow(/speaks line z1/);
  });
});

describe('line integrity', () => {
  const issues = (mutate: (d: Project) => void) => {
    const doc = structuredClone(withLaneLine());
    mutate(doc);
    return checkIntegrity(doc);
  };

  it('finds no dangling ids in a linked document', () => {
    const doc = withLaneLine();
    expect(checkIntegrity(doc)).toEqual([]);
    expect(clipOfLine(doc, 'lane-1')!.clip.id).toBe('lc');
  });

  it('names every dangling or doubled link with its path', () => {
    const lane = (d: Project) => d.lines.find((l) => l.id === 'lane-1')!;
    const clip = (d: Project) => findClip(d, 'lc')!.clip;
    expect(
      issues((d) => {
        clip(d).lineId = 'ghost';
      }),
    ).toEqual([expect.objectContaining({ path: 'sequence.tracks[1].clips[0].lineId', message: 'unknown line "ghost"' })]);
    expect(
      issues((d) => {
        d.sequence.tracks[2]!.clips.push({ ...clip(d), id: 'lc2' });
      }),
    ).toEqual([expect.objectContaining({ message: 'line "lane-1" is already played by clip "lc"' })]);
    expect(
      issues((d) => {
        lane(d).shotId = 'nope';
      }),
    ).toEqual([expect.objectContaining({ path: 'lines[5].shotId', message: 'unknown shot "nope"' })]);
    expect(
      issues((d) => {
        lane(d).start = 3;
      }),
    ).toEqual([expect.objectContaining({ path: 'lines[5].start' })]);
    expect(
      issues((d) => {
        lane(d).characterId = 'zoe';
      }),
    ).toEqual([expect.objectContaining({ path: 'lines[5].characterId', message: 'unknown character "zoe"' })]);
    expect(
      issues((d) => {
        lane(d).readings[0]!.mediaId = 'gone';
      }),
    ).toEqual([expect.objectContaining({ path: 'lines[5].readings[0].mediaId' })]);
    expect(
      issues((d) => {
        lane(d).selectedReadingId = 'r7';
      }),
    ).toEqual([expect.objectContaining({ path: 'lines[5].selectedReadingId' })]);
    expect(
      issues((d) => {
        delete clip(d).lineId;
        clip(d).source = { type: 'line' };
      }),
    ).toEqual([expect.objectContaining({ message: 'clip "lc" plays an unspoken line but names none' })]);
    expect(
      issues((d) => {
        lane(d).id = 's1';
        clip(d).lineId = 's1';
      }),
    ).toEqual([expect.objectContaining({ message: expect.stringContaining('id "s1" is already used') })]);
  });

  it('the shot request carries the words, not the links: a reading or a lane clip does not change the cache key', () => {
    const before = sample();
    const key = (d: Project) => cacheKey({ id: 'previz', version: '1' }, buildShotRequest(d, 's1'));
    const played = run(
      before,
      { type: 'clip.add', trackId: 'd1', clip: { id: 'pc', source: { type: 'line' }, recordStart: 0, duration: 10, lineId: 's1-l1' } },
      { type: 'media.add', media: audio },
      { type: 'line.reading.add', lineId: 's1-l1', reading: { id: 'r1', mediaId: 'm-read', voice, createdAt: '2026-12-01T00:00:00.000Z' } },
    );
    expect(key(played)).toBe(key(before));
    expect(key(run(before, { type: 'line.update', lineId: 's1-l1', patch: { text: 'Is this yours?' } }))).not.toBe(key(before));
  });
});
