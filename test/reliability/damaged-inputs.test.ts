/**
 * Issue 19, findings 5 and 6: `null` entries in an old project exit 2 naming
 * the JSON path; a damaged database gives a clear error, bad rows are skipped
 * and reported, `klappe cache check --repair` moves a damaged file aside.
 * Never a stack trace.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ROOT, runCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-damaged-');
afterAll(() => t.cleanup());
const STACK = /at .*\.(ts|js|mjs):\d+|internal error/;

describe('null entries in an old project', () => {
  const v1 = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'projects', 'v1-short.klappe'), 'utf8'));
  const cases: [string, (d: any) => void, string][] = [
    [
      'characters',
      (d) => {
        d.characters.push(null);
      },
      `characters[${v1.characters.length}]`,
    ],
    [
      'scenes',
      (d) => {
        d.scenes.unshift(null);
      },
      'scenes[0]',
    ],
    [
      'shots',
      (d) => {
        d.scenes[0].shots.push(null);
      },
      `scenes[0].shots[${v1.scenes[0].shots.length}]`,
    ],
    [
      'dialogue',
      (d) => {
        d.scenes[0].shots[0].dialogue = [null];
      },
      'scenes[0].shots[0].dialogue[0]',
    ],
  ];
  it.each(cases)('a null among %s exits 2 with the JSON path', async (_what, edit, path) => {
    const dir = join(t.dir, `null-${path.replace(/\W/g, '')}`);
    mkdirSync(dir);
    const doc = structuredClone(v1);
    edit(doc);
    writeFileSync(join(dir, 'project.klappe'), JSON.stringify(doc));
    const r = await runCli(['info', dir, '--json']);
    expect(r.status, r.stderr).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'PROJECT_INVALID', path });
    expect(r.stderr).not.toMatch(STACK);
  });
});

describe('a damaged database', () => {
  function dataDirWith(name: string, damage: (file: string) => void): Record<string, string> {
    const data = join(t.dir, name);
    mkdirSync(data, { recursive: true });
    damage(join(data, 'klappe.db'));
    return { KLAPPE_DATA_DIR: data };
  }
  async function seeded(name: string): Promise<Record<string, string>> {
    const env = { KLAPPE_DATA_DIR: join(t.dir, name) };
    const dir = join(t.dir, `${name}-film`);
    expect((await runCli(['new', dir, '--template', 'two-scenes'], env)).status).toBe(0);
    const g = await runCli(['generate', dir, '--backend', 'slate'], env);
    expect(g.status, g.stderr).toBe(0);
    return env;
  }

  it('that is not a database: a clear error with the repair hint; --repair moves it aside and jobs list works again', async () => {
    const env = dataDirWith('notadb', (f) => writeFileSync(f, Buffer.alloc(8192, 0x5a)));
    const r = await runCli(['jobs', 'list'], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/database .*klappe\.db is damaged/);
    expect(r.stderr).toMatch(/klappe cache check --repair/);
    expect(r.stderr).not.toMatch(STACK);
    const fix = await runCli(['cache', 'check', '--repair'], env);
    expect(fix.status, fix.stderr).toBe(0);
    expect(fix.stdout).toMatch(/moved aside to .*klappe\.db\.damaged-/);
    expect(readdirSync(env.KLAPPE_DATA_DIR!).some((f) => f.startsWith('klappe.db.damaged-'))).toBe(true);
    expect((await runCli(['jobs', 'list'], env)).status).toBe(0);
  });

  it('with a dropped table: a clear error, and --repair starts a new one', async () => {
    const env = await seeded('dropped');
    const db = new Database(join(env.KLAPPE_DATA_DIR!, 'klappe.db'));
    db.exec('DROP TABLE jobs');
    db.close();
    const r = await runCli(['jobs', 'list'], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/has no jobs table/);
    expect(r.stderr).not.toMatch(STACK);
    expect((await runCli(['cache', 'check', '--repair'], env)).status).toBe(0);
    expect((await runCli(['jobs', 'list'], env)).status).toBe(0);
  });

  it('with one row of bad JSON: jobs list skips and reports it, --repair removes it', async () => {
    const env = await seeded('badrow');
    const file = join(env.KLAPPE_DATA_DIR!, 'klappe.db');
    const db = new Database(file);
    const id = db.prepare('SELECT id FROM jobs LIMIT 1').pluck().get() as string;
    db.prepare('UPDATE jobs SET options_json = ? WHERE id = ?').run('{"broken', id);
    db.prepare('UPDATE cache_entries SET take_json = ?').run('{"broken');
    db.close();
    const r = await runCli(['jobs', 'list'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`skipped job ${id}`);
    expect(r.stderr).not.toMatch(STACK);
    const fix = await runCli(['cache', 'check', '--repair', '--json'], env);
    expect(fix.status, fix.stderr).toBe(0);
    expect(JSON.parse(fix.stdout).repaired).toMatchObject({ badJobs: 1, badCacheEntries: expect.any(Number) });
    const after = await runCli(['jobs', 'list'], env);
    expect(after.stderr).not.toContain('skipped job');
    expect(existsSync(file)).toBe(true);
  });
});
