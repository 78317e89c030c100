import { copyFileSync, existsSync, readFileSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isKlappeError, type KlappeError } from '../../engine/common/errors.js';
import { loadProject } from '../../engine/model/project-file.js';
import { SCHEMA_VERSION } from '../../engine/model/schema.js';
import { saveProject } from '../support/write-project.js';
import { ROOT, tempDir } from '../support/env.js';

const SAMPLE = join(ROOT, 'assets', 'templates', 'two-scenes', 'project.klappe');
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function projectWith(mutate: (json: any) => unknown, raw?: string): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const json = JSON.parse(readFileSync(SAMPLE, 'utf8'));
  const result = mutate(json) ?? json;
  writeFileSync(join(t.dir, 'project.klappe'), raw ?? JSON.stringify(result, null, 2));
  return t.dir;
}

function loadError(dir: string): KlappeError {
  try {
    loadProject(dir);
  } catch (e) {
    if (isKlappeError(e)) return e;
    throw e;
  }
  throw new Error('expected the load to fail');
}

describe('project file', () => {
  it('loads the sample project', () => {
    const { doc, migratedFrom } = loadProject(join(ROOT, 'assets', 'templates', 'two-scenes'));
    expect(doc.scenes).toHaveLength(2);
    expect(doc.scenes.flatMap((s) => s.shots)).toHaveLength(5);
    expect(doc.characters.map((c) => c.name)).toEqual(['Mia', 'Leo']);
    expect(migratedFrom).toBe(SCHEMA_VERSION);
  });

  it('names file and JSON path of a wrong type deep inside', () => {
    const dir = projectWith((j) => {
      j.scenes[1].shots[0].camera.lensMm = 'wide';
    });
    const e = loadError(dir);
    expect(e.kind).toBe('input');
    expect(e.file).toBe(join(dir, 'project.klappe'));
    expect(e.path).toBe('scenes[1].shots[0].camera.lensMm');
    expect(e.message).toContain('scenes[1].shots[0].camera.lensMm');
    expect(e.message).toMatch(/expected number/);
    expect(e.message).toContain('"wide"');
  });

  it('reports every problem, not just the first', () => {
    const dir = projectWith((j) => {
      j.scenes[0].shots[0].duration = -1;
      j.sequence.width = 1279;
    });
    const e = loadError(dir);
    expect(e.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['scenes[0].shots[0].duration', 'sequence.width']));
  });

  it('catches references to things that do not exist', () => {
    const dir = projectWith((j) => {
      j.sequence.tracks[0].clips[2].source.shotId = 'nope';
    });
    const e = loadError(dir);
    expect(e.path).toBe('sequence.tracks[0].clips[2].source.shotId');
    expect(e.message).toContain('unknown shot "nope"');
  });

  it('rejects a schemaVersion from a newer Klappe', () => {
    const dir = projectWith((j) => {
      j.schemaVersion = 99;
    });
    const e = loadError(dir);
    expect(e.code).toBe('SCHEMA_TOO_NEW');
    expect(e.path).toBe('schemaVersion');
    expect(e.file).toBe(join(dir, 'project.klappe'));
    expect(e.message).toMatch(/made by a newer Klappe \(schema version 99\); this build reads up to \d+/);
    expect(e.hint).toMatch(/Update Klappe/);
  });

  it('reports invalid JSON with line and column', () => {
    const e = loadError(projectWith(() => undefined, '{\n  "schemaVersion": 2,\n  "name": oops\n}'));
    expect(e.code).toBe('PROJECT_BAD_JSON');
    expect(e.message).toMatch(/project\.klappe:3:\d+: invalid JSON/);
  });

  it('migrates a version-1 file (float seconds) to frames at a rational rate', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    copyFileSync(join(ROOT, 'test', 'fixtures', 'projects', 'v1-short.klappe'), join(t.dir, 'project.klappe'));
    const { doc, migratedFrom } = loadProject(t.dir);
    expect(migratedFrom).toBe(1);
    expect(doc.schemaVersion).toBe(SCHEMA_VERSION);
    expect(doc.sequence.rate).toEqual({ num: 30000, den: 1001 });
    const [sh1, sh2] = doc.scenes[0]!.shots;
    expect(sh1!.duration).toBe(75); // 2.5 s × 29.97
    expect(sh2!.sceneStart).toBe(75);
    expect(doc.lines).toEqual([{ id: 'l1', characterId: 'ann', text: 'Hello?', shotId: 'sh1', start: 15, readings: [] }]);
    expect(doc.characters[0]!.voice).toMatchObject({ engine: 'flite', voice: 'awb' });
    expect(doc.sequence.tracks[0]!.clips[1]).toMatchObject({
      recordStart: 75,
      duration: 45,
      gainDb: -3,
      source: { type: 'shot', shotId: 'sh2' },
    });
    // saving writes the current version
    saveProject(t.dir, doc);
    expect(JSON.parse(readFileSync(join(t.dir, 'project.klappe'), 'utf8')).schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('saves atomically and keeps the previous version as a backup', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { doc } = loadProject(SAMPLE);
    saveProject(t.dir, doc);
    const first = readFileSync(join(t.dir, 'project.klappe'), 'utf8');
    saveProject(t.dir, { ...doc, name: 'Renamed' });
    expect(readFileSync(join(t.dir, 'project.klappe.bak'), 'utf8')).toBe(first);
    expect(loadProject(t.dir).doc.name).toBe('Renamed');
  });

  it('a save that fails validation changes nothing on disk', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { doc } = loadProject(SAMPLE);
    saveProject(t.dir, doc);
    const before = readFileSync(join(t.dir, 'project.klappe'), 'utf8');
    expect(() => saveProject(t.dir, { ...doc, sequence: { ...doc.sequence, width: 3 } })).toThrow(/sequence.width/);
    expect(readFileSync(join(t.dir, 'project.klappe'), 'utf8')).toBe(before);
  });

  it('a save into a read-only folder fails and leaves the old file intact', () => {
    if (process.getuid?.() === 0) return; // root can write anywhere; the atomic rename is covered above
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { doc } = loadProject(SAMPLE);
    mkdirSync(join(t.dir, 'p'));
    saveProject(join(t.dir, 'p'), doc);
    chmodSync(join(t.dir, 'p'), 0o500);
    expect(() => saveProject(join(t.dir, 'p'), { ...doc, name: 'x' })).toThrow();
    expect(loadProject(join(t.dir, 'p')).doc.name).toBe(doc.name);
    expect(existsSync(join(t.dir, 'p', 'project.klappe'))).toBe(true);
  });
});
