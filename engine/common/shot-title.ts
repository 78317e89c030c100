/**
 * How a shot is named to a person in lists (the queue, the audio editor):
 * "Shot 2/3 · Close-up of Leo": its scene and number, then its name, or what
 * its framing says when it has no name. Never an internal id. Browser-safe.
 */
export interface TitledShot {
  number: string;
  name: string;
  framing?: { size: string; subjectId: string; overId?: string };
  action?: string;
}

const SIZE_WORDS: Record<string, string> = {
  wide: 'Wide shot',
  medium: 'Medium shot',
  'close-up': 'Close-up',
  'over-the-shoulder': 'Over-the-shoulder',
  insert: 'Insert',
};

/** What a shot shows in a few words: its name, else its framing ("Close-up of Leo"), else the start of its action. */
export function shotWords(shot: TitledShot, nameOf: (id: string) => string | undefined): string {
  if (shot.name.trim()) return shot.name.trim();
  if (shot.framing) {
    const f = shot.framing;
    const who = nameOf(f.subjectId) ?? f.subjectId;
    const size = SIZE_WORDS[f.size] ?? f.size;
    if (f.size === 'over-the-shoulder') return `${size} on ${who}${f.overId ? `, over ${nameOf(f.overId) ?? f.overId}` : ''}`;
    return `${size} of ${who}`;
  }
  const action = shot.action?.trim() ?? '';
  return action.length > 40 ? `${action.slice(0, 39)}…` : action;
}

/** "Shot 2/3 · Close-up of Leo" (or "Shot 2/3" when there is nothing more to say). */
export function shotTitle(sceneNumber: string, shot: TitledShot, nameOf: (id: string) => string | undefined): string {
  const words = shotWords(shot, nameOf);
  return `Shot ${sceneNumber}/${shot.number}${words ? ` · ${words}` : ''}`;
}
