/**
 * Draws a shot's frames in worker threads and streams them, in order, as raw
 * RGBA into ffmpeg's stdin; ffmpeg muxes them with the shot's WAV (or
 * silence) into an H.264 + AAC MP4. No image files are written.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { KlappeError, cancelledError } from '../../common/errors.js';
import { runFfmpeg } from '../../media/run.js';
import { framesToMicros, framesToSamples, rateToString, type Rate } from '../../common/time.js';
import type { FrameSpec } from './frame-spec.js';
import { takeAudioFilter, takeOutputArgs } from '../../media/take-encode.js';

const WORKER_URL = new URL('./draw-worker.mjs', import.meta.url);

export interface EncodeOptions {
  specs: FrameSpec[];
  rate: Rate;
  width: number;
  height: number;
  /** WAV file with the shot's sound (48 kHz stereo); omitted = silence. */
  wav?: string;
  output: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** Worker threads (default: one per core, at most 4). */
  workers?: number;
  crf?: number;
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export async function encodeShot(opts: EncodeOptions): Promise<void> {
  const { specs, rate, width, height } = opts;
  const frames = specs.length;
  const r = rateToString(rate);
  const samples = framesToSamples(frames, rate);
  const audioIn = opts.wav ? ['-i', opts.wav] : ['-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo'];
  const args = [
    '-y',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgba',
    '-s',
    `${width}x${height}`,
    '-framerate',
    r,
    '-i',
    'pipe:0',
    ...audioIn,
    '-filter_complex',
    takeAudioFilter(samples),
    '-map',
    '0:v',
    '-map',
    '[a]',
    ...takeOutputArgs({
      rate: r,
      crf: opts.crf ?? 20,
      gop: Math.max(1, Math.round(rate.num / rate.den)),
      audioBitrate: '160k',
      output: opts.output,
    }),
  ];
  await runFfmpeg(args, {
    signal: opts.signal,
    durationUs: framesToMicros(frames, rate),
    what: 'encoding the previz shot',
    feed: (stdin) => streamFrames(specs, stdin, opts),
  });
}

/** Frames a worker draws ahead of the one being written (each in its own slot of the shared frame buffer). */
const IN_FLIGHT = 3;

/**
 * Draws frames on a pool of workers and writes them to `out` in order, with backpressure.
 * The workers copy each frame into a slot of one SharedArrayBuffer made here once, and the
 * slot goes back to its worker when ffmpeg's pipe has taken it: no frame-sized buffer is
 * allocated in this thread, whose large heap a garbage collection for every few frames
 * made the single biggest cost of a previz take.
 */
async function streamFrames(specs: FrameSpec[], out: NodeJS.WritableStream, opts: EncodeOptions): Promise<void> {
  const count = Math.max(1, Math.min(opts.workers ?? defaultWorkers(), specs.length));
  const frameBytes = opts.width * opts.height * 4;
  const shared = new SharedArrayBuffer(frameBytes * count * IN_FLIGHT);
  const workers = Array.from({ length: count }, () => new Worker(WORKER_URL, { workerData: { shared, frameBytes } }));
  /** Frame index → its slot, once drawn. */
  const done = new Map<number, number>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let next = 0;
  /** Slot s belongs to worker floor(s / IN_FLIGHT): a freed slot gets that worker's next frame. */
  const sendNext = (slot: number) => {
    if (next >= specs.length) return;
    const index = next++;
    workers[Math.floor(slot / IN_FLIGHT)]!.postMessage({ index, spec: specs[index], slot });
  };
  workers.forEach((w, k) => {
    w.on('message', (m: { index: number; slot?: number; error?: string }) => {
      if (m.error) failure ??= new KlappeError({ code: 'PREVIZ_DRAW', message: `drawing frame ${m.index} failed: ${m.error}` });
      else done.set(m.index, m.slot!);
      notify();
    });
    w.on('error', (e) => {
      failure ??= new KlappeError({ code: 'PREVIZ_DRAW', message: `a drawing worker failed: ${e.message}`, cause: e });
      notify();
    });
    for (let j = 0; j < IN_FLIGHT; j++) sendNext(k * IN_FLIGHT + j);
  });
  try {
    for (let i = 0; i < specs.length; i++) {
      while (!done.has(i)) {
        if (failure) throw failure;
        if (opts.signal?.aborted) throw cancelledError('drawing the previz shot');
        await new Promise<void>((res) => {
          wake = res;
        });
      }
      const slot = done.get(i)!;
      done.delete(i);
      // the slot is drawn into again only once the pipe has taken these bytes
      const ok = out.write(Buffer.from(shared, slot * frameBytes, frameBytes), () => sendNext(slot));
      if (!ok) {
        await new Promise<void>((res) => {
          const go = () => {
            out.off('drain', go);
            out.off('close', go);
            res();
          };
          out.on('drain', go);
          out.on('close', go);
        });
        if ((out as NodeJS.WritableStream & { destroyed?: boolean }).destroyed) return; // ffmpeg stopped reading; its exit status says why
      }
      opts.onProgress?.((i + 1) / specs.length);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
