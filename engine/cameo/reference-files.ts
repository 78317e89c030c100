/**
 * The reference files of a cameo besides the face crops and the embedding
 * (engine/cameo/cameo-references.ts): a voice sample from the recording, and
 * for a pet or an object (no human face to find) a few still frames; and the
 * plain check such a recording gets (a picture, a sensible length).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { probe, videoStream } from '../media/probe.js';
import { runFfmpeg } from '../media/run.js';

/** The first seconds of the recording's sound as 16 kHz mono WAV; false when it has no sound. */
export async function writeVoiceSample(recording: string, out: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await runFfmpeg(['-v', 'error', '-y', '-i', recording, '-vn', '-t', '8', '-ac', '1', '-ar', '16000', out], {
      signal,
      what: 'taking the voice sample from the recording',
    });
  } catch {
    return false;
  }
  return existsSync(out);
}

/** Three frames from the middle of the recording (pets, objects), as JPEG names in `outDir`. */
export async function writeStillFrames(recording: string, outDir: string, seconds: number, signal?: AbortSignal): Promise<string[]> {
  const names: string[] = [];
  for (const [i, at] of [0.3, 0.5, 0.7].entries()) {
    const name = `frame-${i + 1}.jpg`;
    await runFfmpeg(
      [
        '-v',
        'error',
        '-y',
        '-ss',
        (seconds * at).toFixed(3),
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
      { signal, what: 'taking a reference frame from the recording' },
    );
    if (existsSync(join(outDir, name))) names.push(name);
  }
  return names;
}

/** The check of a pet's or an object's recording (the liveness check is for people): a readable picture of sensible length. */
export async function checkPlainRecording(file: string): Promise<{ passed: boolean; reasons: Array<{ code: string; message: string }> }> {
  const reasons: Array<{ code: string; message: string }> = [];
  try {
    const p = await probe(file);
    const seconds = Number(p.format.duration ?? videoStream(p)?.duration ?? 0);
    if (!videoStream(p)) reasons.push({ code: 'NO_VIDEO', message: 'the recording has no picture' });
    if (seconds < 1) reasons.push({ code: 'TOO_SHORT', message: `the recording is ${seconds.toFixed(1)} s long; record at least 2 s` });
  } catch (e) {
    reasons.push({ code: 'UNREADABLE', message: `${file} cannot be read as video: ${(e as Error).message}` });
  }
  return { passed: reasons.length === 0, reasons };
}
