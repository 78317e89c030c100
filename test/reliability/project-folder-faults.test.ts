/**
 * Issue 19 fault harness: a read-only project folder, and a project file
 * changed by another program while it is open in the studio.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { tempDir } from '../support/env.js';
import { openTestStudio, rejects } from '../support/studio-api.js';
import { eventLog, litterUnder } from '../support/fault-checks.js';
import { callApi, connectApi, startHost } from '../support/host-process.js';

const t = tempDir('klappe-folder-');
afterAll(() => t.cleanup());
afterEach(() => {
  delete process.env.KLAPPE_FAULT_WRITES;
});

/**
 * Makes `dir` read-only the way this machine allows: chmod 0555 (not as
 * root: root writes anyway), else a read-only bind mount (root), else an
 * injected EROFS at the write layer. Returns how, and the undo.
 */
function makeReadOnly(dir: string): { how: string; undo: () => void } {
  chmodSync(dir, 0o555);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return { how: 'chmod 0555', undo: () => chmodSync(dir, 0o755) };
  }
  chmodSync(dir, 0o755);
  try {
    execFileSync('mount', ['--bind', dir, dir], { stdio: 'pipe' });
    try {
      execFileSync('mount', ['-o', 'remount,bind,ro', dir], { stdio: 'pipe' });
      return { how: 'a read-only bind mount (running as root: chmod does not stop root)', undo: () => execFileSync('umount', [dir]) };
    } catch {
      execFileSync('umount', [dir]);
    }
  } catch {
    /* no mounts here */
  }
  process.env.KLAPPE_FAULT_WRITES = `EROFS:${dir}`;
  return { how: 'an injected EROFS (root, and no mount allowed)', undo: () => delete process.env.KLAPPE_FAULT_WRITES };
}

describe('a read-only project folder', () => {
  it('opening says clearly that it cannot be edited; a folder that turns read-only keeps the edits in memory and saves once writable', async () => {
    const { api, dir } = openTestStudio('klappe-ro-');
    try {
      // opening a project in a read-only folder
      const locked = join(dir, 'locked-film');
      createProjectFromTemplate(locked, 'two-scenes', 'Read only');
      const ro = makeReadOnly(locked);
      console.log(`read-only folder made with ${ro.how}`);
      try {
        const opened = await rejects(api.call('project.open', { dir: locked }));
        expect(opened).toMatchObject({ code: 'READ_ONLY', file: join(locked, '.project.klappe.lock') });
        expect(String(opened.hint)).toMatch(/writable/);
        expect(readdirSync(locked).sort()).toEqual(['project.klappe']);
      } finally {
        ro.undo();
      }

      // a folder that turns read-only while the project is open
      const film = join(dir, 'film');
      createProjectFromTemplate(film, 'two-scenes', 'Open');
      await api.call('project.open', { dir: film });
      const saved = readFileSync(join(film, 'project.klappe'));
      const later = makeReadOnly(film);
      try {
        const edit = await rejects(
          api.call('project.apply', { commands: { type: 'project.update', patch: { name: 'Edited read-only' } } }),
        );
        expect(edit).toMatchObject({ code: 'READ_ONLY', file: join(film, '.project.klappe.recovery') });
        expect((await api.call<'project.get'>('project.get', {}))!.doc.name).toBe('Edited read-only');
        const save = await rejects(api.call('project.save', {}));
        expect(save).toMatchObject({ code: 'READ_ONLY' });
        expect(String(save.file)).toMatch(/project\.klappe(\.bak)?$/);
        expect(readFileSync(join(film, 'project.klappe'))).toEqual(saved);
      } finally {
        later.undo();
      }
      await api.call('project.save', {});
      expect(JSON.parse(readFileSync(join(film, 'project.klappe'), 'utf8')).name).toBe('Edited read-only');
      expect(litterUnder(film)).toEqual([]);
    } finally {
      await api.shutdown();
    }
  });
});

describe('a project file changed by another program while open', () => {
  it('the host tells the client; save does not overwrite it unless asked; reload takes the other version', async () => {
    const project = join(t.dir, 'shared-film');
    createProjectFromTemplate(project, 'two-scenes', 'Mine');
    const file = join(project, 'project.klappe');
    const data = join(t.dir, 'host-data');
    mkdirSync(data, { recursive: true });
    const host = await startHost(join(t.dir, 'host'), { project, env: { KLAPPE_DATA_DIR: data } });
    const ws = await connectApi(host.port, host.token);
    const events = eventLog(ws);
    const otherProgram = (name: string) => {
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      doc.name = name;
      writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    };
    const told = async (n: number) => {
      for (let i = 0; i < 200 && events.filter((e) => e.event === 'project.changedOnDisk').length < n; i++)
        await new Promise((r) => setTimeout(r, 50));
      return events.filter((e) => e.event === 'project.changedOnDisk');
    };
    try {
      expect((await callApi(ws, 'project.apply', { commands: { type: 'project.update', patch: { name: 'My edit' } } })).ok).toBe(true);
      // a save of our own is not a change by another program
      expect((await callApi(ws, 'project.save')).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 1200));
      expect(events.filter((e) => e.event === 'project.changedOnDisk')).toEqual([]);

      // another program writes the file: the client hears of it, save refuses, reload takes theirs
      await callApi(ws, 'project.apply', { commands: { type: 'project.update', patch: { name: 'My second edit' } } });
      otherProgram('Their edit');
      expect((await told(1))[0]!.data).toMatchObject({ file });
      const refused = await callApi(ws, 'project.save');
      expect(refused.ok).toBe(false);
      expect(refused.error).toMatchObject({ code: 'PROJECT_CHANGED_ON_DISK', file });
      expect(refused.error.hint).toMatch(/Reload.*overwrite/);
      expect(JSON.parse(readFileSync(file, 'utf8')).name).toBe('Their edit');
      const reloaded = await callApi(ws, 'project.reload');
      expect(reloaded.result).toMatchObject({ dirty: false, doc: { name: 'Their edit' } });
      expect((await callApi(ws, 'project.save')).ok).toBe(true);

      // again, and this time keep mine: an explicit overwrite
      await callApi(ws, 'project.apply', { commands: { type: 'project.update', patch: { name: 'Mine after all' } } });
      otherProgram('Their second edit');
      await told(2);
      expect((await callApi(ws, 'project.save')).error).toMatchObject({ code: 'PROJECT_CHANGED_ON_DISK' });
      expect((await callApi(ws, 'project.save', { overwrite: true })).ok).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8')).name).toBe('Mine after all');
      expect(JSON.parse(readFileSync(`${file}.bak`, 'utf8')).name).toBe('Their second edit'); // theirs kept as the backup
    } finally {
      ws.terminate();
      await host.stop();
    }
  });
});
