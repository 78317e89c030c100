import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSpokenLine, speakLine } from '../../engine/audio/dialogue-lines.js';
import { detectSpeech } from '../../engine/audio/vad.js';
import { createHistory, execute, undo } from '../../engine/model/history.js';
import { loadProject } from '../../engine/model/project-file.js';
import { samplesToFramesCeil } from '../../engine/common/time.js';
import { sha256Hex } from '../../engine/util/hash.js';
import { runCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-lines-');
afterAll(t.cleanup);
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
const project = join(t.dir, 'p');

beforeAll(async () => {
  expect((await runCli(['new', project, '--template', 'two-scenes'], env)).status).toBe(0);
});

describe('dialogue lanes and lines', () => {
  it("adds a line on the character's own lane and speaks it with the character's voice", async () => {
    const r = await runCli(['line', project, '--character', 'mia', '--text', 'Is this your cup?', '--at', '24', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const doc = loadProject(project).doc;
    const lane = doc.sequence.tracks.find((x) => x.kind === 'dialogue' && x.characterId === 'mia')!;
    expect(lane.name).toBe('Mia');
    const clip = lane.clips.find((c) => c.id === out.clipId)!;
    expect(clip.recordStart).toBe(24);
    expect(clip.lineId).toBe(out.lineId);
    const line = doc.lines.find((l) => l.id === out.lineId)!;
    expect(line).toMatchObject({ characterId: 'mia', text: 'Is this your cup?', selectedReadingId: out.readingId });
    expect(line.readings).toHaveLength(1);
    expect(clip.source).toEqual({ type: 'media', mediaId: out.mediaId });
    expect(clip.duration).toBe(samplesToFramesCeil(Math.round(out.seconds * 48000), doc.sequence.rate));
    const speech = await detectSpeech(out.file);
    expect(speech.length).toBeGreaterThan(0);
    // a second line for the same character goes on the same lane; another character gets its own
    expect((await runCli(['line', project, '--character', 'mia', '--text', 'Oops.', '--at', '96'], env)).status).toBe(0);
    expect((await runCli(['line', project, '--character', 'leo', '--text', 'Careful!', '--at', '120'], env)).status).toBe(0);
    const after = loadProject(project).doc.sequence.tracks.filter((x) => x.kind === 'dialogue' && x.characterId);
    expect(after.map((x) => [x.characterId, x.clips.length])).toEqual([
      ['mia', 2],
      ['leo', 1],
    ]);
  });

  it('speaks a line again with another voice and rate, keeps the earlier reading, and can go back to it', async () => {
    const doc = loadProject(project).doc;
    const clip = doc.sequence.tracks.find((x) => x.characterId === 'mia')!.clips[0]!;
    const lineOf = (d: typeof doc) => d.lines.find((l) => l.id === clip.lineId)!;
    const first = lineOf(doc).readings[0]!;
    const firstFile = join(project, doc.media.find((m) => m.id === first.mediaId)!.path);
    const firstHash = sha256Hex(readFileSync(firstFile));
    // the clip names its line (--clip), as the line's id does (--line)
    const r = await runCli(['line', project, '--clip', clip.id, '--voice', 'kal', '--rate', '1.3', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const afterDoc = loadProject(project).doc;
    const again = afterDoc.sequence.tracks.find((x) => x.characterId === 'mia')!.clips[0]!;
    expect(lineOf(afterDoc).readings.map((x) => [x.voice.voice, x.voice.rate])).toEqual([
      [first.voice.voice, 1],
      ['kal', 1.3],
    ]);
    expect(lineOf(afterDoc).selectedReadingId).toBe(lineOf(afterDoc).readings[1]!.id);
    expect(again.duration).toBeLessThan(clip.duration); // faster
    expect(existsSync(firstFile) && sha256Hex(readFileSync(firstFile))).toBe(firstHash);
    const back = await runCli(['line', project, '--line', clip.lineId!, '--reading', first.id], env);
    expect(back.status, back.stderr).toBe(0);
    const restored = loadProject(project).doc.sequence.tracks.find((x) => x.characterId === 'mia')!.clips[0]!;
    expect(restored.source).toEqual({ type: 'media', mediaId: first.mediaId });
    expect(restored.duration).toBe(clip.duration);
  });

  it('refuses an unknown character with exit 2', async () => {
    const r = await runCli(['line', project, '--character', 'nobody', '--text', 'Hi'], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no character with id "nobody"/);
  });
});

describe('dialogue lines as commands', () => {
  it('returns the commands that make the document, so the studio applies them as one step', async () => {
    const doc = loadProject(project).doc;
    const added = await addSpokenLine(doc, project, { characterId: 'leo', text: 'Over here.', at: 200 });
    expect(added.commands.map((c) => c.type)).toEqual(['line.add', 'clip.add', 'media.add', 'line.reading.add']);
    const h = execute(createHistory(doc), added.commands, 'Add line');
    expect(h.doc).toEqual(added.doc);
    // new words: a new reading that says them; picking the first reading brings the old words back
    const again = await speakLine(h.doc, project, added.lineId, { voice: 'awb' }, { text: 'Over there!' });
    const h2 = execute(h, again.commands, 'Speak line again');
    const clip = (d: typeof doc) => d.sequence.tracks.flatMap((t) => t.clips).find((c) => c.id === added.clipId)!;
    const line = (d: typeof doc) => d.lines.find((l) => l.id === added.lineId)!;
    expect(line(h2.doc).text).toBe('Over there!');
    expect(clip(h2.doc).name).toBe('Over there!');
    expect(line(h2.doc).readings.map((t) => t.text)).toEqual(['Over here.', 'Over there!']);
    expect(line(undo(h2).doc)).toEqual(line(h.doc));
    expect(clip(undo(h2).doc)).toEqual(clip(h.doc));
    const back = execute(h2, { type: 'line.reading.select', lineId: added.lineId, readingId: line(h2.doc).readings[0]!.id });
    expect(line(back.doc).text).toBe('Over here.');
    expect(clip(back.doc).name).toBe('Over here.');
  });

  it('a failed synthesis changes nothing and writes nothing', async () => {
    const doc = loadProject(project).doc;
    const before = readdirSync(join(project, 'audio', 'lines'));
    const broken = { id: 'broken', voices: () => ['x'], synthesize: () => Promise.reject(new Error('no speech today')) };
    await expect(addSpokenLine(doc, project, { characterId: 'mia', text: 'Hm.', at: 0 }, {}, { engine: broken })).rejects.toThrow(
      'no speech today',
    );
    expect(loadProject(project).doc).toEqual(doc);
    expect(readdirSync(join(project, 'audio', 'lines'))).toEqual(before);
  });
});
