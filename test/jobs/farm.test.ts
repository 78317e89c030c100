/**
 * The render farm (issue 21) end to end: the real `klappe` CLI in child processes,
 * a real SQLite job table and three loopback servers speaking ComfyUI's documented
 * HTTP protocol (one without the websocket), counting what they are asked.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLargeProject } from '../../bench/foundation.bench.js';
import { runCli, spawnCli, tempDir } from '../support/env.js';
import { makeTestClip } from '../servers/test-clip.js';
import { ComfyTestServer } from '../servers/comfyui-server.js';

const t = tempDir('klappe-farm-');
let clip = '';
let servers: ComfyTestServer[] = [];
const SLOTS = [2, 1, 1];

async function startFarm(delayMs: number): Promise<ComfyTestServer[]> {
  // gpu-a sits behind a password (Basic auth), gpu-b has no websocket
  servers = await Promise.all(
    SLOTS.map((_, i) =>
      new ComfyTestServer({
        video: clip,
        delayMs,
        parallel: 1,
        websocket: i !== 1,
        steps: 2,
        stepMs: 5,
        ...(i === 0 ? { auth: 'render:hunter2-pw' } : {}),
      }).start(),
    ),
  );
  return servers;
}

function env(data: string): Record<string, string> {
  return {
    KLAPPE_DATA_DIR: join(t.dir, data),
    KLAPPE_CONFIG_DIR: join(t.dir, `${data}-config`),
    KLAPPE_COMFYUI_URLS: servers
      .map((s, i) => `${s.opts.auth ? s.url.replace('//', `//${s.opts.auth}@`) : s.url}#slots=${SLOTS[i]}&label=gpu-${'abc'[i]}`)
      .join(','),
    KLAPPE_COMFYUI_POLL_MS: '100',
    KLAPPE_FARM_PROBE_MS: '150',
    KLAPPE_HTTP_BACKOFF_MS: '50',
    KLAPPE_HTTP_ATTEMPTS: '3',
  };
}

function project(name: string, shots = 12): string {
  const dir = join(t.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'project.klappe'),
    makeLargeProject(
      readFileSync(join(import.meta.dirname, '..', '..', 'assets', 'templates', 'two-scenes', 'project.klappe'), 'utf8'),
      shots,
    ),
  );
  return dir;
}

function generate(dir: string, e: Record<string, string>) {
  const child = spawnCli(['generate', dir, '--backend', 'comfyui', '--json'], e);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr!.on('data', (d) => {
    stderr += String(d);
  });
  const done = new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ status: code ?? -1, stdout, stderr })),
  );
  return { child, done };
}

function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => (cond() ? resolve() : Date.now() > end ? reject(new Error('timed out waiting')) : setTimeout(tick, 20));
    tick();
  });
}

type Take = { shotId: string; backend: string; fallbackReason?: string; status: string };
const takes = (dir: string): Take[] => (JSON.parse(readFileSync(join(dir, 'project.klappe'), 'utf8')) as { takes: Take[] }).takes;
const sum = (f: (s: ComfyTestServer) => number) => servers.reduce((n, s) => n + f(s), 0);

beforeAll(async () => {
  clip = await makeTestClip(join(t.dir, 'clip.mp4'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  t.cleanup();
});

describe('klappe generate on a farm of three ComfyUI servers', () => {
  it('spreads twelve shots over the three servers within their slots, one prompt per shot', async () => {
    await startFarm(250);
    const dir = project('spread');
    const r = await generate(dir, env('spread')).done;
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { generated: number; jobs: Array<{ backend: string; state: string }> };
    expect(out.generated).toBe(12);
    expect(out.jobs.filter((j) => j.backend !== 'comfyui' || j.state !== 'succeeded')).toEqual([]);
    expect(sum((s) => s.counts.prompt)).toBe(12);
    expect(sum((s) => s.counts.view)).toBe(12);
    servers.forEach((s, i) => {
      expect(s.counts.prompt, `server ${i}`).toBeGreaterThan(0);
      expect(s.peakOpen, `server ${i} holds at most its slots`).toBeLessThanOrEqual(SLOTS[i]!);
    });
    expect(servers[0]!.peakOpen).toBe(2);
    expect(servers[1]!.counts.ws).toBe(0); // no websocket there: /history polling did it
    expect(sum((s) => s.counts.stats)).toBeGreaterThan(0); // probed
    expect(takes(dir).filter((x) => x.status === 'ready')).toHaveLength(12);
    expect(r.stdout + r.stderr).not.toContain('127.0.0.1');
    expect(servers[0]!.counts.unauthorized).toBe(0);
    expect(servers[0]!.counts.ws).toBeGreaterThan(0); // the websocket with the password too
    const dbText =
      ['klappe.db', 'klappe.db-wal']
        .map((f) => join(t.dir, 'spread', f))
        .filter(existsSync)
        .map((f) => readFileSync(f).toString('latin1'))
        .join('') + readFileSync(join(dir, 'project.klappe'), 'utf8');
    expect(dbText).not.toContain('hunter2');
    await Promise.all(servers.map((s) => s.close()));
  });

  it('a server killed mid-run: its shots finish on the others, once each, the reason on their takes', async () => {
    await startFarm(400);
    const dir = project('killed');
    const run = generate(dir, env('killed'));
    const victim = servers[2]!;
    await until(() => victim.queueLength > 0 && sum((s) => s.counts.view) >= 1);
    const lost = victim.queueLength;
    await victim.kill();
    const r = await run.done;
    expect(r.status, r.stderr).toBe(0);
    const all = takes(dir).filter((x) => x.status === 'ready');
    expect(all).toHaveLength(12);
    expect(new Set(all.map((x) => x.shotId)).size).toBe(12);
    expect(all.every((x) => x.backend === 'comfyui')).toBe(true);
    const moved = all.filter((x) => x.fallbackReason);
    expect(moved).toHaveLength(lost);
    expect(moved[0]!.fallbackReason).toMatch(/farm server gpu-c stopped answering; shot \d+\/\d+ resubmitted to another server/);
    expect(sum((s) => s.counts.view)).toBe(12); // each generated once per successful take
    expect(sum((s) => s.counts.prompt)).toBe(12 + lost);
    await Promise.all(servers.map((s) => s.close()));
  });

  it('Klappe killed mid-run and started again: every job resumes on its server, no second submission', async () => {
    await startFarm(600);
    const dir = project('restart');
    const e = env('restart');
    const first = generate(dir, e);
    // killed once four prompts are queued and their ids stored (each job's first /history poll follows the save)
    await until(() => sum((s) => s.counts.history) >= 4 && sum((s) => s.queueLength) >= 3);
    first.child.kill('SIGKILL');
    await first.done;
    const before = servers.map((s) => s.counts.prompt);
    const inFlight = sum((s) => s.queueLength);
    expect(inFlight).toBeGreaterThan(0);
    const r = await generate(dir, e).done;
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { jobs: Array<{ state: string; attempts: number }> };
    expect(out.jobs.every((j) => j.state === 'succeeded')).toBe(true);
    expect(out.jobs.filter((j) => j.attempts > 1).length).toBeGreaterThanOrEqual(inFlight);
    expect(sum((s) => s.counts.prompt)).toBe(12); // none submitted twice
    // the prompts that were on a server when Klappe died were fetched from that server
    servers.forEach((s, i) => expect(s.counts.prompt).toBeGreaterThanOrEqual(before[i]!));
    expect(sum((s) => s.counts.view)).toBe(12);
    expect(takes(dir).filter((x) => x.status === 'ready')).toHaveLength(12);
  });

  it('klappe farm add/list/remove keeps the address (and its password) a secret', async () => {
    await startFarm(0);
    const e = env('cli');
    delete e.KLAPPE_COMFYUI_URLS;
    const withPassword = servers[0]!.url.replace('http://', 'http://render:hunter2-pw@');
    const add = await runCli(['farm', 'add', withPassword, '--slots', '2', '--label', 'gpu-a'], e);
    expect(add.status, add.stderr).toBe(0);
    await runCli(['farm', 'add', servers[1]!.url, '--label', 'gpu-b'], e);
    const list = await runCli(['farm', 'list', '--json'], e);
    const rows = (JSON.parse(list.stdout) as { servers: Array<Record<string, unknown>> }).servers;
    expect(rows.map((r) => [r.label, r.slots, r.state])).toEqual([
      ['gpu-a', 2, 'up'],
      ['gpu-b', 1, 'up'],
    ]);
    expect(rows[0]).toMatchObject({ gpu: expect.stringContaining('RTX 4090'), vramTotal: 24 * 2 ** 30, queue: 0, source: 'settings' });
    const settings = readFileSync(join(t.dir, 'cli-config', 'settings.json'), 'utf8');
    expect(settings).toContain('gpu-a');
    for (const text of [settings, add.stdout, add.stderr, list.stdout, list.stderr]) expect(text).not.toContain('hunter2');
    expect(readFileSync(join(t.dir, 'cli-config', 'secrets.json'), 'utf8')).toContain('hunter2');
    const removed = await runCli(['farm', 'remove', 'gpu-a'], e);
    expect(removed.status).toBe(0);
    expect(readFileSync(join(t.dir, 'cli-config', 'secrets.json'), 'utf8')).not.toContain('hunter2');
    expect((JSON.parse((await runCli(['farm', 'list', '--json'], e)).stdout) as { servers: unknown[] }).servers).toHaveLength(1);
    const bad = await runCli(['farm', 'add', 'ftp://x', '--slots', '2'], e);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/must start with http/);
    await Promise.all(servers.map((s) => s.close()));
  });
});
