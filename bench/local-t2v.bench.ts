/**
 * `npm run bench local` (text-to-video cases): the tiny Wan pack (the layout's
 * real sizes: 16 latent channels, a 4096-wide text encoder, 512 tokens) run by
 * the inference worker.
 *
 * - model load time: the three graphs loaded cold in a fresh worker, next to
 *   the same loads in this thread (the worker's own start-up is the difference);
 * - pipeline overhead per step: a denoising step of the pipeline (two
 *   transformer runs for guidance, the tensors in and out, the guidance mix and
 *   the Euler update, the progress message) next to the two bare transformer
 *   runs on the same inputs in this thread; the tiny graph does almost no
 *   arithmetic, so the difference is what the pipeline adds to every step of a
 *   real pack;
 * - on an NVIDIA GPU with onnxruntime's CUDA libraries, the same on CUDA;
 *   everywhere else that case is skipped with the reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { InferenceHost } from '../engine/inference/inference-host.js';
import { nvidiaMemory, providerOffers, type ProviderId } from '../engine/inference/providers.js';
import type { T2vJob } from '../engine/inference/wan-t2v.js';
import { buildTinyWanPack } from '../test/support/tiny-wan-pack.js';
import { medianMs, report } from './support.js';

const STEPS = Number(process.env.KLAPPE_BENCH_LOCAL_STEPS ?? 12);
/** Wan 2.1's 480p size and a short clip: latent 16 × 5 × 60 × 104. */
const SIZE = { width: 832, height: 480, frames: 17, temporalScale: 4 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

async function benchOn(provider: ProviderId, dir: string): Promise<void> {
  const g = (p: string) => join(dir, p);
  const job = (seed: number): T2vJob => ({
    pack: 'tiny-wan',
    graphs: {
      textEncoder: g('text_encoder/model.onnx'),
      transformer: g('transformer/model.onnx'),
      vaeDecoder: g('vae_decoder/model.onnx'),
      tokenizer: g('tokenizer/tokenizer.json'),
    },
    prompt: 'a red car in the rain at night',
    negativePrompt: 'blurry',
    seed,
    steps: STEPS,
    guidance: 5,
    shift: 3,
    scheduler: 'unipc',
    width: SIZE.width,
    height: SIZE.height,
    frames: SIZE.frames,
    latent: { channels: 16, spatialScale: 8, temporalScale: SIZE.temporalScale },
    decodeChunk: 0,
    framesFile: join(dir, `frames-${seed}.rgb`),
  });
  const label = provider.toUpperCase();
  process.env.KLAPPE_ONNX_PROVIDERS = provider;
  const host = new InferenceHost();
  try {
    const t0 = performance.now();
    const cold = await host.run(job(1), { budgetBytes: 8 * 2 ** 30 });
    const firstRunMs = performance.now() - t0;
    if (cold.provider !== provider) throw new Error(`asked for ${provider}, ran on ${cold.provider}: ${cold.skipped.join('; ')}`);
    // baseline: the same three graphs loaded in this thread
    const opts = { executionProviders: [provider], graphOptimizationLevel: 'all' as const };
    const direct: ort.InferenceSession[] = [];
    const loadMs = await medianMs(3, async () => {
      for (const s of direct.splice(0)) await s.release();
      for (const f of ['text_encoder', 'transformer', 'vae_decoder'])
        direct.push(await ort.InferenceSession.create(g(`${f}/model.onnx`), opts));
    });
    report({
      name: `tiny Wan pack (${label}): model load, 3 graphs in the worker (cold)`,
      value: cold.loadMs,
      unit: 'ms',
      baseline: { name: 'the same loads in this thread (median of 3)', value: loadMs },
      note: `first run end to end ${firstRunMs.toFixed(0)} ms, worker start included`,
    });
    const warm = await host.run(job(2), { budgetBytes: 8 * 2 ** 30 });
    const steps = [...cold.stepMs.slice(1), ...warm.stepMs.slice(1)];
    // baseline: two bare transformer runs (cond + uncond) with the same inputs, in this thread
    const tr = direct[1]!;
    const latent = new Float32Array(16 * ((SIZE.frames - 1) / SIZE.temporalScale + 1) * (SIZE.height / 8) * (SIZE.width / 8));
    const dims = [1, 16, (SIZE.frames - 1) / SIZE.temporalScale + 1, SIZE.height / 8, SIZE.width / 8];
    const text = new ort.Tensor('float32', new Float32Array(512 * 4096), [1, 512, 4096]);
    const bare = await medianMs(STEPS, async () => {
      for (let k = 0; k < 2; k++)
        await tr.run({
          hidden_states: new ort.Tensor('float32', latent, dims),
          timestep: new ort.Tensor('float32', Float32Array.of(500), [1]),
          encoder_hidden_states: text,
        });
    });
    const step = median(steps);
    report({
      name: `tiny Wan pack (${label}): one denoising step at 832x480, ${SIZE.frames} frames (latent ${dims.join('×')}), guidance 5`,
      value: step,
      unit: 'ms',
      baseline: { name: 'two bare transformer runs', value: bare },
      note: `pipeline overhead ${(step - bare).toFixed(2)} ms per step; ${STEPS} steps, text ${warm.textCached ? 'cached' : 'encoded'} on the 2nd run`,
    });
    report({ name: `tiny Wan pack (${label}): text encoding of two prompts (512 tokens, 4096 wide)`, value: cold.textMs, unit: 'ms' });
    report({ name: `tiny Wan pack (${label}): decode of the latent`, value: warm.decodeMs, unit: 'ms', note: `${warm.frames} frames` });
    for (const s of direct) await s.release();
  } finally {
    await host.close();
    delete process.env.KLAPPE_ONNX_PROVIDERS;
  }
}

export async function benchLocalT2v(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'klappe-bench-local-'));
  try {
    const pack = buildTinyWanPack(join(work, 'tiny-wan'), { seed: 1 });
    await benchOn('cpu', pack.dir);
    const cuda = providerOffers().find((o) => o.id === 'cuda')!;
    const gpu = nvidiaMemory();
    if (!gpu) process.stdout.write('CUDA cases skipped: no NVIDIA GPU here (nvidia-smi found none)\n');
    else if (!cuda.offered) process.stdout.write(`CUDA cases skipped on ${gpu.name}: ${cuda.reason}\n`);
    else await benchOn('cuda', pack.dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
