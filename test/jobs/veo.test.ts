import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GenerateContext, ShotRequest } from '../../engine/generate/backend.js';
import { createVeoBackend, veoRequestBody } from '../../engine/generate/cloud/veo.js';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { loadProject } from '../../engine/model/project-file.js';
import { isKlappeError, type KlappeError } from '../../engine/common/errors.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { tempDir } from '../support/env.js';
import { makeTestClip } from '../servers/test-clip.js';
import { VeoTestServer } from '../servers/veo-server.js';

const KEY = 'AIzaTEST-veo-key-0123456789abcdef';
const t = tempDir('klappe-veo-');
let server: VeoTestServer;
let request: ShotRequest;
process.env.KLAPPE_HTTP_BACKOFF_MS = '50';

beforeAll(async () => {
  const clip = await makeTestClip(join(t.dir, 'clip.mp4'));
  server = await new VeoTestServer({ apiKey: KEY, video: clip }).start();
  const file = createProjectFromTemplate(join(t.dir, 'p'), 'two-scenes');
  request = buildShotRequest(loadProject(file).doc, 's1');
});
afterAll(async () => {
  await server.close();
  t.cleanup();
});
beforeEach(() => {
  server.faults.submit.length = 0;
  server.faults.poll.length = 0;
  server.faults.download.length = 0;
  server.opts.doneAfterPolls = 1;
  server.opts.doneAfterMs = 0;
});

function ctx(resumeState?: unknown, signal = new AbortController().signal) {
  const dir = join(t.dir, `work-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const saved: unknown[] = [];
  const progress: number[] = [];
  const c: GenerateContext = {
    signal,
    workDir: dir,
    resumeState,
    saveResumeState: (s) => saved.push(s),
    onProgress: (p) => progress.push(p.fraction),
  };
  return { c, saved, progress, dir };
}

const veo = () => createVeoBackend({ apiKey: () => KEY, baseUrl: server.url, pollMs: 20 });
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

describe('Veo backend against the documented Gemini API (loopback server)', () => {
  it('sends the documented request and downloads the video; saves the operation before waiting', async () => {
    server.opts.doneAfterPolls = 3;
    const before = server.counts.submit;
    const { c, saved, progress } = ctx();
    const out = await veo().generate(request, c);
    expect(server.counts.submit - before).toBe(1);
    const sub = server.submissions[server.submissions.length - 1]!;
    expect(sub.body).toEqual(veoRequestBody(request));
    expect(sub.body.parameters).toMatchObject({ aspectRatio: '16:9', resolution: '720p', durationSeconds: 4 });
    expect(saved[0]).toEqual({ operation: sub.operation });
    expect(out.metadata.operation).toBe(sub.operation);
    expect(readdirSync(c.workDir)).toEqual(['veo.mp4']);
    expect(progress.length).toBeGreaterThanOrEqual(3);
  });

  it("sends the shot's negative prompt as the documented parameter, and none when it is empty", () => {
    const withNegative = { ...request, shot: { ...request.shot, negativePrompt: 'text, watermark, blur' } };
    expect((veoRequestBody(withNegative).parameters as Record<string, unknown>).negativePrompt).toBe('text, watermark, blur');
    expect(veoRequestBody(request).parameters).not.toHaveProperty('negativePrompt');
  });

  it('resumes a stored operation without submitting again', async () => {
    const { c } = ctx();
    await veo().generate(request, c);
    const op = server.submissions[server.submissions.length - 1]!.operation;
    const before = server.counts.submit;
    const r = ctx({ operation: op });
    await veo().generate(request, r.c);
    expect(server.counts.submit).toBe(before);
  });

  it('retries 429 after Retry-After and 500 with backoff, and polls through a dropped connection', async () => {
    server.faults.submit.push('429', '500');
    server.faults.poll.push('drop');
    const before = server.submissions.length;
    const started = Date.now();
    await veo().generate(request, ctx().c);
    expect(server.submissions.length - before).toBe(1);
    const t429 = server.faultLog.find((f) => f.fault === '429' && f.at >= started)!;
    const t500 = server.faultLog.find((f) => f.fault === '500' && f.at >= started)!;
    expect(t500.at - t429.at).toBeGreaterThanOrEqual(900); // Retry-After: 1
  });

  it('never resubmits after a dropped connection on submit (it may have been accepted)', async () => {
    server.faults.submit.push('drop');
    const before = server.counts.submit;
    const e = await failure(veo().generate(request, ctx().c));
    expect(e.code).toBe('REMOTE_UNCERTAIN');
    expect(server.counts.submit - before).toBe(1);
  });

  it('reports filtered content with the reason, and an operation error', async () => {
    const f = ctx();
    const e = await failure(veo().generate(withPrompt('FILTERME please'), f.c));
    expect(e.code).toBe('CONTENT_FILTERED');
    expect(e.kind).toBe('input');
    expect(e.message).toMatch(/safety filter.*Try rephrasing/);
    expect(f.saved[f.saved.length - 1]).toBeUndefined(); // finished: nothing to resume
    const g = await failure(veo().generate(withPrompt('FAILME'), ctx().c));
    expect(g.code).toBe('VEO_OPERATION_FAILED');
    expect(g.message).toMatch(/unsupported content.*code 3/);
  });

  it('gives up on repeated 500s with a clear error, and never puts the key in it', async () => {
    server.faults.submit.push('500', '500', '500', '500', '500', '500');
    const e = await failure(createVeoBackend({ apiKey: () => KEY, baseUrl: server.url, pollMs: 20 }).generate(request, ctx().c));
    expect(e.code).toBe('REMOTE_UNAVAILABLE');
    expect(JSON.stringify(e.toJSON())).not.toContain(KEY);
    const bad = await failure(createVeoBackend({ apiKey: () => 'wrong-key-value', baseUrl: server.url }).generate(request, ctx().c));
    expect(bad.message).toMatch(/API key not valid/);
  });

  it('is cancelled within a second while waiting on the operation', async () => {
    server.opts.doneAfterMs = 60_000;
    const ac = new AbortController();
    const p = failure(
      createVeoBackend({ apiKey: () => KEY, baseUrl: server.url, pollMs: 5000 }).generate(request, ctx(undefined, ac.signal).c),
    );
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    ac.abort();
    const e = await p;
    expect(e.kind).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('refuses to run without a key, saying where to set one', () => {
    let e: KlappeError | undefined;
    try {
      createVeoBackend({ apiKey: () => undefined }).validate!(request);
    } catch (x) {
      e = x as KlappeError;
    }
    expect(e?.code).toBe('NO_API_KEY');
    expect(e?.hint).toMatch(/KLAPPE_GEMINI_API_KEY/);
  });
});
