/** What a slate card shows and when: pure layout, no ffmpeg. */
import { secondsToFramesRound, type Rate } from '../../common/time.js';
import type { ShotRequest } from '../backend.js';

export interface SubtitleCue {
  text: string;
  /** Frames within the shot, [start, end). */
  start: number;
  end: number;
}

/** Head tone length: one second, or the whole shot when shorter. */
export function toneFrames(request: ShotRequest): number {
  return Math.min(request.shot.duration, secondsToFramesRound(1, request.rate));
}

/**
 * Places dialogue lines in the shot: a line with a `start` keeps it, the others
 * follow the previous line after a short pause; each lasts about 0.35 s a word
 * (at least 1 s). Lines are cut at the shot's end.
 */
export function dialogueCues(request: ShotRequest): SubtitleCue[] {
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
    if (start < shot.duration) cues.push({ text: `${(names.get(line.characterId) ?? line.characterId).toUpperCase()}: ${line.text}`, start, end });
    cursor = end + pause;
  }
  return cues;
}

/** Greedy word wrap to at most `maxChars` a line and `maxLines` lines (… when cut). */
export function wrapText(text: string, maxChars: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if (!word) continue;
    if (!current) current = word;
    else if (current.length + 1 + word.length <= maxChars) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, Math.max(0, maxChars - 1))}…`;
    return kept;
  }
  return lines;
}

export function slateTitle(request: ShotRequest): string {
  return `SCENE ${request.scene.number}   SHOT ${request.shot.number}   TAKE ${request.takeNumber}`;
}

export function startTimecodeFor(rate: Rate): string {
  return rate.den === 1001 && (rate.num === 30000 || rate.num === 60000) ? '00:00:00;00' : '00:00:00:00';
}
