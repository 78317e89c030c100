/**
 * The one way Klappe runs ffmpeg/ffprobe: progress parsed from `-progress pipe:1`,
 * cancellation through an AbortSignal that ends the process, stderr kept for the
 * error message. A tool never outlives Klappe: on POSIX it runs under a small
 * `sh` watchdog that kills it (SIGKILL) when the pipe on fd 3 ends, which
 * happens when this process exits in any way, kill -9 included, or cancels.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { cancelledError, KlappeError } from '../common/errors.js';
import { locate, type Tool } from './locate.js';

export interface FfmpegProgress {
  /** Output time reached, microseconds. */
  outTimeUs: number;
  frame: number;
  /** 0..1 when the expected duration is known. */
  fraction?: number;
  speed?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Expected output duration (µs) so progress can be a fraction. */
  durationUs?: number;
  onProgress?: (p: FfmpegProgress) => void;
  /** Data written to stdin (then closed). Omit for no stdin. */
  stdin?: Buffer | string;
  /** Feed stdin yourself (raw frames): receives the process's stdin stream. */
  feed?: (stdin: NodeJS.WritableStream) => Promise<void>;
  /** Collect stdout (ffprobe, or ffmpeg writing to pipe:1 without progress). */
  captureStdout?: boolean;
  /** Stream stdout chunk by chunk instead of collecting it (long decodes); stdout pauses while it returns a promise. */
  onStdout?: (chunk: Buffer) => void | Promise<void>;
  /** Human description for errors ("rendering the sequence"). */
  what?: string;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

const STDERR_KEEP = 64 * 1024;

/**
 * Runs "$0" "$@" (the tool) in the background with the same stdin, and a
 * watcher that kills it when fd 3 (a socket whose other end only Klappe
 * holds) reads end-of-file; exits with the tool's status.
 */
const WATCHDOG =
  'exec 4<&0; "$0" "$@" <&4 4<&- & p=$!; { read _ <&3; kill -9 $p 2>/dev/null; } & w=$!; wait $p; s=$?; kill $w 2>/dev/null; exit $s';
const WATCHED = process.platform !== 'win32';

/** Starts the tool; `stop` ends it (and, on POSIX, nothing of it survives this process). */
function spawnWatched(path: string, args: string[], stdin: 'pipe' | 'ignore'): { child: ChildProcess; stop: () => void } {
  if (!WATCHED) {
    const child = spawn(path, args, { stdio: [stdin, 'pipe', 'pipe'] });
    return { child, stop: () => child.kill('SIGKILL') };
  }
  const child = spawn('/bin/sh', ['-c', WATCHDOG, path, ...args], { stdio: [stdin, 'pipe', 'pipe', 'pipe'] });
  const lifeline = child.stdio[3] as Socket;
  lifeline.on('error', () => {
    /* the watchdog is gone */
  });
  return { child, stop: () => lifeline.destroy() };
}

export function runTool(tool: Tool, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const { path } = locate(tool);
  const what = opts.what ?? tool;
  if (opts.signal?.aborted) return Promise.reject(cancelledError(what));
  const withProgress = tool === 'ffmpeg' && !!opts.onProgress;
  const fullArgs =
    tool === 'ffmpeg' ? ['-hide_banner', '-nostdin', ...(withProgress ? ['-progress', 'pipe:1', '-nostats'] : []), ...args] : args;
  if (tool === 'ffmpeg' && (opts.stdin !== undefined || opts.feed)) fullArgs.splice(fullArgs.indexOf('-nostdin'), 1);
  return new Promise<RunResult>((resolvePromise, reject) => {
    const { child, stop } = spawnWatched(path, fullArgs, opts.stdin !== undefined || opts.feed ? 'pipe' : 'ignore');
    let stderr = '';
    const stdoutChunks: Buffer[] = [];
    /** The promise of the last onStdout handler (a paused stream may close before it settles). */
    let stdoutWork: Promise<void> = Promise.resolve();
    let progressBuf = '';
    let cancelled = false;
    const current: Partial<FfmpegProgress> = {};

    const onAbort = () => {
      cancelled = true;
      stop();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      stderr += d;
      if (stderr.length > STDERR_KEEP * 2) stderr = stderr.slice(-STDERR_KEEP);
    });
    child.stdout!.on('data', (d: Buffer) => {
      if (withProgress) {
        progressBuf += d.toString('utf8');
        let nl: number;
        while ((nl = progressBuf.indexOf('\n')) >= 0) {
          const line = progressBuf.slice(0, nl).trim();
          progressBuf = progressBuf.slice(nl + 1);
          const eq = line.indexOf('=');
          if (eq < 0) continue;
          const key = line.slice(0, eq);
          const value = line.slice(eq + 1);
          if (key === 'out_time_us' || key === 'out_time_ms')
            current.outTimeUs = Number(value) || 0; // ffmpeg 4 reports µs under both names
          else if (key === 'frame') current.frame = Number(value) || 0;
          else if (key === 'speed') current.speed = Number.parseFloat(value) || undefined;
          else if (key === 'progress') {
            const outTimeUs = Math.max(0, current.outTimeUs ?? 0);
            opts.onProgress!({
              outTimeUs,
              frame: current.frame ?? 0,
              speed: current.speed,
              fraction: opts.durationUs ? Math.min(1, value === 'end' ? 1 : outTimeUs / opts.durationUs) : undefined,
            });
          }
        }
      } else if (opts.onStdout) {
        const r = opts.onStdout(d);
        if (r) {
          child.stdout!.pause();
          stdoutWork = r;
          r.then(
            () => child.stdout!.resume(),
            (e: unknown) => {
              stop();
              reject(e);
            },
          );
        }
      } else if (opts.captureStdout) stdoutChunks.push(d);
    });

    if (child.stdin) {
      child.stdin.on('error', () => {
        /* ffmpeg closed its input early; the exit code tells why */
      });
      if (opts.feed) {
        opts.feed(child.stdin).then(
          () => child.stdin!.end(),
          (e) => {
            stop();
            reject(e);
          },
        );
      } else child.stdin.end(opts.stdin);
    }

    child.on('error', (e) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new KlappeError({ code: 'FFMPEG_SPAWN', message: `could not start ${tool} at ${path}: ${e.message}`, cause: e }));
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      stop();
      if (cancelled) return reject(cancelledError(what));
      // the last chunk's handler may still run: the result waits for it (its failure has rejected already)
      if (code === 0)
        return void stdoutWork.then(
          () => resolvePromise({ stdout: Buffer.concat(stdoutChunks), stderr }),
          () => {},
        );
      const tail = stderr.trim().split('\n').slice(-8).join('\n');
      reject(
        new KlappeError({
          code: 'FFMPEG_FAILED',
          message: `${what} failed: ${tool} exited with ${code ?? sig}:\n${tail}`,
          hint: "The lines above are ffmpeg's own; the first error line usually names the input.",
        }),
      );
    });
  });
}

export function runFfmpeg(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runTool('ffmpeg', args, opts);
}
