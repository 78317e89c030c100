/**
 * Importing an audio file (WAV, MP3, M4A, FLAC) onto a track: the file is
 * probed first, and only a readable file of a supported kind becomes a media
 * entry and a clip. The file itself is referenced, never changed.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { inputError, isKlappeError } from '../common/errors.js';
import { audioStream, probe } from '../media/probe.js';
import { applyCommand } from '../model/commands/index.js';
import { newId } from '../model/lookup.js';
import type { Project } from '../model/schema.js';
import { AUDIO_RATE, sampleToFrame, samplesToFramesCeil } from '../common/time.js';
import { sha256File } from '../util/hash.js';
import { detectSpeech } from './vad.js';

export const AUDIO_IMPORT_EXTENSIONS = ['.wav', '.mp3', '.m4a', '.flac'] as const;

export interface ImportAudioOptions {
  trackId: string;
  /** Where the clip starts on the sequence, frames. */
  at: number;
  /** Trim silence at both ends to the speech found by voice activity detection (speech imports). */
  trimSilence?: boolean;
  signal?: AbortSignal;
}

export interface ImportedAudio {
  doc: Project;
  /** The commands that made `doc` (media.add, clip.add): apply them as one undoable step. */
  commands: Array<Record<string, unknown>>;
  mediaId: string;
  clipId: string;
  durationSamples: number;
}

/** Checks the file and returns the document with the media entry and the clip added (the input doc is unchanged). */
export async function importAudio(doc: Project, projectDir: string, file: string, opts: ImportAudioOptions): Promise<ImportedAudio> {
  const abs = resolve(file);
  const ext = extname(abs).toLowerCase();
  if (!(AUDIO_IMPORT_EXTENSIONS as readonly string[]).includes(ext)) {
    throw inputError('UNSUPPORTED_AUDIO', `${abs}: "${ext || '(no extension)'}" files cannot be imported`, {
      file: abs,
      hint: `Import ${AUDIO_IMPORT_EXTENSIONS.join(', ')} files.`,
    });
  }
  if (!existsSync(abs) || !statSync(abs).isFile()) throw inputError('FILE_NOT_FOUND', `${abs}: no such file`, { file: abs });
  const track = doc.sequence.tracks.find((t) => t.id === opts.trackId);
  if (!track)
    throw inputError('NOT_FOUND', `no track with id "${opts.trackId}"`, {
      path: 'trackId',
      hint: `Tracks: ${doc.sequence.tracks.map((t) => t.id).join(', ')}`,
    });
  if (track.kind === 'video')
    throw inputError('WRONG_TRACK_KIND', `track "${track.id}" is a video track; audio goes on a dialogue, sfx or music track`, {
      path: 'trackId',
    });
  let seconds: number;
  try {
    const p = await probe(abs, { signal: opts.signal });
    const a = audioStream(p);
    if (!a) throw inputError('NO_AUDIO', `${abs}: the file has no audio stream`, { file: abs });
    seconds = Number(a.duration ?? p.format.duration);
  } catch (e) {
    if (isKlappeError(e) && (e.kind === 'input' || e.kind === 'cancelled')) throw e;
    throw inputError('UNREADABLE_AUDIO', `${abs}: not a readable audio file`, {
      file: abs,
      hint: 'The file is damaged or not really audio; ffmpeg could not read it.',
      cause: e,
    });
  }
  if (!Number.isFinite(seconds) || seconds <= 0) throw inputError('UNREADABLE_AUDIO', `${abs}: the audio has no length`, { file: abs });
  const durationSamples = Math.round(seconds * AUDIO_RATE);
  const rel = relative(projectDir, abs);
  const path = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
  const mediaId = newId(doc, 'media');
  const addMedia = { type: 'media.add', media: { id: mediaId, path, kind: 'audio', durationSamples, sha256: await sha256File(abs) } };
  let next = applyCommand(doc, addMedia).doc;
  const clipId = newId(next, 'clip');
  const rate = next.sequence.rate;
  let sourceStart = 0;
  let duration = Math.max(1, samplesToFramesCeil(durationSamples, rate));
  if (opts.trimSilence) {
    const speech = await detectSpeech(abs, { signal: opts.signal });
    if (speech.length) {
      sourceStart = sampleToFrame(speech[0]!.startSample, rate);
      duration = Math.max(1, samplesToFramesCeil(speech[speech.length - 1]!.endSample, rate) - sourceStart);
    }
  }
  const name = abs.split(/[\\/]/).pop()!.slice(0, 120);
  const addClip = {
    type: 'clip.add',
    trackId: track.id,
    clip: { id: clipId, name, source: { type: 'media', mediaId }, sourceStart, recordStart: opts.at, duration },
  };
  next = applyCommand(next, addClip).doc;
  return { doc: next, commands: [addMedia, addClip], mediaId, clipId, durationSamples };
}
