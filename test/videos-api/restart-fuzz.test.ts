/**
 * `klappe serve --api` as a real process: killed (SIGKILL) mid-generation and
 * started again, the client's next polls see the same video finish; and
 * 1,000 fuzzed requests (fast-check) that crash nothing and all get an answer
 * in the dialect's shape.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { KLAPPE_BIN, runCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-videos-restart-');
const env = { ...process.env, KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  t.cleanup();
});

function serve(port = 0): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [KLAPPE_BIN, 'serve', '--api', '--port', String(port), '--render-scale', '0.25'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => {
      err += String(d);
    });
    child.stdout!.on('data', (d) => {
      out += String(d);
      const first = out.split('\n')[0]!;
      if (out.includes('\n')) resolve({ child, base: first });
    });
    child.once('exit', (code) => reject(new Error(`serve --api exited ${code}: ${err}`)));
  });
}

describe('klappe serve --api, a real process', () => {
  let key = '';
  let base = '';
  let child: ChildProcess;

  it('a video survives the server being killed mid-generation', async () => {
    const made = await runCli(['api-keys', 'create', '--json'], {
      KLAPPE_DATA_DIR: env.KLAPPE_DATA_DIR!,
      KLAPPE_CONFIG_DIR: env.KLAPPE_CONFIG_DIR!,
    });
    expect(made.status, made.stderr).toBe(0);
    key = (JSON.parse(made.stdout) as { id: string; key: string }).key;
    ({ child, base } = await serve());
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const port = Number(new URL(base).port);
    const client = new OpenAI({ apiKey: key, baseURL: base, maxRetries: 0 });
    const v = await client.videos.create({ prompt: 'two balls collide in a room', model: 'klappe-previz', seconds: '8', size: '720x1280' });
    // wait until the generation runs, then kill the process
    for (;;) {
      const now = await client.videos.retrieve(v.id);
      if (now.status === 'in_progress' && now.progress > 0 && now.progress < 90) break; // the job runs (90..99: the export)
      expect(now.status).not.toBe('completed');
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await expect(client.videos.retrieve(v.id)).rejects.toBeTruthy(); // nobody serves now
    ({ child, base } = await serve(port));
    let seen: OpenAI.Videos.Video;
    for (;;) {
      seen = await client.videos.retrieve(v.id);
      if (seen.status === 'completed' || seen.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen).toMatchObject({ id: v.id, status: 'completed', seconds: '8', progress: 100 });
    const bytes = await (await client.videos.downloadContent(v.id)).arrayBuffer();
    expect(bytes.byteLength).toBeGreaterThan(10_000);
  });

  it('1,000 fuzzed requests: no crash, every answer a status with a JSON error body', async () => {
    const paths = [
      '/v1/videos',
      '/v1/videos/video_x',
      '/v1/videos/video_x/content',
      '/v1/videos/video_x/remix',
      '/v1/videos/extensions',
      '/v1/videos/edits',
      '/v1/videos/characters',
      '/v1/videos/characters/c',
      '/v1/openapi.json',
      '/v1/%',
      '/v1/videos/%E0%A4%A',
      '/',
    ];
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.constantFrom('720x1280', '4', '8', 'sora-2', 'klappe-slate', 'video'),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
    );
    const body = fc.oneof(
      fc
        .dictionary(
          fc.constantFrom('prompt', 'model', 'seconds', 'size', 'video', 'shots', 'dialogue', 'characters', 'name', 'input_reference', 'x'),
          value,
          { maxKeys: 6 },
        )
        .map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD'),
      path: fc.constantFrom(...paths),
      query: fc.constantFrom('', '?limit=2', '?limit=-1', '?after=zz', '?order=up', '?variant=spritesheet', '?variant=x', '?limit=1e9'),
      auth: fc.constantFrom('good', 'none', 'bad'),
      type: fc.constantFrom(
        'application/json',
        'multipart/form-data; boundary=xyz',
        'multipart/form-data',
        'application/x-www-form-urlencoded',
        'text/plain',
        '',
      ),
      body,
    });
    let count = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        count++;
        const headers: Record<string, string> = {};
        if (r.auth === 'good') headers.Authorization = `Bearer ${key}`;
        if (r.auth === 'bad') headers.Authorization = 'Bearer nope';
        if (r.type) headers['Content-Type'] = r.type;
        const withBody = r.method !== 'GET' && r.method !== 'HEAD';
        const res = await fetch(`${base.replace(/\/v1$/, '')}${r.path}${r.query}`, {
          method: r.method,
          headers,
          ...(withBody ? { body: r.body } : {}),
        });
        const text = await res.text();
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400 && r.method !== 'HEAD') {
          const j = JSON.parse(text) as { error: { message: string; type: string; param: unknown; code: unknown } };
          expect(typeof j.error.message).toBe('string');
          expect(typeof j.error.type).toBe('string');
          expect('param' in j.error && 'code' in j.error).toBe(true);
          expect(text).not.toContain(key);
        }
      }),
      { numRuns: 1000, seed: 17, endOnFailure: true },
    );
    expect(count).toBe(1000);
    expect(child.exitCode).toBe(null);
    // still answering
    expect((await fetch(`${base}/videos`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
  });
});
