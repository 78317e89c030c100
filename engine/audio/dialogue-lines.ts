/**
 * Dialogue lanes and lines: one dialogue track per character (its lane); a
 * line (the document's `lines`) is played on its lane by a clip that names it
 * (`clip.lineId`), spoken by a speech engine into a WAV in the project's
 * `audio/lines/` folder. Speaking a line again (another voice, rate, pitch or
 * wording) adds a reading to the line and plays it; the earlier readings
 * stay, and `line.reading.select` goes back to one. A shot's line can be
 * spoken into readings the same way (it has no clip to play them until one
 * names it).
 *
 * Every function here returns the document commands it made (`commands`) with
 * the document they lead to: the CLI saves the document, the studio applies
 * the commands as one undoable gesture. Speech is synthesized and its WAV
 * written before any command is made, so a failed synthesis changes nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../common/errors.js';
import { applyCommand, type CommandInput } from '../model/commands/index.js';
import { clipOfLine, findLine } from '../model/lines.js';
import { findClip, newId } from '../model/lookup.js';
import { VoiceSchema, type Project, type Voice } from '../model/schema.js';
import { sha256Hex } from '../util/hash.js';
import { getSpeechEngine } from './speech/registry.js';
import type { SpeechEngine } from './speech/speech-engine.js';
import { encodeWav } from './wav.js';

export const LINES_FOLDER = join('audio', 'lines');

/** Commands with the document they lead to. */
export interface Edited {
  doc: Project;
  commands: CommandInput[];
}

/** Applies commands in order; the document after them, and the commands. */
function applyAll(doc: Project, commands: CommandInput[]): Edited {
  let next = doc;
  for (const c of commands) next = applyCommand(next, c).doc;
  return { doc: next, commands };
}

/** The dialogue track of a character, created (named after them) when it has none. */
export function ensureLane(doc: Project, characterId: string): Edited & { trackId: string } {
  const character = doc.characters.find((c) => c.id === characterId);
  if (!character)
    throw inputError('NOT_FOUND', `no character with id "${characterId}"`, {
      path: 'characterId',
      hint: `Characters: ${doc.characters.map((c) => c.id).join(', ') || '(none)'}`,
    });
  const lane = doc.sequence.tracks.find((t) => t.kind === 'dialogue' && t.characterId === characterId);
  if (lane) return { doc, commands: [], trackId: lane.id };
  const trackId = newId(doc, `dialogue-${characterId}`.slice(0, 100));
  return {
    ...applyAll(doc, [{ type: 'track.add', track: { id: trackId, kind: 'dialogue', name: character.name, characterId } }]),
    trackId,
  };
}

export interface NewLine {
  characterId: string;
  text: string;
  /** Where the line starts on the sequence, frames. */
  at: number;
  durationFrames?: number;
}

/** Adds an unspoken line on the character's lane at `at` (frames): the line and the clip that plays it; speak it with speakLine. */
export function addLine(doc: Project, line: NewLine): Edited & { lineId: string; clipId: string } {
  const lane = ensureLane(doc, line.characterId);
  const lineId = newId(lane.doc, 'line');
  const addLineCmd: CommandInput = { type: 'line.add', line: { id: lineId, characterId: line.characterId, text: line.text } };
  const withLine = applyCommand(lane.doc, addLineCmd).doc;
  const clipId = newId(withLine, 'clip');
  const words = line.text.trim().split(/\s+/).length;
  const estimate = Math.max(1, Math.round(((0.35 * words + 0.3) * lane.doc.sequence.rate.num) / lane.doc.sequence.rate.den));
  const addClip: CommandInput = {
    type: 'clip.add',
    trackId: lane.trackId,
    clip: {
      id: clipId,
      name: line.text.slice(0, 120),
      source: { type: 'line' },
      recordStart: line.at,
      duration: line.durationFrames ?? estimate,
      lineId,
    },
  };
  return { doc: applyCommand(withLine, addClip).doc, commands: [...lane.commands, addLineCmd, addClip], lineId, clipId };
}

/** The line a lane clip plays (for callers that know the clip, e.g. the one selected on the timeline). */
export function lineIdOfClip(doc: Project, clipId: string, field = 'clipId'): string {
  const loc = findClip(doc, clipId);
  if (!loc) throw inputError('NOT_FOUND', `no clip with id "${clipId}"`, { path: field });
  if (loc.clip.lineId === undefined) throw inputError('NOT_A_LINE', `clip "${clipId}" is not a dialogue line`, { path: field });
  return loc.clip.lineId;
}

/** A voice for a reading: what is given replaces the line's current voice; `pitchHz: null` goes back to the voice's own pitch. */
export type VoiceChange = Partial<Omit<Voice, 'pitchHz'>> & { pitchHz?: number | null };

