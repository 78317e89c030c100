/**
 * Issue 19, finding 2: absurd timing values are refused (exit 2 naming the
 * field), `klappe info` never prints Infinity or NaN, and an export checks
 * the free space for its temp data first.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../engine/model/project-file.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { MAX_FRAMES, SCHEMA_VERSION } from '../../engine/model/schema.js';
import { requireFreeSpace } from '../../engine/util/work-dir.js';
import { runCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-bounds-');
afterAll(() => t.cleanup());

let n = 0;
function projectWith(edit: (doc: any) => void): string {
  const dir = join(t.dir, `p${n++}`);
  createProjectFromTemplate(dir, 'two-scenes', 'Bounds');
  const file = join(dir, 'project.klappe');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  edit(doc);
  writeFileSync(file, JSON.stringify(doc));
  return dir;
}

describe('bounded time', () => {
  it.each([
    [
      'a clip at frame 2**50',
      (d: any) => {
        d.sequence.tracks[0].clips[0].recordStart = 2 ** 50;
      },
      'sequence.tracks[0].clips[0].recordStart',
    ],
    [
      'a rate of 1/2**31',
      (d: any) => {
        d.sequence.rate = { num: 1, den: 2 ** 31 };
      },
      'sequence.rate.den',
    ],
    [
      'a rate of 2**31/1',
      (d: any) => {
        d.sequence.rate = { num: 2 ** 31, den: 1 };
      },
      'sequence.rate.num',
    ],
    [
      'a rate under 1 fps',
      (d: any) => {
        d.sequence.rate = { num: 1, den: 2 };
      },
      'sequence.rate',
    ],
    [
      'a rate over 240 fps',
      (d: any) => {
        d.sequence.rate = { num: 1000, den: 1 };
      },
      'sequence.rate',
    ],
    [
      'a shot longer than 24 hours at 24 fps',
      (d: any) => {
        d.scenes[0].shots[0].duration = 24 * 3600 * 24 + 1;
      },
      'scenes[0].shots[0].duration',
    ],
    [
      'a fade of 2**40 samples',
      (d: any) => {
        d.sequence.tracks[0].clips[0].fadeInSamples = 2 ** 40;
      },
      'sequence.tracks[0].clips[0].fadeInSamples',
    ],
  ])('%s: klappe info exits 2 naming the field', async (_what, edit, path) => {
    const dir = projectWith(edit);
    const r = await runCli(['info', dir, '--json']);
    expect(r.status, r.stderr).toBe(2);
    const error = JSON.parse(r.stdout).error;
    expect(error).toMatchObject({ code: 'PROJECT_INVALID', path });
    expect(r.stderr + r.stdout).not.toMatch(/Infinity|NaN|at .*\.ts:\d+/);
  });

  it('accepts 24000/1001 and 240 fps; the largest frame position validates', () => {
    const base = JSON.parse(
      readFileSync(
        join(
          projectWith(() => {}),
          'project.klappe',
        ),
        'utf8',
      ),
    );
    expect(base.schemaVersion).toBe(SCHEMA_VERSION);
    expect(() => validateProject({ ...base, sequence: { ...base.sequence, rate: { num: 24000, den: 1001 } } })).not.toThrow();
    expect(() => validateProject({ ...base, sequence: { ...base.sequence, rate: { num: 240, den: 1 } } })).not.toThrow();
    expect(MAX_FRAMES).toBe(24 * 3600 * 240);
  });

  it('klappe info prints a finite duration', async () => {
    const r = await runCli(['info', projectWith(() => {})]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/frames \(\d\d:\d\d:\d\d[:;]\d\d\)/);
    expect(r.stdout).not.toMatch(/Infinity|NaN/);
  });

  it('refuses temp data that does not fit on the disk, naming the folder and the sizes', () => {
    expect(() => requireFreeSpace(t.dir, Number.MAX_SAFE_INTEGER, 'the invisible watermark frames')).toThrow(
      /not enough free space .* for the invisible watermark frames/,
    );
    expect(() => requireFreeSpace(t.dir, 1024, 'a little')).not.toThrow();
  });
});
