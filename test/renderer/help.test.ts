/** Help: "?" and F1 open the shortcut sheet; the palette finds help topics by their words. */
import { describe, expect, it } from 'vitest';
import { ACTIONS, matchesShortcut, toAccelerator } from '../../engine/common/action-list.js';
import { keysOf, paletteMatch } from '../../renderer/src/actions/action-text.js';

const key = (k: string, shift = false) => ({ key: k, shiftKey: shift, ctrlKey: false, metaKey: false, altKey: false });
const help = ACTIONS.find((a) => a.name === 'help.shortcuts')!;

describe('help', () => {
  it('"?" (typed with Shift) and F1 open the shortcut sheet; the menu shows F1', () => {
    expect(matchesShortcut(help.shortcut!, key('?', true))).toBe(true);
    expect(matchesShortcut(help.shortcut!, key('F1'))).toBe(true);
    expect(matchesShortcut(help.shortcut!, key('/'))).toBe(false);
    expect(toAccelerator(help.shortcut)).toBe('F1');
    // no other action takes these keys
    expect(
      ACTIONS.filter((a) => a.shortcut && (matchesShortcut(a.shortcut, key('?', true)) || matchesShortcut(a.shortcut, key('F1')))).map(
        (a) => a.name,
      ),
    ).toEqual(['help.shortcuts']);
  });

  it('the palette finds it by "help", "shortcuts" and "keyboard", and finds nothing for nonsense', () => {
    for (const q of ['help', 'shortcuts', 'Keyboard', 'keyboard help'])
      expect(
        ACTIONS.filter((a) => paletteMatch(a, q)).map((a) => a.name),
        q,
      ).toContain('help.shortcuts');
    expect(ACTIONS.filter((a) => paletteMatch(a, 'xyzzy'))).toEqual([]);
    expect(ACTIONS.filter((a) => paletteMatch(a, '')).length).toBe(ACTIONS.length);
  });

  it('the sheet writes keys the way this machine has them', () => {
    expect(keysOf('Mod+Shift+Z or Mod+Y', false)).toEqual(['Ctrl+Shift+Z', 'Ctrl+Y']);
    expect(keysOf('Mod+K', true)).toEqual(['⌘+K']);
    expect(keysOf('ArrowLeft', false)).toEqual(['←']);
  });
});
