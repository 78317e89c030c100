import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateContext, ShotRequest } from '../../engine/generate/backend.js';
import { createComfyBackend } from '../../engine/generate/cloud/comfyui.js';
import { loadWorkflow } from '../../engine/generate/cloud/comfyui-workflow.js';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { loadProject } from '../../engine/model/project-file.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { isKlappeError, type KlappeError } from '../../engine/common/errors.js';
import { tempDir } from '../support/env.js';
import { makeTestClip } from '../servers/test-clip.js';
import { ComfyTestServer } from '../servers/comfyui-server.js';

const t = tempDir('klappe-comfy-');
let server: ComfyTestServer;
let request: ShotRequest;

beforeAll(async () => {
  const clip = await makeTestClip(join(t.dir, 'clip.mp4'));
  server = await new ComfyTestServer({ video: clip, steps: 6, stepMs: 10 }).start();
  request = buildShotRequest(loadProject(createProjectFromTemplate(join(t.dir, 'p'), 'two-scenes')).doc, 's1');
});
afterAll(async () => {
  await server.close();
  t.cleanup();
});

function ctx(resumeState?: unknown, signal = new AbortController().signal) {
  const dir = join(t.dir, `work-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const saved: unknown[] = [];
  const stages: string[] = [];
  const c: GenerateContext = {
    signal,
    workDir: dir,
    resumeState,
    saveResumeState: (s) => saved.push(s),
    onProgress: (p) => stages.push(`${p.stage}@${p.fraction.toFixed(2)}`),
  };
  return { c, saved, stages };
}
const comfy = (workflowFile?: string) => createComfyBackend({ url: () => server.url, pollMs: 200, workflowFile });
async function failure(p: Promise<unknown>): Promise<KlappeError> {
  try {
    await p;
  } catch (e) {
    if (isKlappeError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}
const withPrompt = (prompt: string): ShotRequest => ({ ...request, shot: { ...request.shot, prompt } });

describe('ComfyUI backend against the documented server API (loopback server)', () => {
  it('fills the template, queues it with its client id, follows websocket progress and downloads the video', async () => {
    const { c, saved, stages } = ctx();
    const out = await comfy().generate(withPrompt('a red ball bounces'), c);
    const sent = server.prompts[server.prompts.length - 1]!;
    expect(sent.prompt['3']!.inputs.text).toContain('a red ball bounces');
    expect(sent.prompt['7']!.inputs.seed).toBe(request.seed);
    expect(sent.prompt['5']!.inputs).toMatchObject({
      width: request.size.width,
      height: request.size.height,
      length: request.shot.duration,
    });
    expect(saved[0]).toEqual({ promptId: out.metadata.promptId, clientId: sent.client_id });
    expect(stages.some((s) => s.startsWith('ComfyUI 3/6'))).toBe(true);
    expect(out.video.endsWith('.mp4')).toBe(true);
  });

  it('shows node errors per node', async () => {
    const e = await failure(comfy().generate(withPrompt('NODEERROR'), ctx().c));
    expect(e.code).toBe('COMFYUI_NODE_ERRORS');
    expect(e.kind).toBe('input');
    expect(e.issues[0]).toEqual({
      path: 'node 1 (CheckpointLoaderSimple)',
      message: "Value not in list: ckpt_name: 'ltx-video-2b-v0.9.5.safetensors' not in []",
    });
  });

  it('reports an execution error with its node', async () => {
    const e = await failure(comfy().generate(withPrompt('CRASH'), ctx().c));
    expect(e.code).toBe('COMFYUI_EXECUTION_ERROR');
    expect(e.message).toMatch(/node 7 \(KSampler\).*CUDA out of memory/);
  });

  it('resumes a queued prompt without queueing it again', async () => {
    const first = ctx();
    await comfy().generate(request, first.c);
    const before = server.counts.prompt;
    await comfy().generate(request, ctx(first.saved[0]).c);
    expect(server.counts.prompt).toBe(before);
  });

  it('interrupts the run on cancel, within a second', async () => {
    server.opts.stepMs = 5000;
    const ac = new AbortController();
    const p = failure(comfy().generate(request, ctx(undefined, ac.signal).c));
    await new Promise((r) => setTimeout(r, 400));
    const before = server.counts.interrupt;
    const t0 = Date.now();
    ac.abort();
    const e = await p;
    expect(e.kind).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(server.counts.interrupt).toBe(before + 1);
    expect(server.interrupts[server.interrupts.length - 1]!.body).toMatchObject({ prompt_id: expect.any(String) });
    server.opts.stepMs = 10;
  });

  it('rejects a workflow that is not in API format, naming the node', () => {
    const bad = join(t.dir, 'ui-format.json');
    writeFileSync(bad, JSON.stringify({ nodes: [{ id: 1 }], links: [] }));
    expect(() => loadWorkflow(bad)).toThrow(/node "nodes" has no class_type/);
  });
});
