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
import { ACTIONS, matchesShortcut, type ActionSpec, type KeyLike } from './action-list.js';

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

export function runAction(name: string): void {
  const a = REGISTRY.find((x) => x.name === name);
  if (!a) return;
  if (a.needsProject && !state().doc.loaded) return;
  void a.perform();
}

/** Keeps shortcuts out of text fields, except the Mod+ ones. */
function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export function handleKeyDown(e: KeyboardEvent & KeyLike): void {
  const typing = typingIn(e.target);
  for (const a of REGISTRY) {
    if (!a.shortcut || !matchesShortcut(a.shortcut, e)) continue;
    const hasMod = a.shortcut.includes('Mod') || a.shortcut.includes('Alt');
    if (typing && !hasMod) continue;
    // Space and arrows keep their usual meaning on buttons and lists.
    if ((a.name === 'play.toggle' || a.name.startsWith('play.') && e.key.startsWith('Arrow')) && (e.target as HTMLElement)?.closest?.('button, [role="listbox"], [role="slider"], a')) continue;
    if (a.needsProject && !state().doc.loaded) continue;
    e.preventDefault();
    void a.perform();
    return;
  }
}
