/**
 * `model: "local:<pack>"` in the /v1 dialect picks that installed pack: the
 * official openai SDK creates a video with the tiny Wan pack in the model
 * folder (KLAPPE_MODEL_DIR), the job runs on `local:tiny-wan` and the take in
 * the studio's project records it, with the provider; an unknown pack falls
 * back with the reason.
 */
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioServer } from '../../engine/host/studio-server.js';
import { inferenceHost } from '../../engine/inference/inference-host.js';
import { tempDir } from '../support/env.js';
import { startTestVideosApi, type TestVideosApi } from '../support/videos-api.js';
import { buildTinyWanPack } from '../support/tiny-wan-pack.js';

const t = tempDir('klappe-videos-local-');
let studio: StudioServer;
let client: OpenAI;
let api: TestVideosApi;
const oldModels = process.env.KLAPPE_MODEL_DIR;

beforeAll(async () => {
  process.env.KLAPPE_MODEL_DIR = join(t.dir, 'models');
  buildTinyWanPack(join(t.dir, 'models', 'tiny-wan'), { hidden: 32 });
  api = await startTestVideosApi(t.dir);
  ({ studio, client } = api);
});

afterAll(async () => {
  await api?.close();
  await inferenceHost().close();
  if (oldModels === undefined) delete process.env.KLAPPE_MODEL_DIR;
  else process.env.KLAPPE_MODEL_DIR = oldModels;
  t.cleanup();
});

async function untilDone(id: string): Promise<OpenAI.Videos.Video> {
  for (;;) {
    const v = await client.videos.retrieve(id);
    if (v.status === 'completed' || v.status === 'failed') return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('/v1 videos with model local:<pack>', () => {
  it('runs the named pack and records it on the take', async () => {
    const created = await client.videos.create({
      prompt: 'a red car in the rain',
      model: 'local:tiny-wan' as never,
      seconds: '4',
      size: '1280x720',
    });
    const done = await untilDone(created.id);
    expect(done.status).toBe('completed');
    const doc = studio.api.openSession()!.doc;
    const take = doc.takes.at(-1)!;
    expect(take).toMatchObject({ backend: 'local:tiny-wan', model: 'tiny-wan' });
    expect(take.params.provider).toBe('cpu');
    expect(take.fallbackReason).toBeUndefined();
  });

  it("an unknown pack falls back (here to the installed pack, the router's next choice) and says why", async () => {
    const created = await client.videos.create({ prompt: 'a blue ball', model: 'local:nope' as never, seconds: '4', size: '1280x720' });
    const done = await untilDone(created.id);
    expect(done.status).toBe('completed');
    const take = studio.api.openSession()!.doc.takes.at(-1)!;
    expect(take.backend).toBe('local:tiny-wan');
    expect(take.fallbackReason).toMatch(/^local:nope chosen but no text-to-video model pack "nope" in .* \(installed: tiny-wan\)/);
  });
});
