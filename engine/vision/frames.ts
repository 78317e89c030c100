/**
 * Video frames for face analysis: decoded by ffmpeg at a few frames per second
 * and a small size, as packed RGB (3 bytes a pixel), with their times. A
 * picture file (PNG, JPEG, WebP) gives its one frame.
 */
import { KlappeError } from '../common/errors.js';
import { probe, videoStream } from '../media/probe.js';
import { runFfmpeg } from '../media/run.js';

export interface RgbFrame {
  width: number;
  height: number;
  /** Packed RGB, row by row, width*height*3 bytes. */
  data: Uint8Array;
}

export interface DecodedFrames {
  frames: RgbFrame[];
  /** Frames per second of `frames` (the requested rate, at most the source's). */
  fps: number;
  /** Size of the source video; frame coordinates × (sourceWidth / width) give source pixels. */
  sourceWidth: number;
  sourceHeight: number;
  /** Duration of the video stream, seconds. */
  durationSec: number;
}

export interface DecodeFramesOptions {
  /** Frames per second to decode (default 5; capped at the source rate). */
  fps?: number;
  /** Largest width of the decoded frames (default 480; never upscaled). */
  maxWidth?: number;
  signal?: AbortSignal;
}

/** Parses an ffprobe rate such as '25/1' or '30000/1001'. */
export function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [n, d] = rate.split('/').map(Number);
  if (!n || !Number.isFinite(n)) return 0;
  return d ? n / d : n;
}

export interface FrameStreamInfo {
  /** Frames per second delivered (the requested rate, at most the source's). */
  fps: number;
  width: number;
  height: number;
  sourceWidth: number;
  sourceHeight: number;
  durationSec: number;
}

/**
 * Decodes `file` frame by frame and hands each frame to `onFrame` as it comes
 * (ffmpeg waits while `onFrame`'s promise runs), so long videos never sit in
 * memory whole. Returns the stream's facts and the number of frames.
 */
export async function streamFrames(
  file: string,
  opts: DecodeFramesOptions,
  onFrame: (frame: RgbFrame, index: number, info: FrameStreamInfo) => void | Promise<void>,
): Promise<FrameStreamInfo & { frames: number }> {
  const info = await probe(file, { signal: opts.signal });
  const vs = videoStream(info);
  if (!vs?.width || !vs.height)
    throw new KlappeError({
      code: 'NO_VIDEO_STREAM',
      kind: 'input',
      message: `${file} has no video stream`,
      file,
      hint: 'Give a video file (MP4, MOV, WebM, MPG) with a picture.',
    });
  // a picture (PNG, JPEG, WebP) is one frame: the fps filter would make none of it
  const picture = /(^|,)(image2|\w+_pipe)(,|$)/.test(info.format.format_name) || !(Number(vs.duration ?? info.format.duration) > 0);
  const sourceFps = parseRate(vs.avg_frame_rate) || parseRate(vs.r_frame_rate) || 25;
  const fps = picture ? 1 : Math.min(opts.fps ?? 5, sourceFps);
  const maxWidth = opts.maxWidth ?? 480;
  const width = Math.min(vs.width, maxWidth) & ~1;
  const height = Math.max(2, Math.round((vs.height * width) / vs.width / 2) * 2);
  const durationSec = Number(vs.duration ?? info.format.duration ?? 0) || 0;
  const fpsArg = Math.abs(fps - sourceFps) < 1e-6 ? (vs.avg_frame_rate ?? String(fps)) : String(fps);
  const facts: FrameStreamInfo = { fps, width, height, sourceWidth: vs.width, sourceHeight: vs.height, durationSec };
  const size = width * height * 3;
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  await runFfmpeg(
    [
      '-v',
      'error',
      '-i',
      file,
      '-an',
      ...(picture
        ? ['-frames:v', '1', '-vf', `scale=${width}:${height}:flags=area`]
        : ['-vf', `fps=${fpsArg},scale=${width}:${height}:flags=area`]),
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    {
      signal: opts.signal,
      what: `decoding frames of ${file} for face analysis`,
      onStdout: async (chunk) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        while (pending.length >= size) {
          const data = new Uint8Array(size);
          data.set(pending.subarray(0, size));
          pending = pending.subarray(size);
          await onFrame({ width, height, data }, index++, facts);
        }
      },
    },
  );
  return { ...facts, frames: index };
}

/** All frames of `file` at once (short clips; use streamFrames for long ones). */
export async function decodeFrames(file: string, opts: DecodeFramesOptions = {}): Promise<DecodedFrames> {
  const frames: RgbFrame[] = [];
  const info = await streamFrames(file, opts, (f) => {
    frames.push(f);
  });
  return { frames, fps: info.fps, sourceWidth: info.sourceWidth, sourceHeight: info.sourceHeight, durationSec: info.durationSec };
}
