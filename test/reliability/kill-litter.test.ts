/**
 * Issue 19, finding 3: what a kill leaves is swept on the next start (work
 * folders under the data folder, `.project.klappe.tmp-*` files), the backup
 * is written atomically, and upload staging lives under the data folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectSession } from '../../engine/api/project-session.js';
import { UploadStaging } from '../../engine/api/uploads.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { makeWorkDir, sweepWorkDirs, workRoot } from '../../engine/util/work-dir.js';
import { runCli, tempDir } from '../support/env.js';
import { Readable } from 'node:stream';

const t = tempDir('klappe-litter-');
afterAll(() => t.cleanup());
const DEAD_PID = 2 ** 22 + 12345; // above pid_max's default: no such process

describe('litter after kills', () => {
  it('a later start sweeps the work folders of dead processes and keeps its own and live ones', async () => {
    mkdirSync(workRoot(), { recursive: true });
    const dead = join(workRoot(), `klappe-wm-${DEAD_PID}-abc123`);
    mkdirSync(dead);
    writeFileSync(join(dead, 'frames.rgb'), Buffer.alloc(1024));
    const mine = makeWorkDir('klappe-wm');
    expect(sweepWorkDirs()).toEqual([`klappe-wm-${DEAD_PID}-abc123`]);
    expect(existsSync(mine)).toBe(true);
    mkdirSync(dead);
    // any CLI start sweeps too
    const r = await runCli(['--help']);
    expect(r.status).toBe(0);
    expect(existsSync(dead)).toBe(false);
  });

  it('opening a project sweeps temp files that a kill during a save left; the backup is a whole file', () => {
    const dir = join(t.dir, 'film');
    createProjectFromTemplate(dir, 'two-scenes', 'Litter');
    const stale = join(dir, `.project.klappe.tmp-${DEAD_PID}-m0abc`);
    writeFileSync(stale, '{"trunc');
    const staleBak = join(dir, `.project.klappe.bak.tmp-${DEAD_PID}-m0abd`);
    writeFileSync(staleBak, '{"trunc');
    const session = ProjectSession.open(dir, () => {});
    try {
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(staleBak)).toBe(false);
      session.apply({ type: 'project.update', patch: { name: 'Saved twice' } });
      session.save();
      session.save();
    } finally {
      session.close();
    }
    expect(JSON.parse(readFileSync(join(dir, 'project.klappe.bak'), 'utf8')).name).toBe('Saved twice');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('stages uploads under the data folder; "..", "." and "" become a plain name', async () => {
    const staging = new UploadStaging();
    try {
      for (const name of ['..', '.', '...', '/']) {
        const id = await staging.add(name, Readable.from([Buffer.from('RIFF')]));
        const staged = staging.take(id);
        expect(staged.name).toBe('upload');
        expect(staged.path.startsWith(workRoot())).toBe(true);
        expect(readFileSync(staged.path, 'utf8')).toBe('RIFF');
        staged.done();
      }
    } finally {
      staging.cleanup();
    }
  });
});
