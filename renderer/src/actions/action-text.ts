/** Actions in words: how the palette finds one, how the shortcut sheet writes its keys. */
import type { ActionSpec } from '../../../engine/common/action-list.js';

/** An action the search `q` finds: every word of the search in its label or its keywords. */
export function paletteMatch(a: ActionSpec, q: string): boolean {
  const hay = [a.label, ...(a.keywords ?? [])].join(' ').toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

/** "Mod+Shift+Z or Mod+Y" as the keys a user presses on this machine. */
export function keysOf(shortcut: string, mac: boolean): string[] {
  return shortcut.split(' or ').map((alt) =>
    alt
      .replace(/Mod/g, mac ? '⌘' : 'Ctrl')
      .replace('ArrowLeft', '←')
      .replace('ArrowRight', '→'),
  );
}
