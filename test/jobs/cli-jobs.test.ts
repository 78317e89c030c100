/**
 * The done-means of issue 6, end to end through the real `klappe` CLI, a real
 * SQLite file, real ffmpeg and a loopback Veo server that counts requests.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BACKEND_ID } from '../../engine/generate/registry.js';
import { spawnCli, tempDir } from '../support/env.js';
import { makeTestClip } from '../servers/test-clip.js';
import { VeoTestServer } from '../servers/veo-server.js';
import { ComfyTestServer } from '../servers/comfyui-server.js';

const KEY = 'AIzaSECRET-test-key-do-not-leak-4242';
const t = tempDir('klappe-jobs-cli-');
const data = join(t.dir, 'data');
let server: VeoTestServer;
let env: Record<string, string>;
const outputs: string[] = [];

/** The CLI in a child process, without blocking this process (the test servers live here). */
function cli(
  args: string[],
  extra: Record<string, string> = {},
  input?: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  const child = spawnCli(args, { ...env, ...extra }, input !== undefined);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr!.on('data', (d) => {
    stderr += String(d);
  });
  if (input !== undefined) child.stdin!.end(input);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      outputs.push(stdout, stderr);
      resolve({ status: code ?? -1, stdout, stderr });
    }),
  );
}

function mediaFiles(): string[] {
  const root = join(data, 'media');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((d) => readdirSync(join(root, d)).map((f) => join(d, f)));
}

function untilAsync(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => (cond() ? resolve() : Date.now() > end ? reject(new Error('timed out waiting')) : setTimeout(tick, 50));
    tick();
  });
}

beforeAll(async () => {
  const clip = await makeTestClip(join(t.dir, 'clip.mp4'));
  server = await new VeoTestServer({ apiKey: KEY, video: clip, doneAfterMs: 2500 }).start();
  env = {
    KLAPPE_DATA_DIR: data,
    KLAPPE_CONFIG_DIR: join(t.dir, 'config'),
    KLAPPE_GEMINI_API_KEY: KEY,
    KLAPPE_GEMINI_BASE_URL: server.url,
    KLAPPE_VEO_POLL_MS: '100',
    KLAPPE_HTTP_BACKOFF_MS: '50',
  };
});
afterAll(async () => {
  await server.close();
  t.cleanup();
});

