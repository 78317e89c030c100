/**
 * One writer per project (issue 12), with real processes and real files: the
 * project lock (stale takeover, waiting for a live owner, then failing with its
 * name), concurrent CLI edits, and CLI commands going through a serving
 * studio's api while it holds the project, proven by the write trace
 * (KLAPPE_TRACE_WRITES) and the shared job table.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LOCK_FILE } from '../../engine/api/project-lock.js';
import { closeDatabases, openDatabase } from '../../engine/cache/database.js';
import { JobQueue } from '../../engine/jobs/queue.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { makeShortProject } from '../provenance/short-project.js';
import { runCli, spawnCli, tempDir, type CliRun } from '../support/env.js';

const t = tempDir('klappe-one-writer-');
const trace = join(t.dir, 'writes.log');
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config'), KLAPPE_TRACE_WRITES: trace };
const wav = join(t.dir, 'tone.wav');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  closeDatabases();
  t.cleanup();
});

beforeAll(async () => {
  await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=0.5', wav]);
});

interface Writes {
  file: string;
  by: string;
  pid: number;
  command: string;
}
const writesOf = (file: string): Writes[] =>
  existsSync(trace)
    ? readFileSync(trace, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Writes)
        .filter((w) => w.file === file)
    : [];
const doc = (dir: string) => JSON.parse(readFileSync(join(dir, 'project.klappe'), 'utf8'));
const clipsOn = (dir: string, trackId: string) =>
  doc(dir).sequence.tracks.find((x: { id: string }) => x.id === trackId).clips as Array<{ id: string }>;

async function newProject(name: string): Promise<string> {
  const dir = join(t.dir, name);
  const r = await runCli(['new', dir, '--template', 'two-scenes'], env);
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

/** A CLI run whose stderr can be watched while it runs. */
function startCli(args: string[]): { child: ChildProcess; stderr: () => string; done: Promise<CliRun> } {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr!.on('data', (d) => {
    stderr += String(d);
  });
  const done = new Promise<CliRun>((r) => child.once('close', (code) => r({ status: code ?? -1, stdout, stderr })));
  return { child, stderr: () => stderr, done };
}

async function until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; !cond();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function writeLock(dir: string, pid: number, command: string): void {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command }));
}

