/**
 * The studio's words and small promises (issue 13, "What was found" 8): an
 * open error in the studio's own words, the folder a repeated project name
 * gets said before anything is made, the guided first film remembered in the
 * settings, queue jobs named by their shot (number and name, live), jobs of a
 * deleted shot cancelled and marked, and plain words for a duration of 0 or a
 * lens of −5 mm.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../engine/api/contract.js';
import { LIMITS, numberProblem } from '../../engine/common/field-limits.js';
import { shotTitle } from '../../engine/common/shot-title.js';
import { openTestStudio, rejects } from '../support/studio-api.js';

const makeApi = () => openTestStudio('klappe-polish-');

describe('studio polish', () => {
  it('says which folder a repeated project name gets before creating it', async () => {
    const { api, dir } = makeApi();
    const first = await api.call<'project.folder'>('project.folder', { name: 'The Last Train' });
    expect(first).toEqual({ dir: join(dir, 'projects', 'the-last-train') });
    const made = await api.call<'project.new'>('project.new', { name: 'The Last Train', template: 'empty', dir: first.dir });
    expect(made.dir).toBe(first.dir);
    const again = await api.call<'project.folder'>('project.folder', { name: 'The Last Train' });
    expect(again).toEqual({ dir: join(dir, 'projects', 'the-last-train-2'), taken: join(dir, 'projects', 'the-last-train') });
  });

  it('an open error speaks to the studio user: no command line to run', async () => {
    const { api, dir } = makeApi();
    const empty = join(dir, 'not-a-project');
    mkdirSync(empty);
    const e = await rejects(api.call('project.open', { dir: empty }));
    expect(e).toMatchObject({ code: 'PROJECT_NOT_FOUND', path: 'params.dir', message: `There is no Klappe project in ${empty}` });
    expect(String(e.hint)).not.toMatch(/klappe new/);
    expect(String(e.hint)).toMatch(/Create a project here/);
  });

  it('remembers that the guided first film was skipped (settings.json), and it stays skipped', async () => {
    const { api, config, settings } = makeApi();
    expect((await api.call<'settings.get'>('settings.get', {})).firstFilm).toBe('new');
    await api.call('settings.set', { patch: { firstFilm: 'skipped' } });
    expect(JSON.parse(readFileSync(join(config, 'settings.json'), 'utf8')).firstFilm).toBe('skipped');
    expect(settings().view().firstFilm).toBe('skipped');
    await api.call('settings.set', { patch: { creatorName: 'R. Director' } });
    expect(settings().view().firstFilm).toBe('skipped');
    expect(await rejects(api.call('settings.set', { patch: { firstFilm: 'maybe' } }))).toMatchObject({
      code: 'BAD_PARAMS',
      path: 'params.patch.firstFilm',
    });
  });

  it('names each job by its own shot, and cancels and marks the jobs of a deleted shot', async () => {
    const { api } = makeApi();
    await api.call('project.new', { name: 'Queue', template: 'empty' });
    await api.call('project.apply', {
      commands: [
        { type: 'character.add', character: { id: 'leo', name: 'Leo' } },
        { type: 'shot.update', shotId: 'shot-1', patch: { name: 'Wide of the kitchen', duration: 24 } },
        { type: 'shot.add', sceneId: 'scene-1', shot: { id: 'shot-b', duration: 24 } },
        { type: 'shot.add', sceneId: 'scene-1', shot: { id: 'shot-c', duration: 24, name: 'Close-up of Leo' } },
      ],
    });
    // the previz runs one job at a time: the later ones wait
    await api.call('generate.enqueue', { backend: 'previz' });
    const jobs = () => api.call<'generate.list'>('generate.list', {});
    const byShot = (list: JobInfo[], id: string) => list.find((j) => j.shotId === id)!;
    const listed = await jobs();
    expect(listed.map((j) => j.shotTitle).sort()).toEqual(['Shot 1/1 · Wide of the kitchen', 'Shot 1/2', 'Shot 1/3 · Close-up of Leo']);
    const waiting = byShot(listed, 'shot-c');
    expect(waiting.status).toBe('queued');
    await api.call('project.apply', { commands: { type: 'shot.remove', shotId: 'shot-c' } });
    const after = byShot(await jobs(), 'shot-c');
    expect(after).toMatchObject({ status: 'cancelled', shotDeleted: true, shotTitle: 'Shot 1/3 · Close-up of Leo', shotNumber: '1/3' });
    // the other shots' jobs go on
    expect(byShot(await jobs(), 'shot-b').status).not.toBe('cancelled');
    for (const j of await jobs()) if (j.status === 'queued' || j.status === 'running') await api.call('generate.cancel', { jobId: j.id });
  });

  it('a shot is titled by its name, else by its framing, never by an id', () => {
    const names = (id: string) => ({ leo: 'Leo', mia: 'Mia' })[id];
    expect(shotTitle('2', { number: '3', name: '', framing: { size: 'close-up', subjectId: 'leo' } }, names)).toBe(
      'Shot 2/3 · Close-up of Leo',
    );
    expect(shotTitle('1', { number: '2', name: '', framing: { size: 'over-the-shoulder', subjectId: 'mia', overId: 'leo' } }, names)).toBe(
      'Shot 1/2 · Over-the-shoulder on Mia, over Leo',
    );
    expect(shotTitle('1', { number: '1', name: 'Arrival' }, names)).toBe('Shot 1/1 · Arrival');
    expect(shotTitle('1', { number: '4', name: '' }, names)).toBe('Shot 1/4');
  });

  it('says what is wrong with a duration of 0 or a lens of −5 mm, in the fields and from the api', async () => {
    expect(numberProblem(LIMITS.shotDuration, 0)).toBe('Duration must be at least 1 frame');
    expect(numberProblem(LIMITS.shotDuration, 2.5)).toBe('Duration must be a whole number of frames');
    expect(numberProblem(LIMITS.shotDuration, 96)).toBeUndefined();
    expect(numberProblem(LIMITS.lens, -5)).toBe('Lens must be between 8 and 300 mm');
    expect(numberProblem(LIMITS.lens, 400)).toBe('Lens must be between 8 and 300 mm');
    expect(numberProblem(LIMITS.lens, 35)).toBeUndefined();
    const { api } = makeApi();
    await api.call('project.new', { name: 'Limits', template: 'empty' });
    const dur = await rejects(api.call('project.apply', { commands: { type: 'shot.update', shotId: 'shot-1', patch: { duration: 0 } } }));
    expect(String(dur.message)).toContain('Duration must be at least 1 frame');
    const cam = { position: [0, 1.6, 5], target: [0, 1.2, 0], lensMm: -5 };
    const lens = await rejects(api.call('project.apply', { commands: { type: 'shot.update', shotId: 'shot-1', patch: { camera: cam } } }));
    expect(String(lens.message)).toContain('Lens must be between 8 and 300 mm');
    // nothing changed
    const doc = (await api.call<'project.get'>('project.get', {}))!.doc;
    expect(doc.scenes[0]!.shots[0]).toMatchObject({ duration: 72, camera: { lensMm: 35 } });
  });
});
