import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectSession, RECOVERY_FILE } from '../../engine/api/project-session.js';
import { StudioApi } from '../../engine/api/studio-api.js';
import type { Project } from '../../engine/model/schema.js';
import { ROOT } from '../support/env.js';
import { openTestStudio, rejects } from '../support/studio-api.js';

function makeApi() {
  const { api, dir, events } = openTestStudio();
  return { api, dir, events };
}

describe('studio api', () => {
  it('creates a project from a template, applies a gesture as one undo step, undoes, redoes and saves', async () => {
    const { api, events } = makeApi();
    const state = await api.call<'project.new'>('project.new', { name: 'My Film', template: 'two-scenes' });
    expect(state.doc.name).toBe('My Film');
    expect(state.dir).toMatch(/projects[/\\]my-film$/);
    const before = state.doc.scenes[0]!.shots.length;
    await api.call('project.apply', {
      commands: [
        { type: 'shot.add', sceneId: 'kitchen', shot: { id: 'shot-new', action: 'Mia looks up' } },
        { type: 'line.add', line: { shotId: 'shot-new', characterId: 'mia', text: 'Hello?' } },
      ],
    });
    let doc = (await api.call<'project.get'>('project.get', {}))!.doc;
    expect(doc.scenes[0]!.shots).toHaveLength(before + 1);
    expect(doc.lines.filter((l) => l.shotId === 'shot-new').map((l) => l.text)).toEqual(['Hello?']);
    const undone = await api.call<'project.undo'>('project.undo', {});
    expect(undone.history.canRedo).toBe(true);
    doc = (await api.call<'project.get'>('project.get', {}))!.doc;
    expect(doc.scenes[0]!.shots).toHaveLength(before);
    await api.call('project.redo', {});
    doc = (await api.call<'project.get'>('project.get', {}))!.doc;
    expect(doc.scenes[0]!.shots).toHaveLength(before + 1);
    const changed = events.filter((e) => e.event === 'project.changed');
    expect(changed).toHaveLength(3);
    const saved = await api.call<'project.save'>('project.save', {});
    expect(JSON.parse(readFileSync(saved.file, 'utf8')).scenes[0].shots).toHaveLength(before + 1);
    expect((await api.call<'project.list'>('project.list', {}))[0]!.name).toBe('My Film');
  });

  it('rejects bad params and bad commands with the field that is wrong', async () => {
    const { api } = makeApi();
    expect(await rejects(api.call('project.open', { dir: 42 }))).toMatchObject({ code: 'BAD_PARAMS', kind: 'input', path: 'params.dir' });
    expect(await rejects(api.call('nope.nothing', {}))).toMatchObject({ code: 'UNKNOWN_METHOD' });
    expect(await rejects(api.call('project.apply', { commands: { type: 'clip.move', clipId: 'c1', recordStart: 0 } }))).toMatchObject({
      code: 'NO_PROJECT',
    });
    await api.call('project.new', { name: 'X' });
    expect(await rejects(api.call('project.apply', { commands: { type: 'clip.move', clipId: 'c1', recordStart: -5 } }))).toMatchObject({
      code: 'COMMAND_INVALID',
      path: 'recordStart',
    });
  });

  it('refuses to open a project made by a newer Klappe, and never writes it', async () => {
    const { api, dir } = makeApi();
    const project = join(dir, 'from-the-future');
    mkdirSync(project);
    const newer = join(ROOT, 'test', 'fixtures', 'projects', 'v99-newer.klappe');
    copyFileSync(newer, join(project, 'project.klappe'));
    const e = await rejects(api.call('project.open', { dir: project }));
    expect(e).toMatchObject({
      code: 'SCHEMA_TOO_NEW',
      kind: 'input',
      path: 'schemaVersion',
      file: join(project, 'project.klappe'),
      hint: expect.stringMatching(/Update Klappe/),
    });
    expect(e.message).toMatch(/made by a newer Klappe \(schema version 99\); this build reads up to \d+/);
    expect(readFileSync(join(project, 'project.klappe'), 'utf8')).toBe(readFileSync(newer, 'utf8'));
    expect(await rejects(api.call('project.apply', { commands: { type: 'project.update', patch: { name: 'x' } } }))).toMatchObject({
      code: 'NO_PROJECT',
    });
  });

  it('writes a recovery copy shortly after an edit and offers it when the project is reopened', async () => {
    const { api } = makeApi();
    const state = await api.call<'project.new'>('project.new', { name: 'Crashy' });
    await api.call('project.apply', { commands: { type: 'project.update', patch: { name: 'Renamed before the crash' } } });
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(join(state.dir, RECOVERY_FILE))).toBe(true);
    // the studio holds the project: a second session is refused, naming the holder
    expect(() => ProjectSession.open(state.dir, () => {})).toThrow(/is open in another Klappe process: pid \d+/);
    await api.call('project.close', {});
    const reopened = ProjectSession.open(state.dir, () => {});
    expect(reopened.recovery?.doc.name).toBe('Renamed before the crash');
    expect(reopened.doc.name).toBe('Crashy');
    reopened.close();
    const via = await api.call<'project.open'>('project.open', { dir: state.dir });
    expect(via.recovery).toBeDefined();
    const recovered = await api.call<'project.recover'>('project.recover', { accept: true });
    expect(recovered.doc.name).toBe('Renamed before the crash');
    await api.call('project.save', {});
    expect(existsSync(join(state.dir, RECOVERY_FILE))).toBe(false);
  });

  it('never reads secrets back', async () => {
    const { api, dir } = makeApi();
    const view = await api.call<'settings.set'>('settings.set', { patch: { cacheBudgetGb: 5, secrets: { gemini: 'sk-very-secret' } } });
    expect(view.secretsSet).toEqual({ gemini: true, comfyui: false });
    expect(view.cacheBudgetGb).toBe(5);
    expect(JSON.stringify(view)).not.toContain('sk-very-secret');
    expect(JSON.stringify(await api.call('settings.get', {}))).not.toContain('sk-very-secret');
    expect(readFileSync(join(dir, 'config', 'secrets.json'), 'utf8')).toContain('sk-very-secret');
    expect(await rejects(api.call('settings.set', { patch: { secrets: { comfyui: 'ftp://x' } } }))).toMatchObject({
      code: 'BAD_PARAMS',
      path: 'params.patch.secrets.comfyui',
    });
    await api.call('settings.set', { patch: { secrets: { gemini: null } } });
    expect((await api.call<'settings.get'>('settings.get', {})).secretsSet.gemini).toBe(false);
  });

  it('generates a shot through the queue with progress and records the take with a thumbnail', async () => {
    const { api, events } = makeApi();
    await api.call('project.new', { name: 'Gen', template: 'empty' });
    await api.call('project.apply', { commands: { type: 'shot.update', shotId: 'shot-1', patch: { duration: 12 } } });
    const { jobIds } = await api.call<'generate.enqueue'>('generate.enqueue', { shotIds: ['shot-1'], backend: 'slate' });
    expect(jobIds).toHaveLength(1);
    for (let i = 0; i < 600 && !events.some((e) => e.event === 'job.done'); i++) await new Promise((r) => setTimeout(r, 50));
    const done = events.find((e) => e.event === 'job.done')!.data as { status: string; takeId: string };
    expect(done).toMatchObject({ status: 'done' });
    const doc = (await api.call<'project.get'>('project.get', {}))!.doc;
    const take = doc.takes.find((t) => t.id === done.takeId)!;
    expect(take.media.video).toMatch(/^[0-9a-f]{64}$/);
    await expect
      .poll(() => api.call<'project.get'>('project.get', {}).then((st) => st!.doc.takes[0]!.media.thumbnail))
      .toMatch(/^[0-9a-f]{64}$/);
    expect(events.some((e) => e.event === 'job.progress')).toBe(true);
    // Generation is not an undoable edit: undo takes back the duration change only.
    await api.call('project.undo', {});
    const after = (await api.call<'project.get'>('project.get', {}))!.doc;
    expect(after.takes).toHaveLength(1);
    expect(after.scenes[0]!.shots[0]!.duration).toBe(72);
  });

  it('looks for local model packs in the folder of the settings, and a shot asking for a local model says why it fell back', async () => {
    const { api, dir, events } = makeApi();
    expect(await rejects(api.call('settings.set', { patch: { localModelDir: join(dir, 'nowhere') } }))).toMatchObject({
      code: 'NOT_A_FOLDER',
      path: 'params.patch.localModelDir',
    });
    const models = join(dir, 'models');
    mkdirSync(join(models, 'not-a-pack'), { recursive: true });
    const view = await api.call<'settings.set'>('settings.set', { patch: { localModelDir: models } });
    expect(view.localModels).toBe(`no local model pack in ${models} (a pack is a folder with klappe-pack.json)`);
    await api.call('project.new', { name: 'Local', template: 'empty' });
    await api.call('project.apply', { commands: { type: 'shot.update', shotId: 'shot-1', patch: { duration: 6 } } });
    await api.call('generate.enqueue', { shotIds: ['shot-1'], backend: 'local' });
    for (let i = 0; i < 1200 && !events.some((e) => e.event === 'job.done'); i++) await new Promise((r) => setTimeout(r, 50));
    const done = events.find((e) => e.event === 'job.done')!.data as { status: string; takeId: string; fallbackReason?: string };
    expect(done.status).toBe('done');
    expect(done.fallbackReason).toContain(`no local model pack in ${models}`); // the queue panel shows it
    const take = (await api.call<'project.get'>('project.get', {}))!.doc.takes.find((t) => t.id === done.takeId)!;
    expect(take.fallbackReason).toContain(`no local model pack in ${models}`);
  });
});

