/** The farm pool in one process: node errors take a server out for the workflow, health marks down and back up. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComfyPool, createFarmBackend } from '../../engine/generate/cloud/comfyui-pool.js';
import { envServers } from '../../engine/generate/cloud/farm-config.js';
import type { GenerateContext, ShotRequest } from '../../engine/generate/backend.js';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { loadProject } from '../../engine/model/project-file.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { isKlappeError } from '../../engine/common/errors.js';
import { tempDir } from '../support/env.js';
import { makeTestClip } from '../servers/test-clip.js';
import { ComfyTestServer } from '../servers/comfyui-server.js';

const t = tempDir('klappe-farm-pool-');
let clip = '';
let request: ShotRequest;
const open: ComfyTestServer[] = [];

beforeAll(async () => {
  clip = await makeTestClip(join(t.dir, 'clip.mp4'));
  request = buildShotRequest(loadProject(createProjectFromTemplate(join(t.dir, 'p'), 'two-scenes')).doc, 's1');
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  t.cleanup();
});

async function server(opts: Partial<ConstructorParameters<typeof ComfyTestServer>[0]> = {}): Promise<ComfyTestServer> {
  const s = await new ComfyTestServer({ video: clip, steps: 2, stepMs: 5, ...opts }).start();
  open.push(s);
  return s;
}

function ctx(): { c: GenerateContext; reasons: string[]; saved: unknown[] } {
  const dir = join(t.dir, `w-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const reasons: string[] = [];
  const saved: unknown[] = [];
  return {
    c: {
      signal: new AbortController().signal,
      workDir: dir,
      onProgress: () => {},
      saveResumeState: (s) => saved.push(s),
      noteReason: (r) => reasons.push(r),
    },
    reasons,
    saved,
  };
}

const poolOf = (list: ComfyTestServer[], labels: string[]) =>
  new ComfyPool({
    servers: () => envServers(list.map((s, i) => `${s.url}#label=${labels[i]}`).join(',')),
    probeMs: 100,
    probeTimeoutMs: 1500,
  });

describe('farm pool', () => {
  it('a server that rejects the workflow with node errors is out for that workflow; the shot runs on another', async () => {
    const bad = await server({ failure: 'nodeErrors' });
    const good = await server();
    const pool = poolOf([bad, good], ['bad', 'good']);
    await pool.probeAll();
    // prefer the bad one first (less load is equal; more VRAM wins): make it look bigger
    bad.opts.vramGb = 80;
    await pool.probeAll();
    const backend = createFarmBackend({ pool: () => pool, pollMs: 50 });
    const { c, saved } = ctx();
    const out = await backend.generate(request, c);
    expect(out.metadata.farm).toMatchObject({ server: 'good' });
    expect(bad.counts.prompt).toBe(1);
    expect(saved.at(-1)).toMatchObject({ serverLabel: 'good', promptId: expect.any(String) });
    const v = pool.view();
    expect(v.servers.find((s) => s.label === 'bad')!.excluded[0]).toMatchObject({
      workflow: 'text-to-video.json',
      errors: expect.stringMatching(/node 1 \(CheckpointLoaderSimple\).*Value not in list/),
    });
    // next shot goes straight to the good one
    await backend.generate(request, ctx().c);
    expect(bad.counts.prompt).toBe(1);
  });

  it("prefers the server that has the workflow's model files over one with more free VRAM", async () => {
    const big = await server({
      vramGb: 80,
      models: { checkpoints: ['other-model.safetensors'], text_encoders: ['t5xxl_fp16.safetensors'] },
    });
    const fit = await server({
      vramGb: 24,
      models: { checkpoints: ['ltx-video-2b-v0.9.5.safetensors'], text_encoders: ['t5xxl_fp16.safetensors'], vae: [] },
    });
    const pool = poolOf([big, fit], ['big', 'fit']);
    await pool.probeAll();
    const out = await createFarmBackend({ pool: () => pool, pollMs: 50 }).generate(request, ctx().c);
    expect(out.metadata.farm).toMatchObject({ server: 'fit' });
    expect(big.counts.prompt).toBe(0);
  });

  it("when every server rejects the workflow, the node errors are the job's error (input: no fallback)", async () => {
    const pool = poolOf([await server({ failure: 'nodeErrors' })], ['only']);
    const e = await createFarmBackend({ pool: () => pool, pollMs: 50 })
      .generate(request, ctx().c)
      .catch((x: unknown) => x);
    expect(isKlappeError(e) && e.code).toBe('COMFYUI_NODE_ERRORS');
    expect(isKlappeError(e) && e.kind).toBe('input');
  });

  it('health: a server that stops answering is down (its slots leave the queue), and rejoins when it answers', async () => {
    const a = await server({ gpu: 'NVIDIA H100 80GB HBM3', vramGb: 80 });
    const b = await server();
    const pool = poolOf([a, b], ['a', 'b']);
    await pool.probeAll();
    expect(pool.view().servers.map((s) => [s.label, s.state, s.gpu])).toEqual([
      ['a', 'up', 'NVIDIA H100 80GB HBM3'],
      ['b', 'up', expect.stringContaining('4090')],
    ]);
    expect(pool.slots()).toBe(2);
    a.opts.failure = 'hang';
    await pool.probeAll();
    await pool.probeAll();
    expect(pool.view().servers[0]).toMatchObject({ state: 'down', lastError: expect.stringMatching(/no answer within 1500 ms/) });
    expect(pool.slots()).toBe(1);
    a.opts.failure = 'none';
    await pool.probeAll();
    expect(pool.view().servers[0]!.state).toBe('up');
    expect(pool.slots()).toBe(2);
  });
});
