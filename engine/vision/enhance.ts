/**
 * Enhance: a video made larger with the ×3 sub-pixel super-resolution model
 * (assets/models/super_resolution, sha256-checked). Luma goes through the
 * model in tiles (with a margin wider than the network's receptive field, so
 * the seams are invisible), then back-projected against the source
 * (back-projection.ts); chroma is resampled by ffmpeg (bicubic), and
 * ffmpeg merges the planes, scales to the size asked for (when it is not
 * exactly ×3) and encodes, keeping the audio.
 *
 * One decoder process streams the source's frames (yuv420p, luma taken as
 * is, without a range conversion) into the model; the model's luma is
 * written to the encoder's stdin as gray frames, and the encoder reads the
 * source again for the chroma and the audio. Writes go to a temp file moved
 * into place at the end: a failed or cancelled enhance leaves no output.
 */
import { existsSync, rmSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { cancelledError, inputError, KlappeError } from '../common/errors.js';
import { readCheckedModel } from '../util/checked-model.js';
import { backProject } from './back-projection.js';
import { probe, audioStream, videoStream } from '../media/probe.js';
import { runFfmpeg, runTool } from '../media/run.js';
import { tempPathFor } from '../util/atomic-file.js';
import { moveFile } from '../util/move-file.js';
import { assetPath } from '../util/paths.js';

export const UPSCALER_FILE = assetPath('models', 'super_resolution', 'superres_subpixel_x3.onnx');
export const UPSCALER_SHA256 = '4e99a73cec6e70272f2f742e1baf9dcc24471d1c40f32744701231edfaa14563';
export const UPSCALE = 3;
/** Input pixels added around each tile (the network sees 5 pixels around each output; 8 is safe). */
const MARGIN = 8;

let sessionPromise: Promise<ort.InferenceSession> | undefined;

/** The upscaler's session (created once; the model checked first). */
export function upscalerSession(file = UPSCALER_FILE, sha256 = UPSCALER_SHA256): Promise<ort.InferenceSession> {
  if (file !== UPSCALER_FILE) return ort.InferenceSession.create(readCheckedModel(file, sha256, 'the super-resolution model'));
  sessionPromise ??= ort.InferenceSession.create(readCheckedModel(file, sha256, 'the super-resolution model')).catch((e: unknown) => {
    sessionPromise = undefined;
    throw e;
  });
  return sessionPromise;
}

/** Upscales one luma plane (bytes, width×height) ×3 through the model in tiles; returns the 3W×3H plane. */
export async function upscaleLuma(
  session: ort.InferenceSession,
  luma: Uint8Array,
  width: number,
  height: number,
  tile = 192,
  out = new Uint8Array(width * UPSCALE * height * UPSCALE),
): Promise<Uint8Array> {
  const ow = width * UPSCALE;
  const input = session.inputNames[0]!;
  const output = session.outputNames[0]!;
  for (let ty = 0; ty < height; ty += tile) {
    for (let tx = 0; tx < width; tx += tile) {
      // The tile with a margin on every side; outside the picture the edge pixels repeat
      // (the network pads with zeros, which would darken a band along the borders).
      const tw = Math.min(tile, width - tx);
      const th = Math.min(tile, height - ty);
      const w = tw + 2 * MARGIN;
      const h = th + 2 * MARGIN;
      const data = new Float32Array(w * h);
      for (let y = 0; y < h; y++) {
        const sy = Math.min(height - 1, Math.max(0, ty - MARGIN + y));
        for (let x = 0; x < w; x++) {
          const sx = Math.min(width - 1, Math.max(0, tx - MARGIN + x));
          data[y * w + x] = luma[sy * width + sx]! / 255;
        }
      }
      const res = await session.run({ [input]: new ort.Tensor('float32', data, [1, 1, h, w]) });
      const up = res[output]!.data as Float32Array;
      const uw = w * UPSCALE;
      const m = MARGIN * UPSCALE;
      for (let y = 0; y < th * UPSCALE; y++) {
        const src = (m + y) * uw + m;
        const dst = (ty * UPSCALE + y) * ow + tx * UPSCALE;
        for (let x = 0; x < tw * UPSCALE; x++) {
          const v = up[src + x]! * 255 + 0.5;
          out[dst + x] = v <= 0 ? 0 : v >= 255 ? 255 : v;
        }
      }
    }
  }
  return out;
}

export interface EnhanceOptions {
  /** Output size (default: ×3 the source). */
  width?: number;
  height?: number;
  signal?: AbortSignal;
  /** 0..1 with an estimate of the seconds left. */
  onProgress?: (fraction: number, etaSeconds?: number) => void;
  /** Tile edge in source pixels (default 192). */
  tile?: number;
  crf?: number;
  /** A model file other than the shipped one (tests, benchmarks). */
  model?: { file: string; sha256: string };
}

export interface EnhanceResult {
  width: number;
  height: number;
  frames: number;
  source: { width: number; height: number };
  /** Seconds spent in the model. */
  modelSeconds: number;
}

/** Parses `1920x1080`. */
export function parseSize(text: string): { width: number; height: number } {
  const m = /^(\d{2,5})x(\d{2,5})$/.exec(text.trim());
  if (!m) throw inputError('BAD_SIZE', `--size ${text} is not WIDTHxHEIGHT`, { path: '--size', hint: 'Like 1920x1080.' });
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width % 2 || height % 2 || width > 7680 || height > 4320)
    throw inputError('BAD_SIZE', `--size ${text}: width and height must be even and at most 7680x4320`, { path: '--size' });
  return { width, height };
}