describe('studio api: dialogue lines', () => {
  const clipOf = (doc: Project, clipId: string) => doc.sequence.tracks.flatMap((t) => t.clips).find((c) => c.id === clipId);
  const lineOf = (doc: Project, lineId: string) => doc.lines.find((l) => l.id === lineId);
  const getDoc = async (api: StudioApi) => (await api.call<'project.get'>('project.get', {}))!.doc;

  it('adds a spoken line, speaks it again, picks a reading, and undoes one gesture at a time', async () => {
    const { api } = makeApi();
    const info = await api.call<'app.info'>('app.info', {});
    expect(info.voices).toEqual(expect.arrayContaining(['slt', 'kal']));
    const state = await api.call<'project.new'>('project.new', { name: 'Lines', template: 'two-scenes' });
    const added = await api.call<'line.add'>('line.add', { characterId: 'mia', text: 'Is this your cup?', at: 24 });
    expect(added.history.undoLabel).toBe('Add line');
    let doc = await getDoc(api);
    const lane = doc.sequence.tracks.find((t) => t.kind === 'dialogue' && t.characterId === 'mia')!;
    expect(lane.clips.map((c) => c.id)).toEqual([added.clipId]);
    const first = clipOf(doc, added.clipId!)!;
    const firstLine = lineOf(doc, added.lineId)!;
    expect(first.recordStart).toBe(24);
    expect(first.lineId).toBe(added.lineId);
    expect(firstLine).toMatchObject({ characterId: 'mia', text: 'Is this your cup?', selectedReadingId: added.readingId });
    expect(firstLine.shotId).toBeUndefined();
    expect(firstLine.readings).toHaveLength(1);
    const firstFile = join(state.dir, doc.media.find((m) => m.id === added.mediaId)!.path);
    const firstBytes = readFileSync(firstFile);

    const again = await api.call<'line.speak'>('line.speak', { lineId: added.lineId, voice: 'kal', rate: 1.3 });
    expect(again.history.undoLabel).toBe('Speak line again');
    expect(again.clipId).toBe(added.clipId);
    doc = await getDoc(api);
    const spoken = lineOf(doc, added.lineId)!;
    expect(spoken.readings.map((t) => [t.voice.voice, t.voice.rate])).toEqual([
      ['slt', 1],
      ['kal', 1.3],
    ]);
    expect(spoken.selectedReadingId).toBe(again.readingId);
    expect(clipOf(doc, added.clipId!)!.source).toEqual({ type: 'media', mediaId: again.mediaId });
    const secondFile = join(state.dir, doc.media.find((m) => m.id === again.mediaId)!.path);
    expect(existsSync(firstFile) && existsSync(secondFile) && secondFile !== firstFile).toBe(true);

    // picking the first reading is an ordinary command
    await api.call('project.apply', {
      commands: { type: 'line.reading.select', lineId: added.lineId, readingId: added.readingId },
      label: 'Pick line reading',
    });
    expect(lineOf(await getDoc(api), added.lineId)!.selectedReadingId).toBe(added.readingId);
    await api.call('project.undo', {});
    // undoing "Speak line again" takes the second reading out of the document; the first is as it was
    await api.call('project.undo', {});
    doc = await getDoc(api);
    expect(clipOf(doc, added.clipId!)).toEqual(first);
    expect(lineOf(doc, added.lineId)).toEqual(firstLine);
    expect(doc.media.some((m) => m.id === again.mediaId)).toBe(false);
    expect(readFileSync(firstFile).equals(firstBytes)).toBe(true);
    // and undoing "Add line" takes the line and the lane it made
    await api.call('project.undo', {});
    doc = await getDoc(api);
    expect(doc.sequence.tracks.some((t) => t.characterId === 'mia')).toBe(false);
    expect(doc.media.some((m) => m.id === added.mediaId)).toBe(false);
    expect(lineOf(doc, added.lineId)).toBeUndefined();
  });

  it('speaks a line with new words; the words follow the reading that plays', async () => {
    const { api } = makeApi();
    await api.call('project.new', { name: 'Words', template: 'two-scenes' });
    const added = await api.call<'line.add'>('line.add', { characterId: 'leo', text: 'Careful!', at: 0 });
    const again = await api.call<'line.speak'>('line.speak', { lineId: added.lineId, text: '  Careful with that cup!  ', pitch: 150 });
    let doc = await getDoc(api);
    let line = lineOf(doc, added.lineId)!;
    expect(line.text).toBe('Careful with that cup!');
    expect(clipOf(doc, added.clipId!)!.name).toBe('Careful with that cup!');
    expect(line.readings.find((t) => t.id === again.readingId)!.voice.pitchHz).toBe(150);
    // pitch null: back to the voice's own pitch
    const third = await api.call<'line.speak'>('line.speak', { lineId: added.lineId, pitch: null });
    line = lineOf(await getDoc(api), added.lineId)!;
    expect(line.readings.find((t) => t.id === third.readingId)!.voice.pitchHz).toBeUndefined();
    await api.call('project.apply', { commands: { type: 'line.reading.select', lineId: added.lineId, readingId: added.readingId } });
    doc = await getDoc(api);
    expect(lineOf(doc, added.lineId)!.text).toBe('Careful!');
    expect(clipOf(doc, added.clipId!)!.name).toBe('Careful!');
  });

  it('names the field of a bad call and changes nothing', async () => {
    const { api } = makeApi();
    expect(await rejects(api.call('line.speak', { lineId: 'line-1' }))).toMatchObject({ code: 'NO_PROJECT' });
    await api.call('project.new', { name: 'Bad', template: 'two-scenes' });
    const added = await api.call<'line.add'>('line.add', { characterId: 'mia', text: 'Hello.' });
    const before = await api.call<'project.get'>('project.get', {});
    expect(await rejects(api.call('line.speak', { lineId: 'nope' }))).toMatchObject({
      code: 'NOT_FOUND',
      kind: 'input',
      path: 'params.lineId',
    });
    expect(await rejects(api.call('line.speak', { lineId: added.lineId, voice: 'hal9000' }))).toMatchObject({
      code: 'UNKNOWN_VOICE',
      path: 'params.voice',
    });
    expect(await rejects(api.call('line.speak', { lineId: added.lineId, rate: 9 }))).toMatchObject({
      code: 'BAD_PARAMS',
      path: 'params.rate',
    });
    expect(await rejects(api.call('line.speak', { lineId: '' }))).toMatchObject({ code: 'BAD_PARAMS', path: 'params.lineId' });
    expect(await rejects(api.call('line.speak', { clipId: added.clipId }))).toMatchObject({ code: 'BAD_PARAMS' });
    expect(await rejects(api.call('line.add', { characterId: 'nobody', text: 'Hi' }))).toMatchObject({
      code: 'NOT_FOUND',
      path: 'params.characterId',
    });
    expect(await rejects(api.call('line.add', { characterId: 'mia', text: '   ' }))).toMatchObject({
      code: 'BAD_PARAMS',
      path: 'params.text',
    });
    expect(await rejects(api.call('line.add', { characterId: 'mia', text: 'Hi', at: -1 }))).toMatchObject({
      code: 'BAD_PARAMS',
      path: 'params.at',
    });
    const after = (await api.call<'project.get'>('project.get', {}))!;
    expect(after.version).toBe(before!.version);
    expect(after.doc).toEqual(before!.doc);
  });

  it('imports an SRT onto a dialogue track as lines in one undo step; a broken SRT names its line and changes nothing', async () => {
    const { api, dir } = makeApi();
    await api.call('project.new', { name: 'Subs', template: 'two-scenes' });
    const good = join(dir, 'lines.srt');
    writeFileSync(good, '1\n00:00:01,000 --> 00:00:02,500\nMIA: Is this yours?\n\n2\n00:00:03,000 --> 00:00:04,000\nLeo: No.\n');
    const r = await api.call<'captions.import'>('captions.import', { trackId: 'd1', path: good });
    expect(r.imported).toBe(2);
    let doc = (await api.call<'project.get'>('project.get', {}))!.doc;
    const lines = doc.sequence.tracks
      .find((t) => t.id === 'd1')!
      .clips.map((c) => ({ at: c.recordStart, who: lineOf(doc, c.lineId!)?.characterId, text: lineOf(doc, c.lineId!)?.text }));
    expect(lines).toEqual([
      { at: 24, who: 'mia', text: 'Is this yours?' },
      { at: 72, who: 'leo', text: 'No.' },
    ]);
    expect(r.history.undoLabel).toBe('Import captions');

    const bad = join(dir, 'bad.srt');
    writeFileSync(bad, '1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:05 -> 6\nbroken\n');
    expect(await rejects(api.call('captions.import', { trackId: 'd1', path: bad }))).toMatchObject({
      code: 'SRT_BAD_TIMING',
      message: expect.stringContaining('bad.srt:6:'),
    });
    expect(await rejects(api.call('captions.import', { trackId: 'm1', path: good }))).toMatchObject({
      code: 'WRONG_TRACK_KIND',
      path: 'params.trackId',
    });
    doc = (await api.call<'project.get'>('project.get', {}))!.doc;
    expect(doc.sequence.tracks.find((t) => t.id === 'd1')!.clips).toHaveLength(2);
    await api.call('project.undo', {});
    expect((await api.call<'project.get'>('project.get', {}))!.doc.sequence.tracks.find((t) => t.id === 'd1')!.clips).toHaveLength(0);
  });
});
