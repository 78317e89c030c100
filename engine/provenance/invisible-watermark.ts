/**
 * The invisible watermark, RivaGAN at a small working size:
 *  1. the sequence (with its visible watermark) is rendered once more, but only
 *     every `every`-th frame and only at the working size (raw RGB to a temp file);
 *  2. RivaGAN embeds the coded export id in the 8 tiles of each of those frames
 *     and the difference (the residual) is kept as a small YUV frame;
 *  3. the export's ffmpeg graph scales each residual up to full size and
 *     grain-merges it onto its frame and the following `every − 1` frames.
 * Reading samples a few frames anywhere in a file, so cut pieces, re-encodes
 * and scaled copies still give the id.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KlappeError } from '../common/errors.js';
import type { GraphHooks } from '../render/ffmpeg-graph.js';
import { buildFfmpegArgs } from '../render/ffmpeg-graph.js';
import type { RenderPlan } from '../render/plan.js';
import { probe, videoStream } from '../media/probe.js';
import { runTool } from '../media/run.js';
import { framesToMicros } from '../common/time.js';
import { makeWorkDir, requireFreeSpace } from '../util/work-dir.js';
import { decodePayload, encodePayload, type DecodedPayload } from './payload-code.js';
import { rivaganDecode, rivaganEncode } from './rivagan.js';
import { frameToTiles, residualToYuv, TILES, workGeometry, type WorkGeometry } from './watermark-geometry.js';

export interface EmbedOptions {
  signal?: AbortSignal;
  /** Embed in one frame of every `every` (default: 2 frames a second); the residual holds in between. */
  every?: number;
  /** Residual gain (1 = RivaGAN's own strength). */
  strength?: number;
  onProgress?: (fraction: number) => void;
}

export interface PreparedWatermark {
  hooks: GraphHooks;
  embeddedFrames: number;
  geometry: WorkGeometry;
  cleanup: () => void;
}

export const DEFAULT_STRENGTH = 1.0;

export function defaultEvery(plan: RenderPlan): number {
  return Math.max(1, Math.round(plan.rate.num / plan.rate.den / 2));
}

