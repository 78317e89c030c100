/**
 * A clip's title in words, for the audio editor: its own name, else the line
 * it speaks ("Leo: “Every single day.”"), else its shot and take ("Shot 1/2 ·
 * Close-up of Leo · take 1"), else the imported file's name. Never an id.
 */
import type { ClipSource } from '../../../engine/model/schema.js';

export interface ClipTitleLookups {
  /** "Shot 1/2 · Close-up of Leo" by shot id (store/shot-titles.ts). */
  shotTitle(shotId: string): string | undefined;
  take(takeId: string): { shotId: string; number: number } | undefined;
  /** The take a shot shows now. */
  currentTake(shotId: string): { number: number } | undefined;
  line(lineId: string): { text: string; speaker?: string } | undefined;
  mediaPath(mediaId: string): string | undefined;
  trackName(trackId: string): string | undefined;
}

export function clipTitle(clip: { name?: string; source: ClipSource; lineId?: string; trackId: string }, look: ClipTitleLookups): string {
  if (clip.name?.trim()) return clip.name.trim();
  const line = clip.lineId ? look.line(clip.lineId) : undefined;
  if (line) {
    const text = line.text.length > 48 ? `${line.text.slice(0, 47)}…` : line.text;
    return line.speaker ? `${line.speaker}: “${text}”` : `“${text}”`;
  }
  const src = clip.source;
  if (src.type === 'shot') {
    const t = look.currentTake(src.shotId);
    const title = look.shotTitle(src.shotId);
    if (title) return `${title}${t ? ` · take ${t.number}` : ''}`;
  }
  if (src.type === 'take') {
    const t = look.take(src.takeId);
    const title = t ? look.shotTitle(t.shotId) : undefined;
    if (t && title) return `${title} · take ${t.number}`;
  }
  if (src.type === 'media') {
    const path = look.mediaPath(src.mediaId);
    if (path) return path.split(/[\\/]/).pop() || path;
  }
  return `A clip on ${look.trackName(clip.trackId) || 'the timeline'}`;
}
