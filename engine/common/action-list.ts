/**
 * Every studio action as data: name, label, shortcut, menu. Pure (no DOM, no
 * React): the renderer binds `perform` to each (registry.ts) for shortcuts and
 * the command palette, and Electron's main process builds its native menus
 * from this same list.
 */
export type MenuId = 'file' | 'edit' | 'view' | 'playback' | 'generate';

export interface ActionSpec {
  name: string;
  label: string;
  /** "Mod" is Ctrl (Cmd on macOS); several shortcuts separated by " or ". */
  shortcut?: string;
  menu: MenuId;
  /** Only when a project is open. */
  needsProject?: boolean;
  /** Acts on what that screen shows (the timeline, the playhead): elsewhere its keys keep their usual meaning. */
  screen?: 'edit';
  /** More words the command palette finds it by. */
  keywords?: string[];
}

export const MENUS: Array<{ id: MenuId; label: string }> = [
  { id: 'file', label: 'File' },
  { id: 'edit', label: 'Edit' },
  { id: 'view', label: 'View' },
  { id: 'playback', label: 'Playback' },
  { id: 'generate', label: 'Generate' },
];

export const ACTIONS: readonly ActionSpec[] = [
  { name: 'project.home', label: 'Home (projects)', menu: 'file' },
  { name: 'project.save', label: 'Save', shortcut: 'Mod+S', menu: 'file', needsProject: true },
  { name: 'export.open', label: 'Export…', shortcut: 'Mod+E', menu: 'file', needsProject: true },
  { name: 'settings.open', label: 'Settings…', shortcut: 'Mod+,', menu: 'file' },
  { name: 'edit.undo', label: 'Undo', shortcut: 'Mod+Z', menu: 'edit', needsProject: true },
  { name: 'edit.redo', label: 'Redo', shortcut: 'Mod+Shift+Z or Mod+Y', menu: 'edit', needsProject: true },
  { name: 'clip.split', label: 'Split clip at playhead', shortcut: 'S', menu: 'edit', needsProject: true, screen: 'edit' },
  { name: 'clip.delete', label: 'Delete clip', shortcut: 'Delete', menu: 'edit', needsProject: true, screen: 'edit' },
  {
    name: 'clip.dissolve',
    label: 'Dissolve into the next clip (again: remove it)',
    shortcut: 'T',
    menu: 'edit',
    needsProject: true,
    screen: 'edit',
    keywords: ['transition', 'cross dissolve', 'fade'],
  },
  {
    name: 'marker.add',
    label: 'Add marker at playhead',
    shortcut: 'M',
    menu: 'edit',
    needsProject: true,
    screen: 'edit',
    keywords: ['marker', 'note', 'chapter'],
  },
  {
    name: 'clip.rippleDelete',
    label: 'Ripple delete clip',
    shortcut: 'Shift+Delete or Backspace',
    menu: 'edit',
    needsProject: true,
    screen: 'edit',
  },
  { name: 'shot.add', label: 'Add shot', shortcut: 'Alt+N', menu: 'edit', needsProject: true },
  { name: 'shot.duplicate', label: 'Duplicate shot', shortcut: 'Mod+D', menu: 'edit', needsProject: true },
  { name: 'palette.open', label: 'Command palette…', shortcut: 'Mod+K', menu: 'view' },
  { name: 'help.shortcuts', label: 'Keyboard shortcuts', shortcut: 'F1 or ?', menu: 'view', keywords: ['help', 'keys', 'hotkeys'] },
  { name: 'view.storyboard', label: 'Storyboard', shortcut: 'Alt+1', menu: 'view', needsProject: true },
  { name: 'view.blocking', label: 'Scene blocking', shortcut: 'Alt+2', menu: 'view', needsProject: true },
  { name: 'view.edit', label: 'Edit (timeline)', shortcut: 'Alt+3', menu: 'view', needsProject: true },
  { name: 'view.cameos', label: 'Cameos (likeness and consent)', shortcut: 'Alt+4', menu: 'view', needsProject: true },
  { name: 'view.queue', label: 'Show/hide generation queue', shortcut: 'Alt+Q', menu: 'view', needsProject: true },
  {
    name: 'safety.log',
    label: 'Safety log…',
    menu: 'view',
    needsProject: true,
    keywords: ['moderation', 'decisions', 'policy', 'blocked', 'opt-out'],
  },
  { name: 'timeline.zoomIn', label: 'Zoom in', shortcut: '=', menu: 'view', needsProject: true, screen: 'edit' },
  { name: 'timeline.zoomOut', label: 'Zoom out', shortcut: '-', menu: 'view', needsProject: true, screen: 'edit' },
  { name: 'play.toggle', label: 'Play/pause', shortcut: 'Space', menu: 'playback', needsProject: true, screen: 'edit' },
  { name: 'play.reverse', label: 'Shuttle reverse', shortcut: 'J', menu: 'playback', needsProject: true, screen: 'edit' },
  { name: 'play.stop', label: 'Stop', shortcut: 'K', menu: 'playback', needsProject: true, screen: 'edit' },
  { name: 'play.forward', label: 'Shuttle forward', shortcut: 'L', menu: 'playback', needsProject: true, screen: 'edit' },
  { name: 'play.prevFrame', label: 'Previous frame', shortcut: 'ArrowLeft', menu: 'playback', needsProject: true, screen: 'edit' },
  { name: 'play.nextFrame', label: 'Next frame', shortcut: 'ArrowRight', menu: 'playback', needsProject: true, screen: 'edit' },
  { name: 'play.start', label: 'Go to start', shortcut: 'Home', menu: 'playback', needsProject: true, screen: 'edit' },
  { name: 'play.markIn', label: 'Mark in', shortcut: 'I', menu: 'playback', needsProject: true, screen: 'edit' },
  { name: 'play.markOut', label: 'Mark out', shortcut: 'O', menu: 'playback', needsProject: true, screen: 'edit' },
  {
    name: 'play.markClip',
    label: 'Mark clip (in and out around the selected clip, else the clip at the playhead)',
    shortcut: 'X',
    menu: 'playback',
    needsProject: true,
    screen: 'edit',
    keywords: ['range', 'in', 'out', 'export', 'selection'],
  },
  {
    name: 'play.clearMarks',
    label: 'Clear in and out',
    shortcut: 'Alt+X',
    menu: 'playback',
    needsProject: true,
    screen: 'edit',
    keywords: ['range', 'in', 'out', 'export', 'remove marks'],
  },
  { name: 'generate.all', label: 'Generate all shots', shortcut: 'Mod+G', menu: 'generate', needsProject: true },
  { name: 'generate.selected', label: 'Generate selected shot', shortcut: 'Mod+Shift+G', menu: 'generate', needsProject: true },
];

