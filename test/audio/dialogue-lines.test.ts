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
  it('adds a line on the character\'s own lane and speaks it with the character\'s voice', async () => {
    const r = await runCli(['line', project, '--character', 'mia', '--text', 'Is this your cup?', '--at', '24', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const doc = loadProject(project).doc;
    const lane = doc.sequence.tracks.find((x) => x.kind === 'dialogue' && x.characterId === 'mia')!;
    expect(lane.name).toBe('Mia');
    const clip = lane.clips.find((c) => c.id === out.clipId)!;
    expect(clip.recordStart).toBe(24);
    expect(clip.line!.takes).toHaveLength(1);
    expect(clip.source).toEqual({ type: 'media', mediaId: out.mediaId });
    expect(clip.duration).toBe(samplesToFramesCeil(Math.round(out.seconds * 48000), doc.sequence.rate));
    const speech = await detectSpeech(out.file);
    expect(speech.length).toBeGreaterThan(0);
    // a second line for the same character goes on the same lane; another character gets its own
    expect((await runCli(['line', project, '--character', 'mia', '--text', 'Oops.', '--at', '96'], env)).status).toBe(0);
    expect((await runCli(['line', project, '--character', 'leo', '--text', 'Careful!', '--at', '120'], env)).status).toBe(0);
    const after = loadProject(project).doc.sequence.tracks.filter((x) => x.kind === 'dialogue' && x.characterId);
    expect(after.map((x) => [x.characterId, x.clips.length])).toEqual([['mia', 2], ['leo', 1]]);
  });

  it('speaks a line again with another voice and rate, keeps the earlier reading, and can go back to it', async () => {
    const doc = loadProject(project).doc;
    const clip = doc.sequence.tracks.find((x) => x.characterId === 'mia')!.clips[0]!;
    const firstFile = join(project, doc.media.find((m) => m.id === clip.line!.takes[0]!.mediaId)!.path);
    const firstHash = sha256Hex(readFileSync(firstFile));
    const r = await runCli(['line', project, '--clip', clip.id, '--voice', 'kal', '--rate', '1.3', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const again = loadProject(project).doc.sequence.tracks.find((x) => x.characterId === 'mia')!.clips[0]!;
    expect(again.line!.takes.map((x) => [x.voice.voice, x.voice.rate])).toEqual([[clip.line!.takes[0]!.voice.voice, 1], ['kal', 1.3]]);
    expect(again.line!.selectedTakeId).toBe(again.line!.takes[1]!.id);
    expect(again.duration).toBeLessThan(clip.duration); // faster
    expect(existsSync(firstFile) && sha256Hex(readFileSync(firstFile))).toBe(firstHash);
    const back = await runCli(['line', project, '--clip', clip.id, '--take', clip.line!.takes[0]!.id], env);
    expect(back.status, back.stderr).toBe(0);
    const restored = loadProject(project).doc.sequence.tracks.find((x) => x.characterId === 'mia')!.clips[0]!;
    expect(restored.source).toEqual({ type: 'media', mediaId: clip.line!.takes[0]!.mediaId });
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
    expect(added.commands.map((c) => c.type)).toEqual(['clip.add', 'media.add', 'line.take.add']);
    const h = execute(createHistory(doc), added.commands, 'Add line');
    expect(h.doc).toEqual(added.doc);
    // new words: a new reading that says them; picking the first reading brings the old words back
    const again = await speakLine(h.doc, project, added.clipId, { voice: 'awb' }, { text: 'Over there!' });
    const h2 = execute(h, again.commands, 'Speak line again');
    const line = (d: typeof doc) => d.sequence.tracks.flatMap((t) => t.clips).find((c) => c.id === added.clipId)!;
    expect(line(h2.doc).line!.text).toBe('Over there!');
    expect(line(h2.doc).name).toBe('Over there!');
    expect(line(h2.doc).line!.takes.map((t) => t.text)).toEqual(['Over here.', 'Over there!']);
    expect(line(undo(h2).doc)).toEqual(line(h.doc));
    const back = execute(h2, { type: 'line.take.select', clipId: added.clipId, takeId: line(h2.doc).line!.takes[0]!.id });
    expect(line(back.doc).line!.text).toBe('Over here.');
  });

  it('a failed synthesis changes nothing and writes nothing', async () => {
    const doc = loadProject(project).doc;
    const before = readdirSync(join(project, 'audio', 'lines'));
    const broken = { id: 'broken', voices: () => ['x'], synthesize: () => Promise.reject(new Error('no speech today')) };
    await expect(addSpokenLine(doc, project, { characterId: 'mia', text: 'Hm.', at: 0 }, {}, { engine: broken })).rejects.toThrow('no speech today');
    expect(loadProject(project).doc).toEqual(doc);
    expect(readdirSync(join(project, 'audio', 'lines'))).toEqual(before);
  });
});
