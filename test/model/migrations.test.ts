/**
 * Older documents upgrade to the current version without losing a word, a
 * reading or a timing; a document of a newer version is refused on open and
 * never saved over; what is saved loads back with every field.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isKlappeError, type KlappeError } from '../../engine/common/errors.js';
import { buildShotRequest, cacheKey } from '../../engine/generate/shot-request.js';
import { checkIntegrity } from '../../engine/model/integrity.js';
import { clipOfLine, linesOfShot } from '../../engine/model/lines.js';
import { loadProject, parseProject } from '../../engine/model/project-file.js';
import { saveProject } from '../support/write-project.js';
import { ProjectSchema, SCHEMA_VERSION, type Project } from '../../engine/model/schema.js';
import { ROOT, runCli, tempDir } from '../support/env.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'projects');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function projectDir(name: string): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  copyFileSync(join(FIXTURES, name), join(t.dir, 'project.klappe'));
  return t.dir;
}

/** Every id a clip or a line names resolves, and a line is played by one clip at most. */
function expectLinked(doc: Project): void {
  expect(checkIntegrity(doc)).toEqual([]);
  for (const clip of doc.sequence.tracks.flatMap((t) => t.clips)) {
    if (clip.lineId === undefined) continue;
    expect(doc.lines.some((l) => l.id === clip.lineId)).toBe(true);
    expect(clipOfLine(doc, clip.lineId)!.clip.id).toBe(clip.id);
  }
}

