/**
 * The /v1 videos API beyond the basics, with the official `openai` SDK: an
 * input_reference (an uploaded image, a video's first frame, a data: URL)
 * reaches the backend as the shot's first frame (here Veo, served by the
 * loopback Gemini stand-in, which records the request body); content is pinned
 * in the media cache until `expires_at`; deleting a video removes its scene
 * and unpins its content.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectGarbage } from '../../engine/cache/maintenance.js';
import type { StudioServer } from '../../engine/host/studio-server.js';
import type { VideosApiServer } from '../../engine/host/videos-api/server.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { probe, videoStream } from '../../engine/media/probe.js';
import { tempDir } from '../support/env.js';
import { startTestVideosApi, type TestVideosApi } from '../support/videos-api.js';
import { makeTestClip } from '../servers/test-clip.js';
import { VeoTestServer } from '../servers/veo-server.js';

const VEO_KEY = 'AIzaTEST-veo-key-0123456789abcdef';
const t = tempDir('klappe-videos-api-refs-');
let studio: StudioServer;
let videos: VideosApiServer;
let veo: VeoTestServer;
let key: string;
let client: OpenAI;
let api: TestVideosApi;
let png: Buffer;

beforeAll(async () => {
  veo = await new VeoTestServer({ apiKey: VEO_KEY, video: await makeTestClip(join(t.dir, 'veo.mp4'), { seconds: 4 }) }).start();
  process.env.KLAPPE_GEMINI_BASE_URL = veo.url;
  process.env.KLAPPE_GEMINI_API_KEY = VEO_KEY;
  process.env.KLAPPE_VEO_POLL_MS = '50';
  const pngFile = join(t.dir, 'ref.png');
  await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x36:rate=1', '-frames:v', '1', '-y', pngFile]);
  png = readFileSync(pngFile);
  api = await startTestVideosApi(t.dir);
  ({ studio, videos, key, client } = api);
});

afterAll(async () => {
  await api?.close();
  await veo?.close();
  for (const k of ['KLAPPE_GEMINI_BASE_URL', 'KLAPPE_GEMINI_API_KEY', 'KLAPPE_VEO_POLL_MS']) delete process.env[k];
  t.cleanup();
});

async function untilDone(id: string): Promise<OpenAI.Videos.Video> {
  for (;;) {
    const v = await client.videos.retrieve(id);
    if (v.status === 'completed' || v.status === 'failed') return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The first-frame image of the newest Veo submission, as a PNG file's size. */
async function submittedImageSize(): Promise<{ width?: number; height?: number }> {
  const instance = veo.submissions[veo.submissions.length - 1]!.body.instances[0]!;
  const image = instance.image as { inlineData: { mimeType: string; data: string } };
  expect(image.inlineData.mimeType).toBe('image/png');
  const file = join(t.dir, `submitted-${veo.submissions.length}.png`);
  writeFileSync(file, Buffer.from(image.inlineData.data, 'base64'));
  const s = videoStream(await probe(file))!;
  return { width: s.width, height: s.height };
}