describe('the project lock', () => {
  it('takes over the lock of a process that is gone, with a message', async () => {
    const dir = await newProject('stale');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeLock(dir, dead, 'klappe generate (crashed)');
    const r = await runCli(['import', dir, wav, '--track', 'd1', '--at', '10'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `took over the lock of pid ${dead} (klappe generate (crashed), since 2026-01-01T00:00:00.000Z): that process is gone`,
    );
    expect(clipsOn(dir, 'd1')).toHaveLength(1);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('waits for a live owner that serves no api, then fails naming it; goes on once the owner is gone', async () => {
    const dir = await newProject('held');
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
    children.push(owner);
    writeLock(dir, owner.pid!, 'fake owner');
    const r = await runCli(['import', dir, wav, '--track', 'd1', '--wait', '1'], env);
    expect(r.status).toBe(1);
    expect(r.stderr.match(/waiting up to 1 s/g)).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `project\\.klappe is open in another Klappe process: pid ${owner.pid} \\(fake owner, since 2026-01-01T00:00:00\\.000Z\\); waited 1 s`,
      ),
    );
    expect(clipsOn(dir, 'd1')).toHaveLength(0);
    const waiting = startCli(['import', dir, wav, '--track', 'd1', '--wait', '60']);
    await until(() => waiting.stderr().includes('waiting up to 60 s'), 'the second import to wait');
    owner.kill('SIGKILL');
    const ok = await waiting.done;
    expect(ok.status, ok.stderr).toBe(0);
    expect(clipsOn(dir, 'd1')).toHaveLength(1);
  });
});

describe('concurrent CLI edits without a studio', () => {
  it('a second `klappe generate` waits for the job the first runs (past --wait), then takes its take: the shot is generated once', async () => {
    const dir = await newProject('twice');
    const file = join(dir, 'project.klappe');
    const d = doc(dir);
    d.scenes[0].shots[0].duration = 24 * 100; // long enough to still run when the second command starts
    writeFileSync(file, JSON.stringify(d));
    const first = startCli(['generate', dir, '--shot', 's1', '--backend', 'slate', '--json']);
    const jobs = new JobQueue({ db: openDatabase(join(env.KLAPPE_DATA_DIR, 'klappe.db')) });
    await until(
      () => jobs.list({ state: 'running' }).some((j) => j.projectFile === file && j.ownerPid === first.child.pid),
      'the first generate to run its job',
    );
    const second = await runCli(['generate', dir, '--shot', 's1', '--backend', 'slate', '--wait', '1', '--json'], env);
    const a = await first.done;
    expect(a.status, a.stderr).toBe(0);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toMatch(
      new RegExp(`is open in pid ${first.child.pid} \\(klappe generate .*\\), which runs 1 of its job; waiting for it`),
    );
    expect(JSON.parse(a.stdout)).toMatchObject({ generated: 1 });
    expect(JSON.parse(second.stdout)).toMatchObject({ generated: 0, fromCache: 1 });
    expect(JSON.parse(second.stdout).jobs[0].takeId).toBe(JSON.parse(a.stdout).jobs[0].takeId);
  });

  it('two `klappe import` at once: both land, both exit 0', async () => {
    const dir = await newProject('imports');
    const [a, b] = await Promise.all([
      runCli(['import', dir, wav, '--track', 'd1', '--at', '0', '--json'], env),
      runCli(['import', dir, wav, '--track', 'x1', '--at', '48', '--json'], env),
    ]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(clipsOn(dir, 'd1').map((c) => c.id)).toContain(JSON.parse(a.stdout).clipId);
    expect(clipsOn(dir, 'x1').map((c) => c.id)).toContain(JSON.parse(b.stdout).clipId);
  });

  it('two `klappe line` at once: both land, both exit 0', async () => {
    const dir = await newProject('lines');
    const [a, b] = await Promise.all([
      runCli(['line', dir, '--character', 'mia', '--text', 'First one.', '--at', '0', '--json'], env),
      runCli(['line', dir, '--character', 'leo', '--text', 'Second one.', '--at', '200', '--json'], env),
    ]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const clipIds = doc(dir).sequence.tracks.flatMap((x: { clips: Array<{ id: string }> }) => x.clips.map((c) => c.id));
    expect(clipIds).toEqual(expect.arrayContaining([JSON.parse(a.stdout).clipId, JSON.parse(b.stdout).clipId]));
  });
});

describe('with `klappe serve --project DIR` holding the project', () => {
  let dir: string;
  let serve: ChildProcess;
  let ws: WebSocket;
  let next = 1;
  const call = (method: string, params: unknown = {}): Promise<any> =>
    new Promise((resolve, reject) => {
      const id = next++;
      const onMessage = (data: Buffer) => {
        const m = JSON.parse(String(data));
        if (m.id !== id) return;
        ws.off('message', onMessage);
        if (m.ok) resolve(m.result);
        else reject(new Error(`${method}: ${m.error.message}`));
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, method, params }));
    });

  beforeAll(async () => {
    dir = await makeShortProject(join(t.dir, 'served'), env, 168); // s1 and s2 on the timeline
    const info = join(t.dir, 'serve.json');
    serve = spawnCli(['serve', '--port', '0', '--info-file', info, '--project', dir], env);
    children.push(serve);
    await until(() => existsSync(info), 'klappe serve to listen');
    const { port, token } = JSON.parse(readFileSync(info, 'utf8'));
    ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { origin: `http://127.0.0.1:${port}` });
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
  });
  afterAll(async () => {
    ws?.close();
    serve?.kill('SIGTERM');
    if (serve && serve.exitCode === null) await new Promise((r) => serve.once('exit', r));
  });

  it('`klappe timeline import` of an FCPXML goes through the studio: one undo step there, the file untouched until it saves', async () => {
    const cut = join(t.dir, 'served-cut.fcpxml');
    const exported = await runCli(['timeline', 'export', dir, '-o', cut], env);
    expect(exported.status, exported.stderr).toBe(0);
    // a marker another editor added to the cut
    writeFileSync(
      cut,
      readFileSync(cut, 'utf8').replace(
        /(<asset-clip|<gap)([^>]*offset="0s"[^>]*>)/,
        '$1$2\n<marker start="0s" duration="1/24s" value="From Final Cut"/>',
      ),
    );
    const before: any = await call('project.get');
    const writesBefore = writesOf(join(dir, 'project.klappe')).length;
    const r = await runCli(['timeline', 'import', dir, cut, '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`is open in pid ${serve.pid}`);
    const after: any = await call('project.get');
    expect(after.history.undoLabel).toBe('Import timeline');
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.doc.sequence.markers.map((m: { name: string }) => m.name)).toContain('From Final Cut');
    expect(after.doc.sequence.tracks.map((tr: { clips: unknown[] }) => tr.clips.length)).toEqual(
      before.doc.sequence.tracks.map((tr: { clips: unknown[] }) => tr.clips.length),
    );
    expect(writesOf(join(dir, 'project.klappe')).length).toBe(writesBefore);
    await call('project.undo');
    expect(((await call('project.get')) as any).doc.sequence.markers).toEqual(before.doc.sequence.markers);
  });

  it('an edit through the api, `klappe generate` and `klappe render` at once: one save keeps the edit and every take; each shot generated once; only the session wrote', async () => {
    const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(lock).toMatchObject({
      pid: serve.pid,
      hostname: hostname(),
      api: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) },
    });
    // the api's token is in the user's config folder (0600), never in the project folder
    const { token } = JSON.parse(readFileSync(join(t.dir, 'serve.json'), 'utf8'));
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).not.toContain(token);
    const [owners] = readdirSync(join(t.dir, 'config', 'owners'));
    expect(readFileSync(join(t.dir, 'config', 'owners', owners!), 'utf8')).toContain(token);
    expect(statSync(join(t.dir, 'config', 'owners', owners!)).mode & 0o777).toBe(0o600);
    const out = join(t.dir, 'served.mp4');
    const edit = call('project.apply', { commands: { type: 'project.update', patch: { name: 'Edited in the studio' } } });
    const [gen, render] = await Promise.all([
      runCli(['generate', dir, '--backend', 'slate', '--json'], env),
      runCli(
        ['render', dir, '-o', out, '--backend', 'slate', '--preset', '320x180', '--no-sign', '--no-invisible-watermark', '--json'],
        env,
      ),
      edit,
    ]);
    expect(gen.status, gen.stderr).toBe(0);
    expect(render.status, render.stderr).toBe(0);
    expect(gen.stderr).toContain(`is open in pid ${serve.pid}`);
    expect(existsSync(out)).toBe(true);
    const summary = JSON.parse(gen.stdout);
    expect(summary.jobs.map((j: { shotId: string }) => j.shotId).sort()).toEqual(['s1', 's2', 's3', 's4', 's5']);
    // nothing reached the file yet: the CLI commands went through the studio
    expect(writesOf(join(dir, 'project.klappe')).filter((w) => w.by !== 'createProjectFile')).toEqual([]);
    await call('project.save');
    const saved = doc(dir);
    expect(saved.name).toBe('Edited in the studio');
    const takes = saved.takes as Array<{ id: string; shotId: string }>;
    for (const j of summary.jobs) expect(takes.find((tk) => tk.id === j.takeId)?.shotId).toBe(j.shotId);
    expect(new Set(takes.map((tk) => tk.shotId))).toEqual(new Set(['s1', 's2', 's3', 's4', 's5']));
    // each shot was generated once, across the generate, the render and the studio
    const list = await runCli(['jobs', 'list', '--json', '--limit', '1000'], env);
    const jobs = (
      JSON.parse(list.stdout).jobs as Array<{ projectFile: string; shotId: string; fromCache: boolean; attempts: number; state: string }>
    ).filter((j) => j.projectFile === join(dir, 'project.klappe'));
    const ran = jobs.filter((j) => !j.fromCache);
    expect(ran.map((j) => j.shotId).sort()).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(ran.every((j) => j.attempts === 1 && j.state === 'succeeded')).toBe(true);
    // the file was written by the studio's session only
    const writes = writesOf(join(dir, 'project.klappe'));
    expect(writes.map((w) => w.by)).toEqual(['createProjectFile', 'ProjectSession.save']);
    expect(writes[1]!.pid).toBe(serve.pid);
  });

  it('`klappe import` and `klappe line` go through the studio, and a studio save keeps them', async () => {
    const imp = await runCli(['import', dir, wav, '--track', 'x1', '--at', '24', '--json'], env);
    expect(imp.status, imp.stderr).toBe(0);
    const line = await runCli(['line', dir, '--character', 'mia', '--text', 'Through the studio.', '--json'], env);
    expect(line.status, line.stderr).toBe(0);
    const state = await call('project.get');
    const ids = state.doc.sequence.tracks.flatMap((x: { clips: Array<{ id: string }> }) => x.clips.map((c) => c.id));
    expect(ids).toEqual(expect.arrayContaining([JSON.parse(imp.stdout).clipId, JSON.parse(line.stdout).clipId]));
    expect(state.dirty).toBe(true);
    await call('project.save');
    const saved = doc(dir).sequence.tracks.flatMap((x: { clips: Array<{ id: string }> }) => x.clips.map((c) => c.id));
    expect(saved).toEqual(expect.arrayContaining([JSON.parse(imp.stdout).clipId, JSON.parse(line.stdout).clipId]));
    expect(
      writesOf(join(dir, 'project.klappe')).every(
        (w) => w.by === 'createProjectFile' || (w.by === 'ProjectSession.save' && w.pid === serve.pid),
      ),
    ).toBe(true);
  });

  it('releases the lock and removes its token file when the studio stops', async () => {
    ws.close();
    serve.kill('SIGTERM');
    await new Promise((r) => serve.once('exit', r));
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(readdirSync(join(t.dir, 'config', 'owners'))).toEqual([]);
  });
});
