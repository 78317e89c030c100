/**
 * The action registry (Excalidraw style): each action of action-list.ts with
 * its perform. Shortcuts, the command palette and Electron's menus all run
 * actions through here.
 */
import type { Editor } from '../editor/editor.js';
import { clipsSel, markersOf, shotsSel, tracksSel } from '../store/selectors.js';
import { openDialog, selectClip, showScreen, toggleQueue } from '../store/ui-slice.js';
import { ACTIONS, matchesShortcut, type ActionSpec, type KeyLike } from '../../../engine/common/action-list.js';

export interface Action extends ActionSpec {
  perform(editor: Editor): unknown;
}

function selectedClip(e: Editor) {
  const s = e.store.getState();
  const id = s.ui.selectedClipId;
  return id ? clipsSel.selectById(s, id) : undefined;
}

const PERFORM: Record<string, (e: Editor) => unknown> = {
  'project.home': (e) => e.closeProject(),
  'project.save': (e) => e.save(),
  'export.open': (e) => e.store.dispatch(openDialog('export')),
  'settings.open': (e) => e.store.dispatch(openDialog('settings')),
  'palette.open': (e) => e.store.dispatch(openDialog('palette')),
  'help.shortcuts': (e) => e.store.dispatch(openDialog('shortcuts')),
  'edit.undo': (e) => e.undo(),
  'edit.redo': (e) => e.redo(),
  'clip.split': (e) => {
    const c = selectedClip(e);
    const f = e.playback.get().frame;
    if (c && f > c.recordStart && f < c.recordStart + c.duration) return e.apply({ type: 'clip.split', clipId: c.id, at: f });
    e.toast('info', 'Select a clip under the playhead to split it.');
  },
  'clip.delete': (e) => {
    const c = selectedClip(e);
    if (c) {
      e.store.dispatch(selectClip(null));
      return e.apply({ type: 'clip.remove', clipId: c.id });
    }
  },
  'clip.rippleDelete': (e) => {
    const c = selectedClip(e);
    if (c) {
      e.store.dispatch(selectClip(null));
      return e.apply({ type: 'clip.remove', clipId: c.id, ripple: true }, 'Ripple delete');
    }
  },
  'clip.dissolve': (e) => {
    const c = selectedClip(e);
    if (!c) return e.toast('info', 'Select a clip to dissolve from it into the next one.');
    if (c.transitionOut) return e.apply({ type: 'clip.update', clipId: c.id, patch: { transitionOut: null } }, 'Remove transition');
    const s = e.store.getState();
    const next = clipsSel.selectAll(s).find((x) => x.trackId === c.trackId && x.recordStart === c.recordStart + c.duration);
    if (!next) return e.toast('info', 'No clip starts where this one ends: a dissolve joins two clips that touch.');
    const rate = s.doc.meta?.rate ?? { num: 24, den: 1 };
    const half = Math.max(1, Math.round(rate.num / rate.den / 2));
    const patch = {
      transitionOut: { kind: 'dissolve' as const, before: Math.min(half, c.duration), after: Math.min(half, next.duration) },
    };
    return e.apply({ type: 'clip.update', clipId: c.id, patch }, 'Add dissolve');
  },
  'marker.add': (e) => {
    const frame = e.playback.get().frame;
    const n = markersOf(e.store.getState()).length + 1;
    return e.apply({ type: 'marker.add', marker: { frame, name: `Marker ${n}` } });
  },
  'shot.add': (e) => {
    const s = e.store.getState();
    const sceneId =
      s.ui.selectedSceneId ??
      (s.ui.selectedShotId ? shotsSel.selectById(s, s.ui.selectedShotId)?.sceneId : undefined) ??
      s.doc.scenes.ids[0];
    if (sceneId) return e.addShot(sceneId);
  },
  'shot.duplicate': (e) => {
    const id = e.store.getState().ui.selectedShotId;
    if (id) return e.apply({ type: 'shot.duplicate', shotId: id });
  },
  'view.storyboard': (e) => e.store.dispatch(showScreen('storyboard')),
  'view.blocking': (e) => e.store.dispatch(showScreen('blocking')),
  'view.edit': (e) => e.store.dispatch(showScreen('edit')),
  'view.cameos': (e) => e.store.dispatch(showScreen('cameos')),
  'view.queue': (e) => e.store.dispatch(toggleQueue()),
  'safety.log': (e) => e.store.dispatch(openDialog('safety')),
  'timeline.zoomIn': (e) => e.timelineView.zoom(1.5),
  'timeline.zoomOut': (e) => e.timelineView.zoom(1 / 1.5),
  'play.toggle': (e) => e.playback.togglePlay(),
  'play.reverse': (e) => e.playback.shuttle(-1),
  'play.stop': (e) => e.playback.pause(),
  'play.forward': (e) => e.playback.shuttle(1),
  'play.prevFrame': (e) => e.playback.step(-1),
  'play.nextFrame': (e) => e.playback.step(1),
  'play.start': (e) => {
    e.playback.pause();
    e.playback.seek(0);
  },
  'play.markIn': (e) => e.playback.markIn(),
  'play.markOut': (e) => e.playback.markOut(),
  'play.markClip': (e) => {
    const s = e.store.getState();
    const f = e.playback.get().frame;
    // the selected clip, else the topmost video clip at the playhead
    const video = new Set(
      tracksSel
        .selectAll(s)
        .filter((t) => t.kind === 'video')
        .map((t) => t.id),
    );
    const order = tracksSel.selectIds(s);
    const under = clipsSel
      .selectAll(s)
      .filter((c) => video.has(c.trackId) && c.recordStart <= f && f < c.recordStart + c.duration)
      .sort((a, b) => order.indexOf(b.trackId) - order.indexOf(a.trackId))[0];
    const c = selectedClip(e) ?? under;
    if (!c) return e.toast('info', 'Select a clip, or put the playhead on one, to mark it.');
    e.playback.setMarks(c.recordStart, c.recordStart + c.duration);
  },
  'play.clearMarks': (e) => e.playback.setMarks(null, null),
  'generate.all': (e) => e.generate(),
  'generate.selected': (e) => {
    const id = e.store.getState().ui.selectedShotId;
    if (id) return e.generate([id]);
    e.toast('info', 'Select a shot to generate it.');
  },
};