describe('klappe generate / jobs / cache / keys', () => {
  const proj = join(t.dir, 'film');

  it('kill -9 during a five-shot Veo generation, then restart: all five finish, one submission per shot, no partial or orphaned media', async () => {
    expect((await cli(['new', proj, '--template', 'two-scenes'])).status).toBe(0);
    const child = spawnCli(['generate', proj, '--backend', 'veo'], env);
    let err = '';
    child.stderr!.on('data', (d) => {
      err += String(d);
    });
    await untilAsync(() => server.counts.submit >= 3, 60_000);
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    outputs.push(err);
    const before = server.counts.submit;
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(5);

    const again = await cli(['generate', proj, '--backend', 'veo', '--json']);
    expect(again.status, again.stdout + again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.jobs).toHaveLength(5);
    expect(summary.jobs.every((j: { state: string }) => j.state === 'succeeded')).toBe(true);
    // exactly one paid submission per shot, across both processes
    expect(server.submissions).toHaveLength(5);
    const byPrompt = server.submissionsByPrompt();
    expect(byPrompt.size).toBe(5);
    expect([...byPrompt.values()].every((n) => n === 1)).toBe(true);
    // resumed jobs say so: more than one attempt for those that were running when killed
    expect(summary.jobs.filter((j: { attempts: number }) => j.attempts >= 2).length).toBeGreaterThanOrEqual(3);
    // no partial files, no orphans: every stored file is used by a take of the project
    const doc = JSON.parse(readFileSync(join(proj, 'project.klappe'), 'utf8'));
    const veoTakes = doc.takes.filter((tk: { backend: string }) => tk.backend === 'veo');
    expect(veoTakes).toHaveLength(5);
    const used = new Set(veoTakes.flatMap((tk: { media: Record<string, string> }) => Object.values(tk.media)));
    const files = mediaFiles();
    expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
    for (const f of files) expect(used.has(f.split('/')[1])).toBe(true);
    expect(readdirSync(join(data, 'work')).length).toBe(0);
  });

  it('a second generate of the same project makes zero backend calls', async () => {
    const counts = { ...server.counts };
    const r = await cli(['generate', proj, '--backend', 'veo', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ generated: 0, fromCache: 5 });
    expect(server.counts).toEqual(counts);
    const list = await cli(['jobs', 'list', '--json']);
    expect(JSON.parse(list.stdout).jobs.length).toBeGreaterThanOrEqual(10);
  });

  it('routes to the embedded backend with the reason when the chosen cloud is not configured', async () => {
    const other = join(t.dir, 'nokey');
    expect((await cli(['new', other, '--template', 'two-scenes'])).status).toBe(0);
    const r = await cli(['generate', other, '--shot', 's1', '--backend', 'veo', '--json'], { KLAPPE_GEMINI_API_KEY: '' });
    expect(r.status, r.stderr).toBe(0);
    const job = JSON.parse(r.stdout).jobs[0];
    expect(job.backend).toBe(DEFAULT_BACKEND_ID);
    expect(job.fallbackReason).toMatch(/veo chosen but no Gemini API key is set/);
    const doc = JSON.parse(readFileSync(join(other, 'project.klappe'), 'utf8'));
    expect(doc.takes[doc.takes.length - 1]).toMatchObject({ backend: DEFAULT_BACKEND_ID, fallbackReason: job.fallbackReason });
  });

  it('falls back to the embedded backend when the cloud fails while running, and records why on the job and the take', async () => {
    const p = join(t.dir, 'down');
    expect((await cli(['new', p, '--template', 'two-scenes'])).status).toBe(0);
    const pf = join(p, 'project.klappe');
    const fresh = JSON.parse(readFileSync(pf, 'utf8'));
    fresh.scenes[0].shots.find((s: { id: string }) => s.id === 's2').prompt = 'a shot no service has made yet';
    writeFileSync(pf, JSON.stringify(fresh));
    server.faults.submit.push('500', '500', '500', '500', '500', '500', '500', '500');
    const r = await cli(['generate', p, '--shot', 's2', '--backend', 'veo', '--json']);
    server.faults.submit.length = 0;
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const job = JSON.parse(r.stdout).jobs[0];
    expect(job).toMatchObject({ state: 'succeeded', backend: DEFAULT_BACKEND_ID });
    expect(job.fallbackReason).toMatch(/^veo failed: .*failed after \d+ attempts: HTTP 500/);
    expect(job.fallbackReason).not.toContain(KEY);
    const doc = JSON.parse(readFileSync(pf, 'utf8'));
    expect(doc.takes.at(-1)).toMatchObject({ shotId: 's2', backend: DEFAULT_BACKEND_ID, fallbackReason: job.fallbackReason });
  });

  it('generates through a ComfyUI server chosen per shot, and shows node errors per node', async () => {
    const comfy = await new ComfyTestServer({ video: join(t.dir, 'clip.mp4'), steps: 3, stepMs: 5 }).start();
    try {
      const p = join(t.dir, 'comfy');
      expect((await cli(['new', p, '--template', 'two-scenes'])).status).toBe(0);
      const r = await cli(['generate', p, '--shot', 's3', '--backend', 'comfyui', '--json'], {
        KLAPPE_COMFYUI_URL: comfy.url,
        KLAPPE_COMFYUI_POLL_MS: '100',
      });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).jobs[0]).toMatchObject({ state: 'succeeded', backend: 'comfyui' });
      expect(comfy.counts.prompt).toBe(1);
      const pf = join(p, 'project.klappe');
      const doc = JSON.parse(readFileSync(pf, 'utf8'));
      doc.scenes[0].shots.find((s: { id: string }) => s.id === 's1').prompt = 'NODEERROR';
      writeFileSync(pf, JSON.stringify(doc));
      const bad = await cli(['generate', p, '--shot', 's1', '--backend', 'comfyui'], { KLAPPE_COMFYUI_URL: comfy.url });
      expect(bad.status).toBe(2);
      expect(bad.stdout).toMatch(/node 1 \(CheckpointLoaderSimple\): Value not in list/);
    } finally {
      await comfy.close();
    }
  });

  it('a corrupted cache file is found by `cache check` and regenerated on next use', async () => {
    const slate = join(t.dir, 'slate');
    expect((await cli(['new', slate, '--template', 'two-scenes'])).status).toBe(0);
    expect((await cli(['generate', slate, '--shot', 's2', '--backend', 'slate'])).status).toBe(0);
    const doc = JSON.parse(readFileSync(join(slate, 'project.klappe'), 'utf8'));
    const video: string = doc.takes.find((tk: { shotId: string }) => tk.shotId === 's2').media.video;
    const file = join(data, 'media', video.slice(0, 2), video);
    const size = statSync(file).size;
    writeFileSync(file, Buffer.alloc(size, 7));
    const check = await cli(['cache', 'check', '--json']);
    expect(check.status, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).corrupt).toEqual([video]);
    expect(JSON.parse((await cli(['cache', 'stats', '--json'])).stdout).corrupt).toBe(1);
    const regen = await cli(['generate', slate, '--shot', 's2', '--backend', 'slate', '--json']);
    expect(regen.status, regen.stderr).toBe(0);
    expect(JSON.parse(regen.stdout)).toMatchObject({ generated: 1 });
    // the shot's current take has its video in the cache again (a slate prints the take number, so it is a new file)
    const after = JSON.parse(readFileSync(join(slate, 'project.klappe'), 'utf8'));
    const latest = after.takes.filter((tk: { shotId: string }) => tk.shotId === 's2').pop();
    expect(existsSync(join(data, 'media', latest.media.video.slice(0, 2), latest.media.video))).toBe(true);
    expect(JSON.parse((await cli(['cache', 'check', '--json'])).stdout)).toMatchObject({ corrupt: [], missing: [] });
  });

  it('`jobs cancel` stops a job running in another process within a second', async () => {
    const long = join(t.dir, 'long');
    expect((await cli(['new', long, '--template', 'two-scenes'])).status).toBe(0);
    const pf = join(long, 'project.klappe');
    const doc = JSON.parse(readFileSync(pf, 'utf8'));
    doc.scenes[0].shots[0].duration = 24 * 500;
    writeFileSync(pf, JSON.stringify(doc));
    const child = spawnCli(['generate', long, '--shot', doc.scenes[0].shots[0].id, '--backend', 'slate'], env);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let id = '';
    for (const end = Date.now() + 60_000; !id && Date.now() < end;) {
      id = JSON.parse((await cli(['jobs', 'list', '--state', 'running', '--json'])).stdout).jobs[0]?.id ?? '';
      if (!id) await new Promise((r) => setTimeout(r, 200));
    }
    const r = await cli(['jobs', 'cancel', id, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.job.state).toBe('cancelled');
    expect(out.waitedMs).toBeLessThan(1000);
    expect(await exited).toBe(130);
  });

  it('keys: set from stdin into a 0600 file, show never prints it; the key is in no database, project or output', async () => {
    const set = await cli(['keys', 'set', 'gemini'], { KLAPPE_GEMINI_API_KEY: '' }, `${KEY}\n`);
    expect(set.status, set.stderr).toBe(0);
    const secrets = join(t.dir, 'config', 'secrets.json');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    const show = await cli(['keys', 'show'], { KLAPPE_GEMINI_API_KEY: '' });
    expect(show.stdout).toMatch(/gemini\s+set \(file /);
    const haystack = [
      ...outputs,
      ...readdirSync(data)
        .filter((f) => f.startsWith('klappe.db'))
        .map((f) => readFileSync(join(data, f)).toString('latin1')),
      ...['film', 'nokey', 'slate', 'long', 'comfy'].flatMap((p) =>
        readdirSync(join(t.dir, p)).map((f) => readFileSync(join(t.dir, p, f), 'latin1')),
      ),
    ];
    for (const h of haystack) expect(h.includes(KEY)).toBe(false);
  });
});
