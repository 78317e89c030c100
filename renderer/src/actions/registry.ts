/**
 * The action registry (Excalidraw style): each action of action-list.ts with
 * its perform. Shortcuts, the command palette and Electron's menus all run
 * actions through here.
 */
import { playback } from '../playback.js';
import { clipsSel, shotsSel } from '../store/selectors.js';
import { openDialog, selectClip, showScreen, toggleQueue } from '../store/ui-slice.js';
import { studio } from '../studio.js';
import { timelineView } from '../timeline/timeline-view.js';
import { ACTIONS, matchesShortcut, type ActionSpec, type KeyLike } from '../../../engine/common/action-list.js';

export interface Action extends ActionSpec {
  perform(): void | Promise<unknown>;
}

function state() { return studio().store.getState(); }
function dispatch(a: Parameters<ReturnType<typeof studio>['store']['dispatch']>[0]) { studio().store.dispatch(a); }

function selectedClip() {
  const id = state().ui.selectedClipId;
  return id ? clipsSel.selectById(state(), id) : undefined;
}

const PERFORM: Record<string, () => void | Promise<unknown>> = {
  'project.home': () => studio().closeProject(),
  'project.save': () => studio().save(),
  'export.open': () => dispatch(openDialog('export')),
  'settings.open': () => dispatch(openDialog('settings')),
  'palette.open': () => dispatch(openDialog('palette')),
  'edit.undo': () => studio().undo(),
  'edit.redo': () => studio().redo(),
  'clip.split': () => {
    const c = selectedClip();
    const f = playback.get().frame;
    if (c && f > c.recordStart && f < c.recordStart + c.duration) return studio().apply({ type: 'clip.split', clipId: c.id, at: f });
    studio().toast('info', 'Select a clip under the playhead to split it.');
  },
  'clip.delete': () => {
    const c = selectedClip();
    if (c) { dispatch(selectClip(null)); return studio().apply({ type: 'clip.remove', clipId: c.id }); }
  },
  'clip.rippleDelete': () => {
    const c = selectedClip();
    if (c) { dispatch(selectClip(null)); return studio().apply({ type: 'clip.remove', clipId: c.id, ripple: true }, 'Ripple delete'); }
  },
  'shot.add': () => {
    const s = state();
    const sceneId = s.ui.selectedSceneId ?? (s.ui.selectedShotId ? shotsSel.selectById(s, s.ui.selectedShotId)?.sceneId : undefined) ?? s.doc.scenes.ids[0];
    if (sceneId) return studio().addShot(sceneId);
  },
  'shot.duplicate': () => {
    const id = state().ui.selectedShotId;
    if (id) return studio().apply({ type: 'shot.duplicate', shotId: id });
  },
  'view.storyboard': () => dispatch(showScreen('storyboard')),
  'view.blocking': () => dispatch(showScreen('blocking')),
  'view.edit': () => dispatch(showScreen('edit')),
  'view.queue': () => dispatch(toggleQueue()),
  'timeline.zoomIn': () => timelineView.zoom(1.5),
  'timeline.zoomOut': () => timelineView.zoom(1 / 1.5),
  'play.toggle': () => playback.togglePlay(),
  'play.reverse': () => playback.shuttle(-1),
  'play.stop': () => playback.pause(),
  'play.forward': () => playback.shuttle(1),
  'play.prevFrame': () => playback.step(-1),
  'play.nextFrame': () => playback.step(1),
  'play.start': () => { playback.pause(); playback.seek(0); },
  'play.markIn': () => playback.markIn(),
  'play.markOut': () => playback.markOut(),
  'generate.all': () => studio().generate(),
  'generate.selected': () => {
    const id = state().ui.selectedShotId;
    if (id) return studio().generate([id]);
    studio().toast('info', 'Select a shot to generate it.');
  },
};

export const REGISTRY: Action[] = ACTIONS.map((spec) => ({ ...spec, perform: PERFORM[spec.name] ?? (() => {}) }));

/** Whether the action can run now: a project for those that need one, the Edit screen for the timeline's. */
export function available(a: ActionSpec): boolean {
  const s = state();
  if (a.needsProject && !s.doc.loaded) return false;
  return !a.screen || (s.ui.screen === a.screen && s.doc.loaded);
}

const SCREEN_NAMES: Record<NonNullable<ActionSpec['screen']>, string> = { edit: 'Edit (Alt+3)' };

/** Runs an action by name: the command palette, the toolbar buttons and Electron's menus come here. */
export function runAction(name: string): void {
  const a = REGISTRY.find((x) => x.name === name);
  if (!a) return;
  if (a.needsProject && !state().doc.loaded) return;
  if (!available(a)) {
    studio().toast('info', `${a.label}: open the ${SCREEN_NAMES[a.screen!]} screen first.`);
    return;
  }
  // A menu's Undo/Redo while typing in a field acts on the field's text (Electron's menu takes Mod+Z before the page sees it).
  if ((name === 'edit.undo' || name === 'edit.redo') && textEntry(document.activeElement)) {
    document.execCommand(name === 'edit.undo' ? 'undo' : 'redo');
    return;
  }
  void a.perform();
}

const TEXT_INPUTS = new Set(['text', 'search', 'url', 'tel', 'email', 'password', 'number', 'date', 'time', 'datetime-local', 'month', 'week']);

/** A field that takes typed text (and has its own undo). */
function textEntry(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA') return true;
  return el.tagName === 'INPUT' && TEXT_INPUTS.has((el as HTMLInputElement).type);
}

/** Keeps single-key shortcuts out of form controls (text, selects, checkboxes, radios, sliders: they use those keys). */
function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/**
 * The studio's shortcuts. A key a focused control handled itself
 * (defaultPrevented) is left alone; so are single keys in form controls,
 * Space and arrows on buttons and lists, Mod+Z/Mod+Y in text fields (the
 * field's own undo), every key while a modal dialog is open (the dialog owns
 * the keyboard), and the timeline's keys outside the Edit screen.
 */
export function handleKeyDown(e: KeyboardEvent & KeyLike): void {
  if (e.defaultPrevented || e.isComposing) return;
  const typing = typingIn(e.target);
  const modal = !!document.querySelector('dialog[open]');
  for (const a of REGISTRY) {
    if (!a.shortcut || !matchesShortcut(a.shortcut, e)) continue;
    const hasMod = a.shortcut.includes('Mod') || a.shortcut.includes('Alt');
    if ((a.name === 'edit.undo' || a.name === 'edit.redo') && textEntry(e.target)) return;
    if (modal) {
      // Keep the browser's own Mod+ keys (save page, bookmark…) from acting while a dialog is up.
      if (a.shortcut.includes('Mod')) e.preventDefault();
      return;
    }
    if (typing && !hasMod) continue;
    // Space and arrows keep their usual meaning on buttons and lists.
    if ((a.name === 'play.toggle' || a.name.startsWith('play.') && e.key.startsWith('Arrow')) && (e.target as HTMLElement)?.closest?.('button, [role="listbox"], [role="slider"], [role="tablist"], a')) continue;
    if (!available(a)) continue;
    e.preventDefault();
    void a.perform();
    return;
  }
}
