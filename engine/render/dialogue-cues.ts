/**
 * Where a shot's dialogue lines fall in time when nothing was spoken yet: the
 * slate prints them there and captions use them for shots without a take.
 * Pure; frames within the shot.
 */
import { secondsToFramesRound, type Rate } from '../common/time.js';
import type { ShotWithLines } from '../model/lines.js';
import type { Character } from '../model/schema.js';

export interface SubtitleCue {
  text: string;
  /** Frames within the shot, [start, end). */
  start: number;
  end: number;
}

/** What the placement reads (a ShotRequest has it). */
export interface CueInput {
  shot: Pick<ShotWithLines, 'duration' | 'dialogue'>;
  rate: Rate;
  characters: ReadonlyArray<Pick<Character, 'id' | 'name'>>;
}

/** Head tone length: one second, or the whole shot when shorter. */
export function toneFrames(request: Pick<CueInput, 'shot' | 'rate'>): number {
  return Math.min(request.shot.duration, secondsToFramesRound(1, request.rate));
}

/**
 * Places dialogue lines in the shot: a line with a `start` keeps it, the others
 * follow the previous line after a short pause; each lasts about 0.35 s a word
 * (at least 1 s). Lines are cut at the shot's end.
 */
export function dialogueCues(request: CueInput): SubtitleCue[] {
  const { shot, rate, characters } = request;
  const names = new Map(characters.map((c) => [c.id, c.name]));
  const pause = secondsToFramesRound(0.3, rate);
  let cursor = toneFrames(request);
  const cues: SubtitleCue[] = [];
  for (const line of shot.dialogue) {
    const words = line.text.trim().split(/\s+/).length;
    const length = Math.max(secondsToFramesRound(1, rate), secondsToFramesRound(words * 0.35, rate));
    const start = line.start ?? cursor;
    const end = Math.min(shot.duration, start + length);
    if (start < shot.duration)
      cues.push({ text: `${(names.get(line.characterId) ?? line.characterId).toUpperCase()}: ${line.text}`, start, end });
    cursor = end + pause;
  }
  return cues;
}
