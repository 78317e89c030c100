/**
 * `npm run bench local` (enhance and TAEF2 cases), on the CPU:
 * - enhance at 1080p: frames per second of `enhanceVideo` (640x360 → 1920x1080,
 *   model, back-projection, ffmpeg decode/merge/encode) next to ffmpeg's bicubic
 *   upscale and encode of the same clip; and the model part alone per frame;
 * - model load time: a fresh upscaler session and the TAEF2 encoder + decoder
 *   (read, sha256-checked, session created), next to reading and hashing the bytes;
 * - TAEF2 decode of one 832x480 frame from its latent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { importPack } from '../engine/inference/pack-import.js';
import { Taef2, findTaef2Pack } from '../engine/inference/taef2.js';
import { readCheckedModel } from '../engine/util/checked-model.js';
import { runTool } from '../engine/media/run.js';
import { backProject } from '../engine/vision/back-projection.js';
import { UPSCALER_FILE, UPSCALER_SHA256, enhanceVideo, upscaleLuma, upscalerSession } from '../engine/vision/enhance.js';
import { SHARED_MODELS } from '../test/support/env.js';
import { medianMs, report } from './support.js';

const FRAMES = 3;

export async function benchLocalModels(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'klappe-bench-local-models-'));
  try {
    const small = join(dir, 'small.mp4');
    await runTool('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'mandelbrot=s=640x360:rate=10',
      '-frames:v',
      String(FRAMES),
      '-c:v',
      'libx264',
      '-crf',
      '10',
      '-pix_fmt',
      'yuv420p',
      small,
    ]);
    const enhanceMs = await medianMs(1, () => enhanceVideo(small, join(dir, 'enhanced.mp4'), { width: 1920, height: 1080 }));
    const bicubicMs = await medianMs(3, () =>
      runTool('ffmpeg', [
        '-v',
        'error',
        '-y',
        '-i',
        small,
        '-vf',
        'scale=1920:1080:flags=bicubic',
        '-c:v',
        'libx264',
        '-crf',
        '16',
        '-pix_fmt',
        'yuv420p',
        join(dir, 'bicubic.mp4'),
      ]),
    );
    report({
      name: 'enhance 640x360 → 1920x1080, whole file (CPU)',
      value: (FRAMES * 1000) / enhanceMs,
      unit: 'frames/s',
      baseline: { name: 'ffmpeg bicubic upscale + encode', value: (FRAMES * 1000) / bicubicMs },
    });

    const session = await upscalerSession();
    const luma = new Uint8Array(640 * 360);
    for (let i = 0; i < luma.length; i++) luma[i] = (i * 31 + ((i / 640) | 0) * 7) & 255;
    const modelMs = await medianMs(3, () => upscaleLuma(session, luma, 640, 360));
    const up = await upscaleLuma(session, luma, 640, 360);
    const bpMs = await medianMs(3, () => backProject(Uint8Array.from(up), luma, 640, 360));
    report({
      name: 'enhance luma of one 1080p frame: model in tiles',
      value: modelMs,
      unit: 'ms',
      baseline: { name: 'back-projection (2 passes)', value: bpMs },
    });

    const hashMs = await medianMs(3, () => readCheckedModel(UPSCALER_FILE, UPSCALER_SHA256, 'the super-resolution model'));
    const loadMs = await medianMs(3, async () => {
      const s = await ort.InferenceSession.create(readCheckedModel(UPSCALER_FILE, UPSCALER_SHA256, 'the super-resolution model'));
      await s.release();
    });
    report({
      name: 'model load: super-resolution ×3 (240 KB)',
      value: loadMs,
      unit: 'ms',
      baseline: { name: 'read + sha256 only', value: hashMs },
    });

    const root = join(dir, 'models');
    await importPack(join(SHARED_MODELS, 'tiny_vae'), { root, id: 'taef2' });
    const files = findTaef2Pack(root);
    const taeHashMs = await medianMs(3, () => {
      readCheckedModel(files.encoder.file, files.encoder.sha256, 'the TAEF2 encoder model');
      readCheckedModel(files.decoder.file, files.decoder.sha256, 'the TAEF2 decoder model');
    });
    const taeLoadMs = await medianMs(3, async () => (await Taef2.load(files)).release());
    report({
      name: 'model load: TAEF2 encoder + decoder (2 × 5.3 MB)',
      value: taeLoadMs,
      unit: 'ms',
      baseline: { name: 'read + sha256 only', value: taeHashMs },
    });

    const vae = await Taef2.load(files);
    const latent = {
      data: new Float32Array(32 * 60 * 104).map((_, i) => Math.sin(i)),
      dims: [1, 32, 60, 104] as [number, number, number, number],
    };
    const decodeMs = await medianMs(3, () => vae.decode(latent));
    const encodeMs = await medianMs(3, () => vae.encode({ data: new Float32Array(3 * 480 * 832).fill(0.5), dims: [1, 3, 480, 832] }));
    report({
      name: 'TAEF2 decode of one 832x480 frame',
      value: decodeMs,
      unit: 'ms',
      baseline: { name: 'TAEF2 encode of the same size', value: encodeMs },
    });
    await vae.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
