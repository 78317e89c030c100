/**
 * The invisible watermark, RivaGAN at a small working size (long side 256):
 *  1. one embed point a second; its frame is read straight from its take at
 *     the working size (watermark-sources.ts: a seek, not a second render);
 *  2. RivaGAN embeds the coded export id in the 8 tiles of each of those frames
 *     and the difference (the residual), weighted by a visibility mask (less on
 *     flat areas, more on texture and edges), is kept as a small YUV frame;
 *  3. the export's ffmpeg graph scales each residual up to full size and
 *     grain-merges it onto its frame and the frames up to the next point.
 * Reading samples a few frames anywhere in a file, so cut pieces, re-encodes
 * and scaled copies still give the id; a copy that carries no mark as it is
 * is tried as a 10 % crop (centred and at each corner).
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KlappeError } from '../common/errors.js';
import type { GraphHooks } from '../render/ffmpeg-graph.js';
import type { RenderPlan } from '../render/plan.js';
import { probe, videoStream } from '../media/probe.js';
import { runTool } from '../media/run.js';
import { makeWorkDir, requireFreeSpace } from '../util/work-dir.js';
import { embedPoints, sourceFrames, sourceKey } from './watermark-sources.js';
import { decodePayload, encodePayload, type DecodedPayload } from './payload-code.js';
import { rivaganDecode, rivaganEncode } from './rivagan.js';
import {
  CROP_GUESSES,
  frameToTiles,
  residualToYuv,
  TILES,
  uncrop,
  workGeometry,
  type CropGuess,
  type WorkGeometry,
} from './watermark-geometry.js';

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
  /** RivaGAN runs: points whose picture is nearly the one before, or the same frame of a take as an earlier point, share its residual. */
  embeddedFrames: number;
  geometry: WorkGeometry;
  cleanup: () => void;
}

/** Twice RivaGAN's own strength: the residual is made at a small size and must survive scaling up, re-encodes and scaling down. */
export const DEFAULT_STRENGTH = 2;

/**
 * Embed once a second by default: the residual of each point holds for the
 * second that follows. (RivaGAN's residual follows the content: carried over
 * 2 s it no longer reads reliably, see docs/provenance.md.)
 */
export function defaultEvery(plan: RenderPlan): number {
  return Math.max(1, Math.round(plan.rate.num / plan.rate.den));
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
    const points = embedPoints(plan, every);
    const yuvBytes = (g.width * g.height * 3) / 2;
    requireFreeSpace(dir, points.length * yuvBytes, 'the invisible watermark residuals');
    opts.onProgress?.(0.05);
    const residualFile = join(dir, 'residual.yuv');
    const bits = encodePayload(exportId);
    const tiles = new Float32Array(TILES * 3 * g.tileW * g.tileH);
    const zero = new Uint8Array(yuvBytes).fill(128);
    const yuv = new Uint8Array(yuvBytes);
    const outFd = openSync(residualFile, 'w');
    let embedded = 0;
    /** The last point's source frame, while its residual is still in `yuv`. */
    let lastSource: Uint8Array | undefined;
    // points that show the same frame of a take (sourceKey) share it: it is read once, its residual made once and kept
    // (with the frame) while a later point still shows it
    const keys = points.map((p) => (p.source ? sourceKey(p.source) : undefined));
    const usesLeft = new Map<string, number>();
    for (const k of keys) if (k) usesLeft.set(k, (usesLeft.get(k) ?? 0) + 1);
    const kept = new Map<string, { residual: Uint8Array; frame: Uint8Array }>();
    /** Take frames ffmpeg could not give: every point showing one gets no residual. */
    const unreadable = new Set<string>();
    const firsts = sourceFrames(plan, points, g, opts.signal);
    try {
      for (let i = 0; i < points.length; i++) {
        if (opts.signal?.aborted)
          throw new KlappeError({ code: 'CANCELLED', kind: 'cancelled', message: 'the invisible watermark was cancelled' });
        const key = keys[i];
        const left = key ? usesLeft.get(key)! - 1 : 0;
        if (key) usesLeft.set(key, left);
        const made = key ? kept.get(key) : undefined;
        let rgb: Uint8Array | undefined;
        if (made) {
          yuv.set(made.residual);
          rgb = made.frame;
          if (left === 0) kept.delete(key!);
        } else if (key && !unreadable.has(key)) {
          const next = (await firsts.next()).value;
          if (!next || next.index !== i) throw new Error(`watermark source frames out of order at point ${i}`);
          rgb = next.frame;
          // a still picture (a held frame, a static shot) has the same residual: RivaGAN runs again only when the picture changed
          if (rgb && (!lastSource || !nearlySame(lastSource, rgb))) {
            frameToTiles(rgb, g, tiles);
            const marked = await rivaganEncode(tiles, TILES, g.tileH, g.tileW, bits);
            residualToYuv(marked, tiles, g, strength, yuv);
            embedded++;
          }
          if (!rgb) unreadable.add(key);
          else if (left > 0) kept.set(key, { residual: Uint8Array.from(yuv), frame: Uint8Array.from(rgb) });
        }
        if (!rgb) {
          writeSync(outFd, zero);
          continue;
        }
        lastSource = rgb;
        writeSync(outFd, yuv);
        opts.onProgress?.(0.2 + (0.8 * (i + 1)) / points.length);
      }
    } finally {
      closeSync(outFd);
    }
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

/** Mean absolute difference (0–255) under which two source frames share one residual. */
export const SAME_PICTURE = 0.5;

/** Whether two rgb24 frames at the working size differ by less than SAME_PICTURE on average. */
export function nearlySame(a: Uint8Array, b: Uint8Array): boolean {
  const limit = SAME_PICTURE * a.length;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    d += Math.abs(a[i]! - b[i]!);
    if (d > limit) return false;
  }
  return true;
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
  /** When the frames as they are carry no mark, try them as crops of a larger frame (default on). */
  cropSearch?: boolean;
}

export interface WatermarkReading extends DecodedPayload {
  exportId: string;
}

/** Samples frames of any video file and decodes the watermark payload. */
export async function readInvisibleWatermark(file: string, opts: ReadOptions = {}): Promise<WatermarkReading> {
  const p = await probe(file, { signal: opts.signal });
  const v = videoStream(p);
  if (!v?.width || !v.height) return { id: 0, agreement: 0, strength: 0, frames: 0, found: false, repaired: 0, exportId: '' };
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
  const frames: Uint8Array[] = [];
  for (let off = 0; off + frameBytes <= stdout.length; off += frameBytes) frames.push(stdout.subarray(off, off + frameBytes));
  const tiles = new Float32Array(TILES * 3 * g.tileW * g.tileH);
  const decode = async (guess?: CropGuess): Promise<DecodedPayload> => {
    const scores: Float32Array[] = [];
    for (const f of frames) {
      frameToTiles(guess ? uncrop(f, g, guess) : f, g, tiles);
      scores.push(Float32Array.from(await rivaganDecode(tiles, TILES, g.tileH, g.tileW)));
    }
    return decodePayload(scores);
  };
  // as it is; then, for a cropped copy, where the crop may have sat
  let d = await decode();
  for (const guess of opts.cropSearch === false ? [] : CROP_GUESSES) {
    if (d.found) break;
    const c = await decode(guess);
    if (c.found || c.agreement > d.agreement) d = c;
  }
  return { ...d, exportId: d.found ? (d.id >>> 0).toString(16).padStart(8, '0') : '' };
}