export const REGISTRY: Action[] = ACTIONS.map((spec) => ({ ...spec, perform: PERFORM[spec.name] ?? (() => {}) }));

/** Whether the action can run now: a project for those that need one, the Edit screen for the timeline's. */
export function available(editor: Editor, a: ActionSpec): boolean {
  const s = editor.store.getState();
  if (a.needsProject && !s.doc.loaded) return false;
  return !a.screen || (s.ui.screen === a.screen && s.doc.loaded);
}

const SCREEN_NAMES: Record<NonNullable<ActionSpec['screen']>, string> = { edit: 'Edit (Alt+3)' };

/** Runs an action by name: the command palette, the toolbar buttons and Electron's menus come here. */
export function runAction(editor: Editor, name: string): void {
  const a = REGISTRY.find((x) => x.name === name);
  if (!a) return;
  if (a.needsProject && !editor.store.getState().doc.loaded) return;
  if (!available(editor, a)) {
    editor.toast('info', `${a.label}: open the ${SCREEN_NAMES[a.screen!]} screen first.`);
    return;
  }
  // A menu's Undo/Redo while typing in a field acts on the field's text (Electron's menu takes Mod+Z before the page sees it).
  if ((name === 'edit.undo' || name === 'edit.redo') && textEntry(document.activeElement)) {
    document.execCommand(name === 'edit.undo' ? 'undo' : 'redo');
    return;
  }
  void a.perform(editor);
}

const TEXT_INPUTS = new Set([
  'text',
  'search',
  'url',
  'tel',
  'email',
  'password',
  'number',
  'date',
  'time',
  'datetime-local',
  'month',
  'week',
]);

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
export function handleKeyDown(editor: Editor, e: KeyboardEvent & KeyLike): void {
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
    if (
      (a.name === 'play.toggle' || (a.name.startsWith('play.') && e.key.startsWith('Arrow'))) &&
      (e.target as HTMLElement)?.closest?.('button, [role="listbox"], [role="slider"], [role="tablist"], a')
    )
      continue;
    if (!available(editor, a)) continue;
    e.preventDefault();
    void a.perform(editor);
    return;
  }
}
