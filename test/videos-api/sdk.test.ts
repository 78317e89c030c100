/**
 * The /v1 videos API against the official `openai` SDK, unmodified: create,
 * retrieve polling to completed, downloadContent (video, thumbnail,
 * spritesheet), list with pagination, remix, extend, createCharacter /
 * getCharacter, delete; the errors (401, 400 with param, 404, 429); the
 * OpenAPI document against the routes; the API jobs in the studio's queue.
 * Small sizes (--render-scale) and the slate backend keep it fast; content
 * is exported, watermarked and signed like any export.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioServer } from '../../engine/host/studio-server.js';
import type { ApiKeyStore } from '../../engine/host/videos-api/api-keys.js';
import { ROUTES } from '../../engine/host/videos-api/routes.js';
import { startVideosApi, type VideosApiServer } from '../../engine/host/videos-api/server.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { probe, videoStream } from '../../engine/media/probe.js';
import { verifyFile } from '../../engine/provenance/verify.js';
import { ROOT, sharedAvailable, tempDir } from '../support/env.js';
import { startTestVideosApi, type TestVideosApi } from '../support/videos-api.js';

const t = tempDir('klappe-videos-api-');
let studio: StudioServer;
let videos: VideosApiServer;
let key: string;
let keys: ApiKeyStore;
let client: OpenAI;
let api: TestVideosApi;

beforeAll(async () => {
  api = await startTestVideosApi(t.dir);
  ({ studio, videos, keys, key, client } = api);
});

afterAll(async () => {
  await api?.close();
  t.cleanup();
});

async function untilDone(id: string): Promise<OpenAI.Videos.Video> {
  for (;;) {
    const v = await client.videos.retrieve(id);
    expect(['queued', 'in_progress', 'completed', 'failed']).toContain(v.status);
    if (v.status === 'completed' || v.status === 'failed') return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function bytesOf(r: Response): Promise<Buffer> {
  return Buffer.from(await r.arrayBuffer());
}

describe('the official openai SDK against klappe serve --api', () => {
  let first: OpenAI.Videos.Video;

  it('creates a video, polls it to completed and downloads video, thumbnail and spritesheet', async () => {
    const created = await client.videos.create({
      prompt: 'a red ball rolls across the floor',
      model: 'klappe-previz',
      seconds: '4',
      size: '1280x720',
    });
    expect(created).toMatchObject({
      object: 'video',
      model: 'klappe-previz',
      seconds: '4',
      size: '1280x720',
      remixed_from_video_id: null,
      error: null,
    });
    expect(['queued', 'in_progress']).toContain(created.status);
    first = await untilDone(created.id);
    expect(first.status).toBe('completed');
    expect(first.progress).toBe(100);
    expect(first.completed_at).toBeGreaterThanOrEqual(first.created_at);

    const video = await bytesOf(await client.videos.downloadContent(first.id));
    const file = join(t.dir, 'first.mp4');
    (await import('node:fs')).writeFileSync(file, video);
    const p = await probe(file);
    expect(videoStream(p)).toMatchObject({ width: 320, height: 180 });
    expect(Number(p.format?.duration ?? 0)).toBeGreaterThan(3.5);
    const verified = await verifyFile(file, { watermark: false });
    expect(verified.manifest.present).toBe(true);
    expect(verified.manifest.state).toBe('valid');

    for (const variant of ['thumbnail', 'spritesheet'] as const) {
      const img = await bytesOf(await client.videos.downloadContent(first.id, { variant }));
      expect(img.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff])); // JPEG
    }
    // Range
    const range = await fetch(`${videos.baseUrl}/videos/${first.id}/content`, {
      headers: { Authorization: `Bearer ${key}`, Range: 'bytes=0-99' },
    });
    expect(range.status).toBe(206);
    expect((await bytesOf(range)).length).toBe(100);
  });

  it('shows the API jobs in the studio queue of the API project', async () => {
    const jobs = await studio.api.call<'generate.list'>('generate.list', {});
    expect(jobs.some((j) => j.status === 'done' && j.backend === 'previz')).toBe(true);
    const doc = studio.api.openSession()!.doc;
    expect(doc.scenes.some((s) => s.shots.some((x) => x.prompt === 'a red ball rolls across the floor'))).toBe(true);
    const saved = JSON.parse(readFileSync(studio.api.openSession()!.file, 'utf8')) as { takes: unknown[] };
    expect(saved.takes.length).toBeGreaterThan(0);
  });

  it('serves the same request again from the cache: no backend runs, no new take', async () => {
    const takes = studio.api.openSession()!.doc.takes.length;
    const again = await untilDone(
      (await client.videos.create({ prompt: 'a red ball rolls across the floor', model: 'klappe-previz', seconds: '4', size: '1280x720' }))
        .id,
    );
    expect(again.status).toBe('completed');
    expect(again.id).not.toBe(first.id);
    expect(studio.api.openSession()!.doc.takes.length).toBe(takes);
    const jobs = await studio.api.call<'generate.list'>('generate.list', {});
    expect(jobs[jobs.length - 1]).toMatchObject({ status: 'done', stage: 'from cache' });
  });

  it('remixes and extends a completed video; the extension is both parts', async () => {
    const remix = await untilDone((await client.videos.remix(first.id, { prompt: 'a blue ball rolls across the floor' })).id);
    expect(remix).toMatchObject({
      status: 'completed',
      remixed_from_video_id: first.id,
      prompt: 'a blue ball rolls across the floor',
      size: '1280x720',
    });
    const ext = await untilDone((await client.videos.extend({ video: { id: first.id }, prompt: 'the ball stops', seconds: '4' })).id);
    expect(ext).toMatchObject({ status: 'completed', seconds: '8' });
    const file = join(t.dir, 'ext.mp4');
    (await import('node:fs')).writeFileSync(file, await bytesOf(await client.videos.downloadContent(ext.id)));
    expect(Number((await probe(file)).format?.duration ?? 0)).toBeGreaterThan(7.5);
    const edit = await client.videos.edit({ video: { id: first.id }, prompt: 'a green ball' });
    expect(edit.remixed_from_video_id).toBe(first.id);
  });

  it('lists with cursor pagination in both orders', async () => {
    const all: string[] = [];
    for await (const v of client.videos.list({ limit: 2, order: 'asc' })) all.push(v.id);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all[0]).toBe(first.id);
    expect(new Set(all).size).toBe(all.length);
    const page = await client.videos.list({ limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.has_more).toBe(true);
    expect(page.data[0]!.id).toBe(all[all.length - 1]);
  });

  it('makes a character from an uploaded video, which becomes a Klappe character', async () => {
    const clip = join(t.dir, 'me.mp4');
    await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=1', '-pix_fmt', 'yuv420p', clip]);
    const made = await client.videos.createCharacter({
      name: 'Mia',
      video: await toFile(readFileSync(clip), 'me.mp4', { type: 'video/mp4' }),
    });
    expect(made.name).toBe('Mia');
    const got = await client.videos.getCharacter(made.id!);
    expect(got).toMatchObject({ id: made.id, name: 'Mia' });
    // the character is a cameo of the studio's identity (no face in this clip: an object cameo, only its owner may use it)
    const mia = studio.api.openSession()!.doc.characters.find((c) => c.name === 'Mia')!;
    expect(mia.cameoRef).toMatch(/^cameo-[0-9a-f]{16}$/);
    expect(studio.api.cameos.view().cameos.find((c) => c.id === mia.cameoRef)).toMatchObject({ kind: 'object', permission: 'only-me' });
    // the extra fields: a two-shot scene with a line of dialogue for that character
    const multi = await client.videos.create({
      prompt: 'Mia talks',
      model: 'klappe-slate',
      shots: JSON.stringify([
        { prompt: 'wide', seconds: '4' },
        { prompt: 'close', seconds: '4' },
      ]),
      dialogue: JSON.stringify([{ character: made.id, text: 'Hello there.', shot: 1 }]),
    } as unknown as OpenAI.Videos.VideoCreateParams);
    expect(multi.seconds).toBe('8');
    expect(studio.api.openSession()!.doc.lines.some((l) => l.text === 'Hello there.')).toBe(true);
    const bad = await client.videos
      .createCharacter({ name: 'Bad', video: await toFile(Buffer.from('not a video'), 'x.mp4') })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, param: 'video' });
  });

  it.skipIf(!sharedAvailable("the person's cameo test"))(
    "makes a person's cameo from a video of a speaking face (verified recording)",
    async () => {
      // a real talking-face clip from the GRID corpus (CC BY 4.0; attribution in ../shared/media/faces/README.md)
      const grid = join(ROOT, '..', 'shared', 'media', 'faces', 'grid_bbaf2n.mpg');
      const made = await client.videos.createCharacter({ name: 'Speaker', video: await toFile(readFileSync(grid), 'speaker.mpg') });
      const ch = studio.api.openSession()!.doc.characters.find((c) => c.name === 'Speaker')!;
      expect(made.name).toBe('Speaker');
      expect(studio.api.cameos.view().cameos.find((c) => c.id === ch.cameoRef)).toMatchObject({ kind: 'person', mine: true });
    },
  );

  it('deletes a video: gone from retrieve and list', async () => {
    const del = await client.videos.delete(first.id);
    expect(del).toEqual({ id: first.id, object: 'video.deleted', deleted: true });
    await expect(client.videos.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('errors in the dialect shape', () => {
  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${videos.baseUrl}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
    });

  it('401 for a missing, wrong or revoked key', async () => {
    const none = await fetch(`${videos.baseUrl}/videos`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { type: 'authentication_error', param: null, code: 'missing_api_key' } });
    await expect(new OpenAI({ apiKey: 'sk-klappe-wrong', baseURL: videos.baseUrl, maxRetries: 0 }).videos.list()).rejects.toMatchObject({
      status: 401,
    });
    const made = keys.create('short-lived');
    const c2 = new OpenAI({ apiKey: made.key, baseURL: videos.baseUrl, maxRetries: 0 });
    await c2.videos.list();
    keys.revoke(made.id);
    await expect(c2.videos.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('400 with param for a malformed body, an unknown size, seconds out of range', async () => {
    const cases: Array<[string, string, string | null]> = [
      ['{"prompt": ', 'application/json', null],
      [JSON.stringify({ prompt: 'x', size: '640x480' }), 'application/json', 'size'],
      [JSON.stringify({ prompt: 'x', seconds: '5' }), 'application/json', 'seconds'],
      [JSON.stringify({ prompt: 'x', seconds: 100 }), 'application/json', 'seconds'],
      [JSON.stringify({ size: '720x1280' }), 'application/json', 'prompt'],
      [JSON.stringify({ prompt: 'x', model: 'dall-e' }), 'application/json', 'model'],
    ];
    for (const [body, type, param] of cases) {
      const r = await raw('/videos', { method: 'POST', body, headers: { 'Content-Type': type } });
      expect(r.status, body).toBe(400);
      const j = (await r.json()) as { error: { message: string; type: string; param: string | null; code: string | null } };
      expect(j.error.type).toBe('invalid_request_error');
      expect(j.error.param).toBe(param);
      expect(j.error.message.length).toBeGreaterThan(5);
    }
    await expect(client.videos.create({ prompt: 'x', seconds: '9' as '4' })).rejects.toMatchObject({ status: 400, param: 'seconds' });
    const list = await raw('/videos?limit=1000');
    expect((await list.json()) as object).toMatchObject({ error: { param: 'limit' } });
  });

  it('404 for unknown ids and paths; 413 over the body limit', async () => {
    await expect(client.videos.retrieve('video_nope')).rejects.toMatchObject({ status: 404 });
    await expect(client.videos.downloadContent('video_nope')).rejects.toMatchObject({ status: 404 });
    await expect(client.videos.getCharacter('char_nope')).rejects.toMatchObject({ status: 404 });
    await expect(client.videos.remix('video_nope', { prompt: 'x' })).rejects.toMatchObject({ status: 404 });
    expect((await raw('/nothing')).status).toBe(404);
    const big = await raw('/videos', {
      method: 'POST',
      body: JSON.stringify({ prompt: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'Content-Type': 'application/json' },
    }).catch(() => undefined);
    if (big) expect(big.status).toBe(413);
  });

  it('429 with Retry-After over the rate of a key', async () => {
    const tight = await startVideosApi({
      api: studio.api,
      projectDir: studio.api.openSession()!.dir,
      keys,
      dbFile: join(t.dir, 'videos.db'),
      rateLimit: { perMinute: 60, burst: 3 },
    });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${tight.baseUrl}/videos`, { headers: { Authorization: `Bearer ${key}` } });
        statuses.push(r.status);
        if (r.status === 429) retryAfter = r.headers.get('retry-after');
        await r.arrayBuffer();
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses[4]).toBe(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      await tight.close();
    }
  });

  it('serves an OpenAPI 3.1 document whose operations are exactly the routes', async () => {
    const r = await fetch(`${videos.baseUrl}/openapi.json`);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(documented).toEqual(ROUTES.map((x) => `${x.method} ${x.path}`).sort());
    // every documented operation answers (not 404 for its path, not 405 for its method)
    for (const route of ROUTES) {
      const path = route.path.replace('{video_id}', 'video_x').replace('{character_id}', 'char_x');
      const res = await fetch(`http://127.0.0.1:${videos.port}${path}`, {
        method: route.method,
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        ...(route.method === 'POST' ? { body: '{}' } : {}),
      });
      await res.arrayBuffer();
      expect(res.status, `${route.method} ${path}`).not.toBe(405);
      if (!path.includes('_x')) expect(res.status, `${route.method} ${path}`).not.toBe(404);
      else
        expect(
          (
            (await fetch(`http://127.0.0.1:${videos.port}${path}`, {
              method: route.method,
              headers: { Authorization: `Bearer ${key}` },
            }).then((x) => x.json())) as { error?: { code: string } }
          ).error?.code,
        ).not.toBe('unknown_url');
    }
  });
});