/** "Mod+Shift+Z" → Electron accelerator "CmdOrCtrl+Shift+Z" (first alternative only). */
export function toAccelerator(shortcut: string | undefined): string | undefined {
  if (!shortcut) return undefined;
  const first = shortcut.split(' or ')[0]!;
  return first.replace('Mod', 'CmdOrCtrl').replace('ArrowLeft', 'Left').replace('ArrowRight', 'Right').replace('=', 'Plus');
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  code?: string;
}

/** Whether a key event matches a shortcut string. */
export function matchesShortcut(shortcut: string, e: KeyLike): boolean {
  return shortcut.split(' or ').some((alt) => {
    const parts = alt.split('+');
    const key = parts.pop()!;
    const mod = parts.includes('Mod');
    const wantShift = parts.includes('Shift');
    const wantAlt = parts.includes('Alt');
    if (mod !== (e.ctrlKey || e.metaKey) || wantAlt !== e.altKey) return false;
    if (wantShift !== e.shiftKey && key.length !== 1) return false;
    if (wantShift && !e.shiftKey) return false;
    if (!wantShift && e.shiftKey && /^[A-Za-z]$/.test(key)) return false;
    const k = key === 'Space' ? ' ' : key;
    if (wantAlt && /^\d$/.test(k)) return e.code === `Digit${k}` || e.key === k;
    // Alt+letter types another character on macOS: match the physical key
    if (wantAlt && /^[A-Za-z]$/.test(k)) return e.code === `Key${k.toUpperCase()}` || e.key.toLowerCase() === k.toLowerCase();
    return e.key.toLowerCase() === k.toLowerCase() || (k === ',' && e.code === 'Comma');
  });
}