/** Computes the residuals and returns the hooks that add them in the final render (after `base`). */
export async function prepareInvisibleWatermark(
  plan: RenderPlan,
  exportId: number,
  base: GraphHooks,
  opts: EmbedOptions = {},
): Promise<PreparedWatermark> {
  const g = workGeometry(plan.width, plan.height);
  const every = opts.every ?? defaultEvery(plan);
  const strength = opts.strength ?? DEFAULT_STRENGTH;
  const dir = makeWorkDir('klappe-wm');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    // the raw working-size frames, then their residuals (half as large): checked before ffmpeg writes any
    requireFreeSpace(dir, Math.ceil(plan.frames / every) * g.width * g.height * 4.5, 'the invisible watermark frames');
    const framesFile = join(dir, 'frames.rgb');
    const residualFile = join(dir, 'residual.yuv');
    const args = buildFfmpegArgs(plan, join(dir, 'unused.mp4'), undefined, base);
    const fcAt = args.indexOf('-filter_complex');
    const fc = `${args[fcAt + 1]};[vout]select='not(mod(n\\,${every}))',scale=${g.width}:${g.height}:flags=area,format=rgb24[wmv]`;
    await runTool(
      'ffmpeg',
      [
        ...args.slice(0, fcAt),
        '-filter_complex',
        fc,
        '-map',
        '[wmv]',
        '-vsync',
        '0',
        '-f',
        'rawvideo',
        framesFile,
        '-map',
        '[aout]',
        '-f',
        'null',
        '-',
      ],
      {
        signal: opts.signal,
        what: 'preparing the invisible watermark',
        durationUs: framesToMicros(plan.frames, plan.rate),
        onProgress: (p) => opts.onProgress?.(0.3 * (p.fraction ?? 0)),
      },
    );
    const bits = encodePayload(exportId);
    const frameBytes = g.width * g.height * 3;
    const count = Math.ceil(plan.frames / every);
    const rgb = new Uint8Array(frameBytes);
    const tiles = new Float32Array(TILES * 3 * g.tileW * g.tileH);
    const yuv = new Uint8Array((g.width * g.height * 3) / 2);
    const inFd = openSync(framesFile, 'r');
    const outFd = openSync(residualFile, 'w');
    let embedded = 0;
    try {
      for (let i = 0; i < count; i++) {
        if (opts.signal?.aborted)
          throw new KlappeError({ code: 'CANCELLED', kind: 'cancelled', message: 'the invisible watermark was cancelled' });
        if (readSync(inFd, rgb, 0, frameBytes, i * frameBytes) < frameBytes) break;
        frameToTiles(rgb, g, tiles);
        const marked = await rivaganEncode(tiles, TILES, g.tileH, g.tileW, bits);
        writeSync(outFd, residualToYuv(marked, tiles, g, strength, yuv));
        embedded++;
        opts.onProgress?.(0.3 + (0.7 * (i + 1)) / count);
      }
    } finally {
      closeSync(inFd);
      closeSync(outFd);
    }
    rmSync(framesFile, { force: true });
    const index = plan.inputs.length + (base.extraInputs?.length ?? 0);
    const rate = `${plan.rate.num}/${plan.rate.den * every}`;
    return {
      hooks: {
        extraInputs: [['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${g.width}x${g.height}`, '-framerate', rate, '-i', residualFile]],
        video: [
          `null[wmbase];[${index}:v]scale=${plan.width}:${plan.height}:flags=bicubic,setsar=1[wmres];[wmbase][wmres]blend=all_mode=grainmerge:shortest=0:repeatlast=1`,
        ],
      },
      embeddedFrames: embedded,
      geometry: g,
      cleanup,
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/** Joins hook sets in order (video filters chained, extra inputs appended). */
export function joinHooks(...sets: GraphHooks[]): GraphHooks {
  return {
    video: sets.flatMap((s) => s.video ?? []),
    audio: sets.flatMap((s) => s.audio ?? []),
    extraInputs: sets.flatMap((s) => s.extraInputs ?? []),
  };
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Frames sampled evenly over the file (default 8). */
  frames?: number;
}

export interface WatermarkReading extends DecodedPayload {
  exportId: string;
}

/** Samples frames of any video file and decodes the watermark payload. */
export async function readInvisibleWatermark(file: string, opts: ReadOptions = {}): Promise<WatermarkReading> {
  const p = await probe(file, { signal: opts.signal });
  const v = videoStream(p);
  if (!v?.width || !v.height) return { id: 0, agreement: 0, strength: 0, frames: 0, found: false, exportId: '' };
  const g = workGeometry(v.width, v.height);
  const want = opts.frames ?? 8;
  const duration = Number(p.format.duration ?? v.duration ?? 0) || 1;
  const fps = Math.max(0.05, want / duration);
  const { stdout } = await runTool(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      file,
      '-map',
      '0:v:0',
      '-vf',
      `fps=fps=${fps.toFixed(6)},scale=${g.width}:${g.height}:flags=area,format=rgb24`,
      '-frames:v',
      String(want),
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    {
      captureStdout: true,
      signal: opts.signal,
      what: `reading the invisible watermark of ${file}`,
    },
  );
  const frameBytes = g.width * g.height * 3;
  const scores: Float32Array[] = [];
  const tiles = new Float32Array(TILES * 3 * g.tileW * g.tileH);
  for (let off = 0; off + frameBytes <= stdout.length; off += frameBytes) {
    frameToTiles(stdout.subarray(off, off + frameBytes), g, tiles);
    scores.push(Float32Array.from(await rivaganDecode(tiles, TILES, g.tileH, g.tileW)));
  }
  const d = decodePayload(scores);
  return { ...d, exportId: d.found ? (d.id >>> 0).toString(16).padStart(8, '0') : '' };
}
