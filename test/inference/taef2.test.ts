/**
 * The TAEF2 service on its own: the two graphs adopted as a pack through the
 * model manager (from ../shared/models/tiny_vae), a real frame (GRID face
 * clip) encoded to a 32-channel latent at 1/8 the size and decoded back
 * close to the original (PSNR), and an altered file refused.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../../engine/media/run.js';
import { importPack } from '../../engine/inference/pack-import.js';
import { Taef2, findTaef2Pack, planarToRgb, rgbToPlanar } from '../../engine/inference/taef2.js';
import { SHARED_MODELS, sharedAvailable, tempDir } from '../support/env.js';

const shared = sharedAvailable('TAEF2 tests');

const t = tempDir('klappe-taef2-');
const root = join(t.dir, 'models');
const W = 360;
const H = 288;
let frame: Uint8Array;

beforeAll(async () => {
  if (!shared) return;
  await importPack(join(SHARED_MODELS, 'tiny_vae'), { root, id: 'taef2' });
  const clip = join(SHARED_MODELS, '..', 'media', 'faces', 'grid_bbaf2n.mpg');
  const { stdout } = await runTool(
    'ffmpeg',
    ['-v', 'error', '-i', clip, '-vf', 'select=eq(n\\,30)', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    {
      captureStdout: true,
    },
  );
  frame = new Uint8Array(stdout);
}, 60_000);
afterAll(() => t.cleanup());

function psnr(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (s / a.length));
}

describe.skipIf(!shared)('TAEF2', () => {
  it('encodes a real frame to latents and decodes it back close to the original', async () => {
    expect(frame.length).toBe(W * H * 3);
    const vae = await Taef2.load(findTaef2Pack(root));
    try {
      const latent = await vae.encode(rgbToPlanar(frame, W, H));
      expect(latent.dims).toEqual([1, 32, H / 8, W / 8]);
      const image = await vae.decode(latent);
      expect(image.dims).toEqual([1, 3, H, W]);
      const back = planarToRgb(image);
      const db = psnr(back, frame);
      console.log(`TAEF2 round trip of a 360x288 GRID frame: ${db.toFixed(2)} dB PSNR`);
      expect(db).toBeGreaterThan(30);
      await expect(vae.encode(rgbToPlanar(frame.subarray(0, 100 * 100 * 3), 100, 100))).rejects.toThrow(/multiples of 8/);
    } finally {
      await vae.release();
    }
  });

  it('refuses a graph whose sha256 differs from the pack manifest', async () => {
    const copy = join(t.dir, 'copy');
    cpSync(join(root, 'taef2'), copy, { recursive: true });
    const files = findTaef2Pack(root);
    writeFileSync(join(copy, 'taef2_decoder.onnx'), 'x');
    await expect(Taef2.load({ ...files, decoder: { ...files.decoder, file: join(copy, 'taef2_decoder.onnx') } })).rejects.toThrow(
      /TAEF2 decoder model .* has sha256/,
    );
  });
});
