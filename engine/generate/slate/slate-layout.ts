/** What a slate card shows: pure layout, no ffmpeg (when its lines fall: render/dialogue-cues.ts). */
import type { Rate } from '../../common/time.js';
import type { ShotRequest } from '../backend.js';

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
