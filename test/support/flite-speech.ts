/**
 * Real speech for audio tests: Flite (the engine's WASI runner) speaks a
 * sentence into a WAV at its native rate, and reports when its first and last
 * phones that are not pauses start and end.
 */
import { writeFileSync } from 'node:fs';
import { runFlite } from '../../engine/audio/speech/flite-wasi.js';

export interface FliteSpeech {
  /** Seconds where the first non-pause phone starts. */
  onsetSeconds: number;
  /** Seconds where the last non-pause phone ends. */
  offsetSeconds: number;
  durationSeconds: number;
}

/** Writes `text` spoken by flite voice `voice` to `outWav` (16 kHz mono 16-bit). */
export async function fliteSpeak(text: string, outWav: string, voice = 'slt'): Promise<FliteSpeech> {
  const { stdout, wav } = await runFlite(['-voice', voice, '-psdur', '-t', text, '-o', '/out/out.wav']);
  writeFileSync(outWav, wav!);
  const phones = stdout
    .trim()
    .split(/\s+/)
    .map((p) => {
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
}
