/**
 * The recovery copy is written off the event loop (fsync on libuv's threads)
 * and in order: flushes of quick edits leave the newest document on disk, a
 * save while a write is in flight leaves no recovery copy and no temp file,
 * and close() writes what is still pending at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectSession, RECOVERY_FILE } from '../../engine/api/project-session.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { tempDir } from '../support/env.js';

const t = tempDir('klappe-recovery-');
afterAll(() => t.cleanup());

function open(name: string) {
  const dir = join(t.dir, name);
  createProjectFromTemplate(dir, 'two-scenes', name);
  const session = ProjectSession.open(dir, () => {}, { autosaveDelayMs: 60_000 });
  const rename = (to: string) => session.apply({ type: 'project.update', patch: { name: to } });
  const recovered = () => JSON.parse(readFileSync(join(dir, RECOVERY_FILE), 'utf8')).doc.name as string;
  const temps = () => readdirSync(dir).filter((f) => f.includes('.tmp-'));
  return { dir, session, rename, recovered, temps };
}

describe('recovery writes', () => {
  it('quick edits flushed together leave the newest document, and no temp files', async () => {
    const p = open('quick');
    const flushes: Promise<void>[] = [];
    for (let i = 1; i <= 12; i++) {
      p.rename(`Edit ${i}`);
      flushes.push(p.session.flushAutosave());
    }
    await Promise.all(flushes);
    expect(p.recovered()).toBe('Edit 12');
    expect(p.temps()).toEqual([]);
    p.session.close();
  });

  it('a save while a write is in flight leaves no recovery copy behind', async () => {
    const p = open('save');
    p.rename('Before the save');
    const flushing = p.session.flushAutosave();
    await new Promise((r) => setImmediate(r)); // the write has begun: its temp file is open
    p.session.save();
    await flushing;
    expect(existsSync(join(p.dir, RECOVERY_FILE))).toBe(false);
    expect(p.temps()).toEqual([]);
    p.session.close();
  });

  it('close writes a pending edit at once, over a write still in flight', async () => {
    const p = open('close');
    p.rename('First');
    const flushing = p.session.flushAutosave();
    await new Promise((r) => setImmediate(r));
    p.rename('Last');
    p.session.close();
    expect(p.recovered()).toBe('Last');
    await flushing;
    expect(p.recovered()).toBe('Last');
    expect(p.temps()).toEqual([]);
  });
});