/** Every string said anywhere in a version-2 document: shot dialogue, clip lines and their readings. */
function wordsOfV2(v2: any): string[] {
  const shots = v2.scenes.flatMap((s: any) => s.shots).flatMap((sh: any) => (sh.dialogue ?? []).map((l: any) => l.text));
  const clips = v2.sequence.tracks.flatMap((t: any) => t.clips).filter((c: any) => c.line);
  return [...shots, ...clips.map((c: any) => c.line.text), ...clips.flatMap((c: any) => (c.line.takes ?? []).map((r: any) => r.text))];
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

describe('migrations', () => {
  it('v1 → v3: float seconds become frames, shot dialogue becomes line entities naming their shot', () => {
    const { doc, migratedFrom } = parseProject(fixture('v1-short.klappe'));
    expect(migratedFrom).toBe(1);
    expect(doc.schemaVersion).toBe(SCHEMA_VERSION);
    expect(doc.lines).toEqual([{ id: 'l1', characterId: 'ann', text: 'Hello?', shotId: 'sh1', start: 15, readings: [] }]);
    expect(linesOfShot(doc, 'sh1').map((l) => l.text)).toEqual(['Hello?']);
    expect(linesOfShot(doc, 'sh2')).toEqual([]);
    expectLinked(doc);
  });

  it('v2 → v3: shot dialogue and lane clip lines become line entities; no words, readings or timings lost', () => {
    const v2 = JSON.parse(fixture('v2-lines.klappe'));
    const { doc, migratedFrom } = parseProject(fixture('v2-lines.klappe'));
    expect(migratedFrom).toBe(2);
    expectLinked(doc);

    // every word is still said by a line or one of its readings
    const said = new Set(doc.lines.flatMap((l) => [l.text, ...l.readings.map((r) => r.text)]));
    for (const w of wordsOfV2(v2)) expect(said, w).toContain(w);

    // shot lines keep their ids, order and starts, and name their shot
    expect(linesOfShot(doc, 'sh1').map((l) => [l.id, l.characterId, l.text, l.start])).toEqual([
      ['l1', 'mia', 'Is this your cup?', 12],
      ['l2', 'leo', 'No.', undefined],
    ]);
    expect(linesOfShot(doc, 'sh2').map((l) => l.id)).toEqual(['l3']);

    // a clip line that named a shot line with the same words is that line's clip; one with other words is a line of its own
    const clip = (id: string) => doc.sequence.tracks.flatMap((t) => t.clips).find((c) => c.id === id)!;
    expect(clip('lc2').lineId).toBe('l1');
    const nope = doc.lines.find((l) => l.id === clip('lc3').lineId)!;
    expect(nope).toMatchObject({ characterId: 'leo', text: 'Nope.', readings: [] });
    expect(nope.shotId).toBeUndefined();
    expect(doc.lines.find((l) => l.id === 'l2')!.text).toBe('No.');

    // readings move to the line with their ids, voices, words and selection; the prop's id is not reused
    const spoken = doc.lines.find((l) => l.id === clip('lc1').lineId)!;
    expect(spoken.id).toBe('lc1-line-2');
    const oldLine = v2.sequence.tracks[1].clips[0].line;
    expect(spoken).toEqual({
      id: 'lc1-line-2',
      characterId: 'mia',
      text: 'Over there!',
      readings: oldLine.takes,
      selectedReadingId: 'lc1-r2',
    });

    // clip timings, sources and audio edits are as they were
    for (const old of v2.sequence.tracks.flatMap((t: any) => t.clips)) {
      const { line: _line, ...rest } = old;
      expect(clip(old.id)).toMatchObject(rest);
    }
    // fields version-2 builds wrote already carry over
    expect(doc.scenes[0]!.shots[1]).toMatchObject({ negativePrompt: 'blurry faces', backend: 'previz' });
    expect(doc.characters[1]!.voice.pitchHz).toBe(120);
    // no shot keeps a dialogue list, no clip a line of its own
    expect(doc.scenes.flatMap((sc) => sc.shots).some((sh) => 'dialogue' in sh)).toBe(false);
    expect(doc.sequence.tracks.flatMap((t) => t.clips).some((c) => 'line' in c)).toBe(false);
  });

  it('v2 → v3 keeps cache keys: a migrated shot asks for what it asked before (its jobs and cached takes stay valid)', () => {
    const { doc } = parseProject(fixture('v2-lines.klappe'));
    const key = (shotId: string) => cacheKey({ id: 'previz', version: '1' }, buildShotRequest(doc, shotId));
    // computed by the version-2 build (commit 858bfb2) on this very file
    expect(key('sh1')).toBe('deb392929ada20f9e4e8e2348e04a0fa06158c69e40d1413d83c5fb9cb3353d5');
    expect(key('sh2')).toBe('84e10f6fb59a884bd000d7651f622bed2b6149b920440cce5d37cdb362422928');
  });

  it('save → load keeps every field, and the file holds nothing the schema would drop', () => {
    const dir = projectDir('v2-lines.klappe');
    const { doc } = loadProject(dir);
    saveProject(dir, doc);
    const text = readFileSync(join(dir, 'project.klappe'), 'utf8');
    const raw = JSON.parse(text);
    expect(raw.schemaVersion).toBe(SCHEMA_VERSION);
    expect(ProjectSchema.parse(raw)).toEqual(raw);
    const again = loadProject(dir);
    expect(again.migratedFrom).toBe(SCHEMA_VERSION);
    expect(again.doc).toEqual(doc);
    saveProject(dir, again.doc);
    expect(readFileSync(join(dir, 'project.klappe'), 'utf8')).toBe(text);
  });

  it('the templates are current-version documents', () => {
    for (const name of ['two-scenes', 'empty']) {
      const loaded = loadProject(join(ROOT, 'assets', 'templates', name));
      expect(loaded.migratedFrom, name).toBe(SCHEMA_VERSION);
    }
  });
});

describe('a file from a newer Klappe', () => {
  const newer = 'v99-newer.klappe';

  it('is refused on open with code, file, path and a hint to update', () => {
    const dir = projectDir(newer);
    const e = loadError(dir);
    expect(e).toMatchObject({ code: 'SCHEMA_TOO_NEW', kind: 'input', file: join(dir, 'project.klappe'), path: 'schemaVersion' });
    expect(e.message).toBe(
      `${join(dir, 'project.klappe')}: made by a newer Klappe (schema version 99); this build reads up to ${SCHEMA_VERSION}`,
    );
    expect(e.hint).toMatch(/Update Klappe/);
  });

  it('is never saved over, and keeps its bak untouched', () => {
    const dir = projectDir(newer);
    const { doc } = loadProject(join(ROOT, 'assets', 'templates', 'empty'));
    let err: unknown;
    try {
      saveProject(dir, doc);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'SCHEMA_TOO_NEW', path: 'schemaVersion' });
    expect(readFileSync(join(dir, 'project.klappe'), 'utf8')).toBe(fixture(newer));
  });

  it('klappe info exits 2 with the message and changes nothing', async () => {
    const dir = projectDir(newer);
    const r = await runCli(['info', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${join(dir, 'project.klappe')}: made by a newer Klappe (schema version 99); this build reads up to ${SCHEMA_VERSION}`,
    );
    expect(r.stderr).toMatch(/Update Klappe/);
    const json = await runCli(['info', dir, '--json']);
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'SCHEMA_TOO_NEW',
      path: 'schemaVersion',
      file: join(dir, 'project.klappe'),
    });
    expect(readFileSync(join(dir, 'project.klappe'), 'utf8')).toBe(fixture(newer));
  });

  it('is refused as text too (a recovery copy, a bundle), naming where it came from', () => {
    expect(() => parseProject(fixture(newer), 'bundle.klappe')).toThrow(/^bundle\.klappe: made by a newer Klappe \(schema version 99\)/);
  });
});
