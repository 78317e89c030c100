/**
 * `klappe enhance`: a 640x360 clip made by downscaling a detailed 1080p
 * source (ffmpeg's Mandelbrot, 2 frames) comes back at 1920x1080 with its
 * sound, and beats bicubic upscaling on PSNR against the original (ffmpeg's
 * psnr filter). Also: the tiles leave no seam (a tiled upscale equals one
 * whole-frame run), and an altered model file is refused.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, audioStream, videoStream } from '../../engine/media/probe.js';
import { runTool } from '../../engine/media/run.js';
import { UPSCALER_FILE, UPSCALER_SHA256, upscaleLuma, upscalerSession } from '../../engine/vision/enhance.js';
import { readCheckedModel } from '../../engine/util/checked-model.js';
import { runCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-enhance-');
const f = (name: string) => join(t.dir, name);
const ffmpeg = (args: string[]) => runTool('ffmpeg', ['-v', 'error', '-y', ...args]);

async function psnr(file: string, reference: string): Promise<{ y: number; average: number }> {
  const { stderr } = await runTool('ffmpeg', ['-i', file, '-i', reference, '-lavfi', 'psnr', '-f', 'null', '-']);
  const m = /PSNR y:([\d.]+) .* average:([\d.]+)/.exec(stderr);
  if (!m) throw new Error(`no PSNR in ${stderr}`);
  return { y: Number(m[1]), average: Number(m[2]) };
}

beforeAll(async () => {
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'mandelbrot=s=1920x1080:rate=10',
    '-f',
    'lavfi',
    '-i',
    'sine=f=440:r=48000',
    '-frames:v',
    '2',
    '-t',
    '0.2',
    '-c:v',
    'libx264',
    '-crf',
    '8',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    f('orig.mp4'),
  ]);
  await ffmpeg([
    '-i',
    f('orig.mp4'),
    '-vf',
    'scale=640:360',
    '-c:v',
    'libx264',
    '-crf',
    '8',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'copy',
    f('small.mp4'),
  ]);
  await ffmpeg([
    '-i',
    f('small.mp4'),
    '-vf',
    'scale=1920:1080:flags=bicubic',
    '-c:v',
    'libx264',
    '-crf',
    '8',
    '-pix_fmt',
    'yuv420p',
    f('bicubic.mp4'),
  ]);
}, 120_000);
afterAll(() => t.cleanup());

describe('enhance', () => {
  it('turns a 640x360 clip into 1920x1080 that beats bicubic on PSNR against the 1080p original', async () => {
    const r = await runCli(['enhance', f('small.mp4'), '-o', f('enhanced.mp4'), '--size', '1920x1080']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*enhanced\.mp4: 2 frames 640x360 → 1920x1080/);
    const p = await probe(f('enhanced.mp4'), { countFrames: true });
    expect(videoStream(p)).toMatchObject({ width: 1920, height: 1080, nb_read_frames: '2' });
    expect(audioStream(p)).toBeDefined();
    const enhanced = await psnr(f('enhanced.mp4'), f('orig.mp4'));
    const bicubic = await psnr(f('bicubic.mp4'), f('orig.mp4'));
    console.log(`PSNR against the 1080p original: enhanced ${enhanced.y.toFixed(2)} dB (Y), bicubic ${bicubic.y.toFixed(2)} dB (Y)`);
    expect(enhanced.y).toBeGreaterThan(bicubic.y);
    expect(enhanced.average).toBeGreaterThan(bicubic.average);
  }, 180_000);

  it('leaves no seam between tiles: a tiled upscale equals the whole frame at once', async () => {
    const session = await upscalerSession();
    const w = 70;
    const h = 50;
    const luma = new Uint8Array(w * h);
    for (let i = 0; i < luma.length; i++) luma[i] = (i * 37 + (i % w) * (i % 11)) & 255;
    const whole = await upscaleLuma(session, luma, w, h, 1000);
    const tiled = await upscaleLuma(session, luma, w, h, 16);
    let worst = 0;
    for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i]! - tiled[i]!));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('refuses a model file whose sha256 differs', () => {
    copyFileSync(UPSCALER_FILE, f('model.onnx'));
    writeFileSync(f('model.onnx'), 'not the model');
    expect(() => readCheckedModel(f('model.onnx'), UPSCALER_SHA256, 'the super-resolution model')).toThrow(
      /has sha256 .*, expected 4e99a73cec6e7027/,
    );
  });
});