/** Writes `output`: `input` enhanced to the size asked for, with the source's audio. */
export async function enhanceVideo(input: string, output: string, opts: EnhanceOptions = {}): Promise<EnhanceResult> {
  if (!existsSync(input)) throw inputError('FILE_NOT_FOUND', `${input} does not exist`, { file: input });
  const info = await probe(input, { signal: opts.signal });
  const v = videoStream(info);
  if (!v?.width || !v.height) throw inputError('NO_VIDEO', `${input} has no video stream`, { file: input });
  const sw = v.width;
  const sh = v.height;
  const uw = sw * UPSCALE;
  const uh = sh * UPSCALE;
  const width = opts.width ?? uw;
  const height = opts.height ?? uh;
  const rate = v.avg_frame_rate && v.avg_frame_rate !== '0/0' ? v.avg_frame_rate : (v.r_frame_rate ?? '25/1');
  const [rn, rd] = rate.split('/').map(Number) as [number, number];
  const duration = Number(v.duration ?? info.format.duration ?? 0);
  const expected = Number(v.nb_frames) || Math.max(1, Math.round((duration * rn) / (rd || 1)));
  const session = await upscalerSession(opts.model?.file, opts.model?.sha256);

  const cw = Math.ceil(sw / 2);
  const chh = Math.ceil(sh / 2);
  const frameBytes = sw * sh + 2 * cw * chh;
  const tmp = tempPathFor(output, 'enhance');
  const hasAudio = !!audioStream(info);
  const scale = width !== uw || height !== uh ? `,scale=${width}:${height}:flags=lanczos` : '';
  const filter = `[1:v]scale=${uw}:${uh}:flags=bicubic,setsar=1,format=yuv420p,extractplanes=u+v[u][v];[0:v]setsar=1[y];[y][u][v]mergeplanes=0x001020:yuv420p${scale},setsar=1[out]`;
  const started = Date.now();
  let modelSeconds = 0;
  let frames = 0;
  try {
    await runFfmpeg(
      [
        '-y',
        '-f',
        'rawvideo',
        '-pix_fmt',
        'gray',
        '-s',
        `${uw}x${uh}`,
        '-framerate',
        rate,
        '-i',
        'pipe:0',
        '-i',
        input,
        '-filter_complex',
        filter,
        '-map',
        '[out]',
        ...(hasAudio ? ['-map', '1:a:0', '-c:a', 'aac', '-b:a', '192k'] : []),
        '-c:v',
        'libx264',
        '-preset',
        'medium',
        '-crf',
        String(opts.crf ?? 16),
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        '-shortest',
        '-f',
        'mp4',
        tmp,
      ],
      {
        signal: opts.signal,
        what: `enhancing ${input}`,
        feed: async (stdin) => {
          let pending: Buffer = Buffer.alloc(0);
          // Frames are upscaled in order on one chain; the decoder waits while a chunk is worked on.
          let chain = Promise.resolve();
          const drain = async () => {
            while (pending.length >= frameBytes) {
              if (opts.signal?.aborted) throw cancelledError('the enhance');
              const t0 = performance.now();
              const luma = pending.subarray(0, sw * sh);
              // A new plane each frame: the pipe may still hold the last one.
              const upscaled = backProject(await upscaleLuma(session, luma, sw, sh, opts.tile), luma, sw, sh);
              modelSeconds += (performance.now() - t0) / 1000;
              pending = pending.subarray(frameBytes);
              await write(stdin, upscaled);
              frames++;
              const f = Math.min(1, frames / expected);
              const secs = (Date.now() - started) / 1000;
              opts.onProgress?.(f, f > 0 ? (secs / f) * (1 - f) : undefined);
            }
          };
          await runTool('ffmpeg', ['-v', 'error', '-i', input, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'], {
            signal: opts.signal,
            what: `reading ${input}`,
            onStdout: (chunk) => {
              pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
              chain = chain.then(drain);
              return chain;
            },
          });
          await chain.then(drain);
          stdin.end();
        },
      },
    );
    if (!frames) throw new KlappeError({ code: 'ENHANCE_EMPTY', message: `${input} has no frames to enhance`, file: input });
    moveFile(tmp, output);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { width, height, frames, source: { width: sw, height: sh }, modelSeconds };
}

function write(stream: NodeJS.WritableStream, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(data, (e) => (e ? reject(e) : undefined));
    if (ok) resolve();
    else stream.once('drain', () => resolve());
  });
}