export interface SpeakOptions {
  /** New wording for this reading (default: the line's text); picking the reading makes it the line's text. */
  text?: string;
  engine?: SpeechEngine;
  signal?: AbortSignal;
  now?: () => Date;
  /**
   * The document as it is once the speech is made (the studio's, which may
   * have changed meanwhile); the commands are made for it. Default: `doc`.
   */
  latest?: () => Project;
}

/** A reading synthesized and written into the project, not yet in the document. */
interface Recorded {
  text: string;
  voice: Voice;
  /** Relative to the project folder. */
  path: string;
  sha256: string;
  samples: number;
}

export interface SpokenReading extends Edited {
  lineId: string;
  /** The clip that plays the line, if one does. */
  clipId?: string;
  readingId: string;
  mediaId: string;
  /** The WAV, absolute. */
  file: string;
  samples: number;
}

/**
 * Speaks a line (again) with `voice` (over the voice of the reading it plays
 * now, over the character's voice), writes the WAV into the project, and
 * makes the commands that record it as a new reading of the line and play it
 * (the line's clip, if it has one, becomes as long as the reading).
 */
export async function speakLine(
  doc: Project,
  projectDir: string,
  lineId: string,
  voice: VoiceChange = {},
  opts: SpeakOptions = {},
): Promise<SpokenReading> {
  const recorded = await record(doc, projectDir, lineId, voice, opts);
  return readingCommands(opts.latest?.() ?? doc, projectDir, lineId, recorded, opts.now);
}

/** addLine, then speakLine on the new line: the commands of both (one gesture). */
export async function addSpokenLine(
  doc: Project,
  projectDir: string,
  line: NewLine,
  voice: VoiceChange = {},
  opts: SpeakOptions = {},
): Promise<SpokenReading> {
  const added = addLine(doc, line);
  const recorded = await record(added.doc, projectDir, added.lineId, voice, { ...opts, text: undefined });
  const current = opts.latest ? addLine(opts.latest(), line) : added;
  const spoken = readingCommands(current.doc, projectDir, current.lineId, recorded, opts.now);
  return { ...spoken, commands: [...current.commands, ...spoken.commands] };
}

async function record(doc: Project, projectDir: string, lineId: string, voice: VoiceChange, opts: SpeakOptions): Promise<Recorded> {
  const line = findLine(doc, lineId);
  if (!line) throw inputError('NOT_FOUND', `no line with id "${lineId}"`, { path: 'lineId' });
  const text = opts.text?.trim() || line.text;
  const character = doc.characters.find((c) => c.id === line.characterId);
  const previous = line.readings.find((r) => r.id === line.selectedReadingId)?.voice;
  const merged: Record<string, unknown> = { ...(character?.voice ?? {}), ...(previous ?? {}), ...stripUndefined(voice) };
  if (merged.pitchHz === null) delete merged.pitchHz;
  const v = VoiceSchema.parse(merged);
  const engine = opts.engine ?? getSpeechEngine(v.engine);
  const spoken = await engine.synthesize(text, v, { signal: opts.signal });
  const wav = encodeWav(spoken.samples, 1);
  const hash = sha256Hex(wav);
  const path = join(LINES_FOLDER, `${hash.slice(0, 16)}.wav`);
  mkdirSync(join(projectDir, LINES_FOLDER), { recursive: true });
  writeFileSync(join(projectDir, path), wav);
  return { text, voice: v, path, sha256: hash, samples: spoken.samples.length };
}

/** The commands that add a recorded reading to a line (its media, then the reading, played). */
function readingCommands(doc: Project, projectDir: string, lineId: string, r: Recorded, now?: () => Date): SpokenReading {
  const line = findLine(doc, lineId);
  if (!line)
    throw inputError('NOT_FOUND', `no line with id "${lineId}"`, {
      path: 'lineId',
      hint: 'The line was removed while it was being spoken.',
    });
  const mediaId = newId(doc, 'media');
  const used = new Set(line.readings.map((x) => x.id));
  let n = line.readings.length + 1;
  while (used.has(`${lineId}-r${n}`)) n++;
  const readingId = `${lineId}-r${n}`;
  const edited = applyAll(doc, [
    { type: 'media.add', media: { id: mediaId, path: r.path, kind: 'audio', durationSamples: r.samples, sha256: r.sha256 } },
    {
      type: 'line.reading.add',
      lineId,
      reading: { id: readingId, mediaId, voice: r.voice, text: r.text, createdAt: (now?.() ?? new Date()).toISOString() },
    },
  ]);
  return {
    ...edited,
    lineId,
    clipId: clipOfLine(edited.doc, lineId)?.clip.id,
    readingId,
    mediaId,
    file: join(projectDir, r.path),
    samples: r.samples,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
