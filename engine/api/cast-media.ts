/**
 * What the Cast panel shows and plays that is not the document: a voice's preview (a short sample spoken with the
 * embedded speech at the chosen rate and pitch) and small pictures of the characters' reference images. Both go into
 * the media cache and are reached by their hash, like takes.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getSpeechEngine, listVoices } from '../audio/speech/registry.js';
import { encodeWav } from '../audio/wav.js';
import type { MediaStore } from '../cache/media-store.js';
import { inputError } from '../common/errors.js';
import { runFfmpeg } from '../media/run.js';
import { VoiceSchema } from '../model/schema.js';
import { makeWorkDir } from '../util/work-dir.js';

/** What the preview says when no text is given. */
export const PREVIEW_TEXT = 'Hello. This is how I sound in your film.';
export const REFERENCE_THUMB_WIDTH = 160;

/** Speaks a short sample with `voice` at `rate` (and `pitch` Hz, else the voice's own); its hash in the store and length in samples. */
export async function previewVoice(
  store: MediaStore,
  p: { voice: string; rate: number; pitch?: number; text?: string },
  signal?: AbortSignal,
): Promise<{ hash: string; samples: number }> {
  const voices = listVoices();
  if (!voices.includes(p.voice))
    throw inputError('UNKNOWN_VOICE', `no voice called "${p.voice}"`, { path: 'params.voice', hint: `Voices: ${voices.join(', ')}.` });
  const voice = VoiceSchema.parse({ voice: p.voice, rate: p.rate, ...(p.pitch !== undefined ? { pitchHz: p.pitch } : {}) });
  const spoken = await getSpeechEngine(voice.engine).synthesize(p.text ?? PREVIEW_TEXT, voice, { signal });
  const dir = makeWorkDir('klappe-voice');
  try {
    const file = join(dir, 'preview.wav');
    writeFileSync(file, encodeWav(spoken.samples, 1));
    return { hash: (await store.ingest(file, { move: true })).hash, samples: spoken.samples.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A JPEG of the image `file`, REFERENCE_THUMB_WIDTH pixels wide, in the store; its hash. */
export async function referenceThumb(store: MediaStore, file: string, signal?: AbortSignal): Promise<string> {
  const dir = makeWorkDir('klappe-refthumb');
  try {
    const out = join(dir, 'thumb.jpg');
    await runFfmpeg(['-y', '-i', file, '-frames:v', '1', '-vf', `scale=${REFERENCE_THUMB_WIDTH}:-2`, '-q:v', '4', out], {
      signal,
      what: 'making a picture of a reference image',
    });
    return (await store.ingest(out, { move: true })).hash;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