const raw = (path: string, body: unknown) =>
  fetch(`${videos.baseUrl}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('input_reference', () => {
  let made: OpenAI.Videos.Video;

  it('an uploaded image becomes the first frame Veo receives', async () => {
    const created = await client.videos.create({
      prompt: 'a lighthouse at dusk, the camera pushes in',
      model: 'veo-3.1',
      seconds: '4',
      size: '1280x720',
      input_reference: await toFile(png, 'ref.png', { type: 'image/png' }),
    });
    made = await untilDone(created.id);
    expect(made.status).toBe('completed');
    expect(await submittedImageSize()).toEqual({ width: 64, height: 36 });
  });

  it('a video upload gives its first frame; a data: URL works in JSON', async () => {
    const clip = readFileSync(await makeTestClip(join(t.dir, 'ref.mp4'), { width: 96, height: 54 }));
    const fromVideo = await client.videos.create({
      prompt: 'the same lighthouse, from the sea',
      model: 'veo-3.1',
      seconds: '4',
      size: '1280x720',
      input_reference: await toFile(clip, 'ref.mp4', { type: 'video/mp4' }),
    });
    expect((await untilDone(fromVideo.id)).status).toBe('completed');
    expect(await submittedImageSize()).toEqual({ width: 96, height: 54 });

    const res = await raw('/videos', {
      prompt: 'the lighthouse at night',
      model: 'veo-3.1',
      seconds: '4',
      input_reference: { image_url: `data:image/png;base64,${png.toString('base64')}` },
    });
    expect(res.status).toBe(200);
    expect((await untilDone(((await res.json()) as { id: string }).id)).status).toBe('completed');
    expect(await submittedImageSize()).toEqual({ width: 64, height: 36 });
  });

  it('refuses what it cannot use, with param input_reference', async () => {
    const cases: Array<[unknown, string]> = [
      [{ image_url: 'https://example.com/a.png' }, 'unsupported_value'],
      [{ file_id: 'file_123' }, 'unsupported_value'],
      [42, 'invalid_value'],
    ];
    for (const [value, code] of cases) {
      const res = await raw('/videos', { prompt: 'x', input_reference: value });
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { param: string; code: string } };
      expect(error.param).toBe('input_reference');
      if (code !== 'invalid_value') expect(error.code).toBe(code);
    }
    await expect(
      client.videos.create({ prompt: 'x', input_reference: await toFile(Buffer.from('not an image'), 'x.png', { type: 'image/png' }) }),
    ).rejects.toMatchObject({ status: 400, param: 'input_reference' });
  });

  it('extends an uploaded video from its last frame, and edits one from its first', async () => {
    const upload = readFileSync(await makeTestClip(join(t.dir, 'upload.mp4'), { seconds: 2, width: 112, height: 64 }));
    const extended = await client.videos.extend({
      video: await toFile(upload, 'upload.mp4', { type: 'video/mp4' }),
      prompt: 'the ball keeps rolling',
      seconds: '4',
    });
    const done = await untilDone(extended.id);
    expect(done.status).toBe('completed');
    expect(await submittedImageSize()).toEqual({ width: 112, height: 64 });
    const out = join(t.dir, 'extended.mp4');
    writeFileSync(out, Buffer.from(await (await client.videos.downloadContent(done.id)).arrayBuffer()));
    expect(Number((await probe(out)).format?.duration)).toBeGreaterThan(5.5); // 2 s uploaded + 4 s made

    const edited = await untilDone(
      (await client.videos.edit({ video: await toFile(upload, 'upload.mp4', { type: 'video/mp4' }), prompt: 'the same, in the rain' })).id,
    );
    expect(edited.status).toBe('completed');
    expect(await submittedImageSize()).toEqual({ width: 112, height: 64 });

    await expect(
      client.videos.extend({ video: await toFile(Buffer.from('no video'), 'x.mp4', { type: 'video/mp4' }), prompt: 'x', seconds: '4' }),
    ).rejects.toMatchObject({ status: 400, param: 'video' });
  });

  it('keeps the content pinned until expires_at; delete removes the scene and unpins', async () => {
    expect(made.expires_at).toBe(made.completed_at! + 30 * 86_400);
    const index = studio.api.generation.queue.index;
    const sceneCount = () => studio.api.openSession()!.doc.scenes.length;
    // a cache budget of 0 bytes: what is pinned stays
    collectGarbage(index, { budgetBytes: 0 });
    const ok = await fetch(`${videos.baseUrl}/videos/${made.id}/content`, { headers: { Authorization: `Bearer ${key}` } });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();

    const before = sceneCount();
    await client.videos.delete(made.id);
    expect(sceneCount()).toBe(before - 1);
    const report = collectGarbage(index, { budgetBytes: 0 });
    expect(report.evicted.length).toBeGreaterThan(0);
  });
});
