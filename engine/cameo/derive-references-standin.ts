/**
 * STAND-IN for the faces work's reference derivation (best frontal face crops,
 * a face embedding, a voice sample). Until it is merged this takes three
 * frames from the middle of the recording (no face crop, no embedding) and
 * the first seconds of its sound as a 16 kHz mono voice sample.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runFfmpeg } from '../media/run.js';

export interface DerivedReference {
  /** File name inside `outDir`. */
  name: string;
  kind: 'face' | 'embedding' | 'voice';
}

export async function deriveReferences(
  recording: string,
  outDir: string,
  opts: { seconds: number; signal?: AbortSignal },
): Promise<DerivedReference[]> {
  const out: DerivedReference[] = [];
  for (const [i, at] of [0.3, 0.5, 0.7].entries()) {
    const name = `face-${i + 1}.jpg`;
    await runFfmpeg(
      [
        '-y',
        '-ss',
        (opts.seconds * at).toFixed(3),
        '-i',
        recording,
        '-frames:v',
        '1',
        '-vf',
        'scale=-2:512',
        '-q:v',
        '3',
        join(outDir, name),
      ],
      {
        signal: opts.signal,
        what: 'taking a reference frame from the recording',
      },
    );
    if (existsSync(join(outDir, name))) out.push({ name, kind: 'face' });
  }
  try {
    await runFfmpeg(['-y', '-i', recording, '-vn', '-t', '8', '-ac', '1', '-ar', '16000', join(outDir, 'voice.wav')], {
      signal: opts.signal,
      what: 'taking the voice sample from the recording',
    });
    if (existsSync(join(outDir, 'voice.wav'))) out.push({ name: 'voice.wav', kind: 'voice' });
  } catch {
    /* no sound: no voice sample */
  }
  return out;
}
