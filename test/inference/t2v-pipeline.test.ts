/**
 * The local text-to-video pipeline on the tiny Wan pack (test/support/tiny-wan-pack.ts):
 * the tokenizer and the scheduler against values worked out by hand, then the
 * real pipeline in the inference worker (real onnxruntime sessions): shapes,
 * determinism, guidance, progress per step, cancel between steps, frame-by-frame
 * decode, an out-of-memory that fails only its own job, the session budget and
 * the fit check.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFits, estimateRunBytes, fitCheck } from '../../engine/inference/fit-check.js';
import { applyGuidance, eulerStep, flowSigmas, flowTimesteps, gaussianNoise, UniPcSampler } from '../../engine/inference/flow-match.js';
import { InferenceHost } from '../../engine/inference/inference-host.js';
import { providerOffers } from '../../engine/inference/providers.js';
import { SessionCache } from '../../engine/inference/session-cache.js';
import { loadTokenizer } from '../../engine/inference/unigram-tokenizer.js';
import { runT2v, type T2vJob, type T2vProgress } from '../../engine/inference/wan-t2v.js';
import { tempDir } from '../support/env.js';
import { buildTinyWanPack, TINY_VOCAB, type TinyWanPack } from '../support/tiny-wan-pack.js';

const t = tempDir('klappe-t2v-');
let pack: TinyWanPack;
const host = new InferenceHost();
beforeAll(() => {
  pack = buildTinyWanPack(join(t.dir, 'tiny-wan'), { hidden: 32, seed: 7 });
});
afterAll(async () => {
  await host.close();
  t.cleanup();
});

const id = (piece: string) => TINY_VOCAB.findIndex(([p]) => p === piece);

function job(over: Partial<T2vJob> = {}): T2vJob {
  const g = (p: string) => join(pack.dir, p);
  return {
    pack: 'tiny-wan',
    graphs: {
      textEncoder: g('text_encoder/model.onnx'),
      transformer: g('transformer/model.onnx'),
      vaeDecoder: g('vae_decoder/model.onnx'),
      tokenizer: g('tokenizer/tokenizer.json'),
    },
    prompt: 'a red car in the rain',
    negativePrompt: 'blurry',
    seed: 42,
    steps: 4,
    guidance: 5,
    shift: 3,
    scheduler: 'euler',
    width: 64,
    height: 48,
    frames: 5,
    latent: { channels: 16, spatialScale: 8, temporalScale: 1 },
    decodeChunk: 1,
    framesFile: join(t.dir, `frames-${Math.random().toString(36).slice(2)}.rgb`),
    ...over,
  };
}
const md5 = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');

describe('UMT5 Unigram tokenizer (tokenizer.json of the tiny pack)', () => {
  it('splits words into the best-scoring pieces, ends with </s> and pads to the text length', () => {
    const tok = loadTokenizer(join(pack.dir, 'tokenizer/tokenizer.json'));
    // "▁the" (−3) beats "▁t"+"h"+"e" (−14.5); "cats" = "▁cat" + "s" (−6) beats "▁c"+"a"+"t"+"s" (−19.5);
    // case matters (T5 does not lower-case): "T" is no piece, so "▁" + <unk>
    expect(tok.encode('the  cats')).toEqual([id('▁the'), id('▁cat'), id('s'), 1]);
    expect(tok.encode('The')).toEqual([id('▁'), 2, id('h'), id('e'), 1]);
    expect(tok.encode('the dog')).toEqual([id('▁the'), id('▁dog'), 1]);
    // characters no piece covers: one <unk> per run
    expect(tok.encode('a éé')).toEqual([id('▁a'), id('▁'), 2, 1]);
    const { ids, tokens } = tok.encodePadded('the dog', 8);
    expect(Array.from(ids, Number)).toEqual([id('▁the'), id('▁dog'), 1, 0, 0, 0, 0, 0]);
    expect(tokens).toBe(3);
    // cut to length with </s> kept last
    expect(Array.from(tok.encodePadded('the dog runs in the rain', 3).ids, Number)).toEqual([id('▁the'), id('▁dog'), 1]);
  });
});

describe('flow-matching scheduler (values by hand)', () => {
  it('shifts the sigma grid, steps with Euler and mixes guidance', () => {
    // shift 3, 2 steps: s = 1, 0.5, 0 → σ = 1, 3·0.5/(1 + 2·0.5) = 0.75, 0
    expect(flowSigmas(2, 3)).toEqual([1, 0.75, 0]);
    expect(flowTimesteps([1, 0.75, 0])).toEqual([1000, 750]);
    // shift 1 is the plain linear grid
    expect(flowSigmas(4, 1)).toEqual([1, 0.75, 0.5, 0.25, 0]);
    // x = 1, v = 2, σ 1 → 0.75: x = 1 + (0.75 − 1)·2 = 0.5
    expect(Array.from(eulerStep(Float32Array.of(1, -2), Float32Array.of(2, 4), 1, 0.75))).toEqual([0.5, -3]);
    // uncond 1, cond 3, g 5: 1 + 5·(3 − 1) = 11; g 1 is the conditional prediction
    expect(Array.from(applyGuidance(Float32Array.of(3), Float32Array.of(1), 5))).toEqual([11]);
    expect(Array.from(applyGuidance(Float32Array.of(3), Float32Array.of(1), 1))).toEqual([3]);
    // walking σ from 1 to 0 with the exact velocity (x0 − noise) lands on x0, whatever the grid
    const noise = 2;
    const x0 = -0.5;
    const x = Float32Array.of(noise);
    const s = flowSigmas(7, 5);
    for (let i = 0; i < 7; i++) eulerStep(x, Float32Array.of(noise - x0), s[i]!, s[i + 1]!);
    expect(x[0]).toBeCloseTo(x0, 6);
    // seeded noise: same seed, same numbers; about unit variance
    expect(gaussianNoise(4, 9)).toEqual(gaussianNoise(4, 9));
    const n = gaussianNoise(20000, 1);
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    const variance = n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});

describe('UniPC (order 2, bh2) on the flow grid', () => {
  it('matches a three-step run worked out by hand and beats Euler on a smooth flow', () => {
    // dx/dσ = v(x, σ) = x + σ from x = 1 at σ = 1 (exact: x(0) = 3/e − 1); shift 1, 3 steps: σ = 1, 2/3, 1/3, 0
    const v = (x: number, s: number) => Float32Array.of(x + s);
    const sig = flowSigmas(3, 1);
    const u = new UniPcSampler(sig);
    let x: Float32Array = Float32Array.of(1);
    const trace: number[] = [];
    for (let i = 0; i < 3; i++) trace.push((x = u.step(i, x, v(x[0]!, sig[i]!)))[0]!);
    // step 0 (order 1 from σ = 1): m0 = 1 − 1·2 = −1, x1 = (2/3)·1 + (1/3)·(−1) = 1/3
    // step 1: m1 = 1/3 − (2/3)·1 = −1/3; corrector x1 = 1/3 + (1/3)·(1/2)·(m1 − m0) = 4/9;
    //         predictor (m0 sits at λ = −∞: order 1) x2 = (1/2)·(4/9) − (2/3)·(e^{−ln 4} − 1)·(−1/3) = 1/18
    // step 2 (last, order 1 to σ = 0): x3 = m2 = 1/18 − (1/3)·(1/18 + 1/3) = −2/27
    expect(trace[0]).toBeCloseTo(1 / 3, 6);
    expect(trace[1]).toBeCloseTo(1 / 18, 6);
    expect(trace[2]).toBeCloseTo(-2 / 27, 6);
    const exact = 3 / Math.E - 1;
    for (const n of [10, 20]) {
      const s = flowSigmas(n, 1);
      const sampler = new UniPcSampler(s);
      let a: Float32Array = Float32Array.of(1);
      const e = Float32Array.of(1);
      for (let i = 0; i < n; i++) {
        a = sampler.step(i, a, v(a[0]!, s[i]!));
        eulerStep(e, v(e[0]!, s[i]!), s[i]!, s[i + 1]!);
      }
      expect(Math.abs(a[0]! - exact)).toBeLessThan(Math.abs(e[0]! - exact) / 10);
    }
    // a straight path (constant velocity) lands exactly on x0 with any grid
    const grid = flowSigmas(6, 5);
    const straight = new UniPcSampler(grid);
    let y: Float32Array = Float32Array.of(2);
    for (let i = 0; i < 6; i++) y = straight.step(i, y, Float32Array.of(2.5));
    expect(y[0]).toBeCloseTo(-0.5, 5);
  });
});

describe('the pipeline in the inference worker (tiny pack, real sessions)', () => {
  it('makes frames of the asked size, reproducibly, with progress per step and the provider named', async () => {
    const progress: T2vProgress[] = [];
    const a = job();
    const r = await host.run(a, { budgetBytes: 2 ** 30, onProgress: (p) => progress.push(p) });
    expect(r).toMatchObject({ frames: 5, width: 64, height: 48, latentShape: [1, 16, 5, 6, 8], provider: 'cpu' });
    expect(readFileSync(a.framesFile).length).toBe(5 * 64 * 48 * 3);
    expect(r.stepMs).toHaveLength(4);
    // every step reports, in order, with an ETA from the measured step time
    const steps = progress.filter((p) => p.stage.startsWith('step '));
    expect(steps.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(steps.every((p) => p.etaSeconds !== undefined && p.etaSeconds >= 0)).toBe(true);
    expect(progress.map((p) => p.fraction)).toEqual([...progress.map((p) => p.fraction)].sort((x, y) => x - y));
    expect(progress.find((p) => p.provider)?.provider).toBe('cpu');
    // the better providers are named with why they did not run (here: CUDA without its libraries, no DirectML/CoreML on Linux)
    const cuda = providerOffers().find((o) => o.id === 'cuda')!;
    expect(r.skipped.join('\n')).toMatch(cuda.offered ? /CUDA failed to start/ : /^CUDA: /m);
    if (process.platform === 'linux') expect(r.skipped).toContain('DirectML: DirectML runs on Windows only');

    // the same request: identical frames, and the prompts' encodings come from the cache
    const b = job({ seed: 42 });
    const r2 = await host.run(b, { budgetBytes: 2 ** 30 });
    expect(md5(b.framesFile)).toBe(md5(a.framesFile));
    expect(r2.textCached).toBe(true);
    expect(r2.loadMs).toBe(0); // sessions cached in the worker
    // another seed: other frames
    const c = job({ seed: 43 });
    await host.run(c, { budgetBytes: 2 ** 30 });
    expect(md5(c.framesFile)).not.toBe(md5(a.framesFile));
  });

  it('guidance changes the result; the negative prompt matters only with guidance', async () => {
    const base = job({ guidance: 5 });
    const noGuidance = job({ guidance: 1 });
    const otherNegative = job({ guidance: 5, negativePrompt: 'night street' });
    const otherNegativeNoGuidance = job({ guidance: 1, negativePrompt: 'night street' });
    for (const j of [base, noGuidance, otherNegative, otherNegativeNoGuidance]) await host.run(j, { budgetBytes: 2 ** 30 });
    expect(md5(noGuidance.framesFile)).not.toBe(md5(base.framesFile));
    expect(md5(otherNegative.framesFile)).not.toBe(md5(base.framesFile));
    expect(md5(otherNegativeNoGuidance.framesFile)).toBe(md5(noGuidance.framesFile));
  });

  it('runs with UniPC as well: reproducible, and other frames than Euler', async () => {
    const a = job({ scheduler: 'unipc' });
    const b = job({ scheduler: 'unipc' });
    const euler = job({ scheduler: 'euler' });
    for (const j of [a, b, euler]) await host.run(j, { budgetBytes: 2 ** 30 });
    expect(md5(b.framesFile)).toBe(md5(a.framesFile));
    expect(md5(euler.framesFile)).not.toBe(md5(a.framesFile));
  });

  it('decodes frame by frame exactly as the whole latent at once', async () => {
    const perFrame = job({ decodeChunk: 1 });
    const whole = job({ decodeChunk: 0 });
    await host.run(perFrame, { budgetBytes: 2 ** 30 });
    await host.run(whole, { budgetBytes: 2 ** 30 });
    expect(md5(perFrame.framesFile)).toBe(md5(whole.framesFile));
  });

  it('cancel is read before every step: a cancel during step k stops the run before step k + 1', async () => {
    // in-process, so the moment of the cancel is exact: it is raised while step 3's progress is handled
    const cache = new SessionCache(2 ** 30, () => ['cpu']);
    let cancel = false;
    const seen: number[] = [];
    const err = await runT2v(job({ steps: 30 }), cache, {
      cancelled: () => cancel,
      progress: (p) => {
        if (p.stage.startsWith('step ')) seen.push(p.step);
        if (p.step === 3) cancel = true;
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CANCELLED', kind: 'cancelled' });
    expect(seen).toEqual([1, 2, 3]); // step 4 never started
    await cache.clear();
  });

  it('cancel through the worker stops a long run, and the worker keeps serving', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const err = await host
      .run(job({ steps: 400, width: 128, height: 96, frames: 9 }), {
        budgetBytes: 2 ** 30,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.stage.startsWith('step ')) seen.push(p.step);
          if (p.step >= 1) controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CANCELLED', kind: 'cancelled' });
    expect(Math.max(...seen)).toBeLessThan(400);
    // cancelled before it started: no step runs
    const before = new AbortController();
    before.abort();
    const none: number[] = [];
    await expect(
      host.run(job(), { budgetBytes: 2 ** 30, signal: before.signal, onProgress: (p) => none.push(p.step) }),
    ).rejects.toMatchObject({ kind: 'cancelled' });
    expect(none.filter((n) => n > 0)).toEqual([]);
    const after = await host.run(job(), { budgetBytes: 2 ** 30 });
    expect(after.frames).toBe(5);
  });

  it('an out-of-memory inside a step fails that job with the reason; the next job runs', async () => {
    const err = await host
      .run(job({ fault: { atStep: 2, message: 'Failed to allocate memory for requested buffer of size 1073741824' } }), {
        budgetBytes: 2 ** 30,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LOCAL_OUT_OF_MEMORY', kind: 'input' });
    expect((err as Error).message).toMatch(/ran out of memory: Failed to allocate memory/);
    const next = await host.run(job(), { budgetBytes: 2 ** 30 });
    expect(next.frames).toBe(5);
  });
});

describe('a worker that dies', () => {
  it('fails the job it held with the reason; the next run starts a new worker', async () => {
    const own = new InferenceHost();
    // the worker thread ends mid-run, as a native crash would end it
    const running = own.run(job({ fault: { atStep: 2, message: 'crash', exit: true } }), { budgetBytes: 2 ** 30 });
    await expect(running).rejects.toMatchObject({ code: 'LOCAL_WORKER_CRASHED', message: /the inference worker stopped: exit 70/ });
    const again = await own.run(job(), { budgetBytes: 2 ** 30 });
    expect(again.frames).toBe(5);
    await own.close();
  });
});

describe('session cache and fit check', () => {
  it('releases the least recently used sessions to stay under the budget', async () => {
    const g = (p: string) => join(pack.dir, p);
    const cache = new SessionCache(Infinity, () => ['cpu']);
    const te = await cache.get(g('text_encoder/model.onnx'));
    const tr = await cache.get(g('transformer/model.onnx'));
    cache.budgetBytes = te.bytes + tr.bytes; // room for two
    await cache.get(g('vae_decoder/model.onnx'));
    expect(cache.files).toEqual([g('transformer/model.onnx'), g('vae_decoder/model.onnx')]);
    expect(cache.loadedBytes).toBeLessThanOrEqual(cache.budgetBytes);
    expect((await cache.get(g('vae_decoder/model.onnx'))).cached).toBe(true);
    cache.budgetBytes = 10;
    await expect(cache.get(g('text_encoder/model.onnx'))).rejects.toMatchObject({ code: 'LOCAL_OUT_OF_MEMORY' });
    await cache.clear();
  });

  it('estimates memory between the listed sizes and says what fits', () => {
    const GB = 2 ** 30;
    const points = [
      { width: 832, height: 480, frames: 81, deviceBytes: 8 * GB },
      { width: 1280, height: 720, frames: 81, deviceBytes: 14 * GB },
    ];
    // linear in width × height × frames between the two points
    const mid = estimateRunBytes(points, { width: 1056, height: 600, frames: 81 })!;
    const v = (w: number, h: number) => w * h * 81;
    expect(mid).toBeCloseTo(8 * GB + (6 * GB * (v(1056, 600) - v(832, 480))) / (v(1280, 720) - v(832, 480)), -3);
    const gpu12 = { kind: 'gpu' as const, name: 'test GPU', totalBytes: 12 * GB, freeBytes: 12 * GB };
    expect(fitCheck(points, { width: 832, height: 480, frames: 81 }, gpu12).fits).toBe(true);
    const no = fitCheck(points, { width: 1280, height: 720, frames: 81 }, gpu12);
    expect(no.fits).toBe(false);
    expect(no.message).toMatch(/^won't fit on this GPU \(needs ~14 GB, has 12 GB\)/);
    expect(no.largest!.height % 16).toBe(0);
    expect(estimateRunBytes(points, no.largest!)!).toBeLessThanOrEqual(12 * GB);
    const bigger = { ...no.largest!, height: no.largest!.height + 16 };
    bigger.width = Math.round((1280 * bigger.height) / 720 / 16) * 16;
    expect(estimateRunBytes(points, bigger)!).toBeGreaterThan(12 * GB);
    expect(no.message).toContain(`the largest size that fits is ${no.largest!.width}x${no.largest!.height}`);
    expect(() => assertFits(points, { width: 1280, height: 720, frames: 81 }, gpu12, 'wan')).toThrow(
      expect.objectContaining({ code: 'LOCAL_WONT_FIT', kind: 'input' }),
    );
  });
});
