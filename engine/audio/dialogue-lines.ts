/**
 * Dialogue lanes and lines: one dialogue track per character (its lane), each
 * line a clip that says `line.text`, spoken by a speech engine into a WAV in
 * the project's `audio/lines/` folder. Speaking a line again (another voice,
 * rate or pitch) adds a reading to the line's takes and plays it; the earlier
 * readings stay, and `line.take.select` goes back to one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { applyCommand } from '../model/commands/index.js';
import { findClip, newId } from '../model/lookup.js';
import { VoiceSchema, type Project, type Voice } from '../model/schema.js';
import { sha256Hex } from '../util/hash.js';
import { getSpeechEngine } from './speech/registry.js';
import type { SpeechEngine } from './speech/speech-engine.js';
import { encodeWav } from './wav.js';

export const LINES_FOLDER = join('audio', 'lines');

/** The dialogue track of a character, created (named after them) when it has none. */
export function ensureLane(doc: Project, characterId: string): { doc: Project; trackId: string } {
  const character = doc.characters.find((c) => c.id === characterId);
  if (!character) throw inputError('NOT_FOUND', `no character with id "${characterId}"`, { path: 'characterId', hint: `Characters: ${doc.characters.map((c) => c.id).join(', ') || '(none)'}` });
  const lane = doc.sequence.tracks.find((t) => t.kind === 'dialogue' && t.characterId === characterId);
  if (lane) return { doc, trackId: lane.id };
  const trackId = newId(doc, `dialogue-${characterId}`.slice(0, 100));
  const next = applyCommand(doc, { type: 'track.add', track: { id: trackId, kind: 'dialogue', name: character.name, characterId } }).doc;
  return { doc: next, trackId };
}

/** Adds an unspoken line on the character's lane at `at` (frames); speak it with speakLine. */
export function addLine(doc: Project, line: { characterId: string; text: string; at: number; durationFrames?: number }): { doc: Project; clipId: string } {
  const lane = ensureLane(doc, line.characterId);
  const clipId = newId(lane.doc, 'line');
  const words = line.text.trim().split(/\s+/).length;
  const estimate = Math.max(1, Math.round(((0.35 * words + 0.3) * lane.doc.sequence.rate.num) / lane.doc.sequence.rate.den));
  const next = applyCommand(lane.doc, {
    type: 'clip.add',
    trackId: lane.trackId,
    clip: { id: clipId, name: line.text.slice(0, 120), source: { type: 'line' }, recordStart: line.at, duration: line.durationFrames ?? estimate, line: { characterId: line.characterId, text: line.text } },
  }).doc;
  return { doc: next, clipId };
}

export interface SpokenReading {
  doc: Project;
  takeId: string;
  mediaId: string;
  file: string;
  samples: number;
}

/**
 * Speaks a line clip (again) with `voice` (default: the character's voice),
 * writes the WAV into the project, records it as a new take of the line and
 * plays it; the clip is made as long as the reading.
 */
export async function speakLine(doc: Project, projectDir: string, clipId: string, voice?: Partial<Voice>, opts: { engine?: SpeechEngine; signal?: AbortSignal; now?: () => Date } = {}): Promise<SpokenReading> {
  const loc = findClip(doc, clipId);
  if (!loc) throw inputError('NOT_FOUND', `no clip with id "${clipId}"`, { path: 'clipId' });
  const line = loc.clip.line;
  if (!line) throw inputError('NOT_A_LINE', `clip "${clipId}" is not a dialogue line`, { path: 'clipId' });
  const character = doc.characters.find((c) => c.id === line.characterId);
  const previous = line.takes.find((t) => t.id === line.selectedTakeId)?.voice;
  const v = VoiceSchema.parse({ ...(character?.voice ?? {}), ...(previous ?? {}), ...stripUndefined(voice ?? {}) });
  const engine = opts.engine ?? getSpeechEngine(v.engine);
  const spoken = await engine.synthesize(line.text, v, { signal: opts.signal });
  const wav = encodeWav(spoken.samples, 1);
  const hash = sha256Hex(wav);
  const rel = join(LINES_FOLDER, `${hash.slice(0, 16)}.wav`);
  mkdirSync(join(projectDir, LINES_FOLDER), { recursive: true });
  writeFileSync(join(projectDir, rel), wav);
  const mediaId = newId(doc, 'media');
  let next = applyCommand(doc, { type: 'media.add', media: { id: mediaId, path: rel, kind: 'audio', durationSamples: spoken.samples.length, sha256: hash } }).doc;
  const takeId = `${clipId}-r${line.takes.length + 1}`;
  next = applyCommand(next, { type: 'line.take.add', clipId, take: { id: takeId, mediaId, voice: v, createdAt: (opts.now?.() ?? new Date()).toISOString() } }).doc;
  return { doc: next, takeId, mediaId, file: join(projectDir, rel), samples: spoken.samples.length };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
