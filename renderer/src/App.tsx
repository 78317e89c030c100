/** The studio window: top bar, the current screen, inspector, queue, dialogs and messages. */
import { useEffect } from 'react';
import { handleKeyDown, runAction } from './actions/registry.js';
import { Dialog } from './components/Dialog.js';
import { EDIT_PANELS } from './panels.js';
import { Blocking } from './screens/Blocking.js';
import { CommandPalette } from './screens/CommandPalette.js';
import { ShortcutSheet } from './screens/ShortcutSheet.js';
import { HelpTopicDialog } from './screens/HelpTopicDialog.js';
import { FirstFilmBar } from './guide/FirstFilmGuide.js';
import { ExportDialog } from './screens/ExportDialog.js';
import { InterchangeDialog } from './interchange/InterchangeDialog.js';
import { Home } from './screens/Home.js';
import { Preview } from './screens/Preview.js';
import { QueuePanel } from './screens/QueuePanel.js';
import { SettingsDialog } from './screens/SettingsDialog.js';
import { ShotInspector } from './screens/ShotInspector.js';
import { SafetyLogDialog } from './safety/SafetyLogDialog.js';
import { Storyboard } from './screens/Storyboard.js';
import { useAppDispatch, useAppSelector } from './store/store.js';
import { dismissToast, openDialog, showEditPanel, showScreen, type Screen } from './store/ui-slice.js';
import { useEditor } from './editor/context.js';
import { BudgetPrompt } from './cost/BudgetPrompt.js';
import { DiskChangePrompt } from './editor/DiskChangePrompt.js';
import { RunCostBadge } from './cost/CostBadge.js';
import { CostButton } from './cost/CostPanel.js';
import { Marks, Timeline } from './timeline/Timeline.js';
import { CameosScreen } from './cameo/CameosScreen.js';

const TABS: Array<{ id: Screen; label: string; key: string }> = [
  { id: 'storyboard', label: 'Storyboard', key: 'Alt+1' },
  { id: 'blocking', label: 'Blocking', key: 'Alt+2' },
  { id: 'edit', label: 'Edit', key: 'Alt+3' },
  { id: 'cameos', label: 'Cameos', key: 'Alt+4' },
];

export function App() {
  const editor = useEditor();
  const screen = useAppSelector((s) => s.ui.screen);
  const loaded = useAppSelector((s) => s.doc.loaded);
  const dialog = useAppSelector((s) => s.ui.dialog);
  const queueOpen = useAppSelector((s) => s.ui.queueOpen);
  const guide = useAppSelector((s) => s.ui.guide);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => handleKeyDown(editor, e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className={`app screen-${screen}`}>
      {loaded && screen !== 'home' ? <TopBar /> : null}
      {loaded && screen !== 'home' && guide ? <FirstFilmBar /> : null}
      <div className="workspace">
        {!loaded || screen === 'home' ? (
          <Home />
        ) : (
          <>
            {screen === 'storyboard' ? (
              <>
                <Storyboard />
                <ShotInspector />
              </>
            ) : null}
            {screen === 'blocking' ? (
              <>
                <Blocking />
                <ShotInspector />
              </>
            ) : null}
            {screen === 'edit' ? <EditScreen /> : null}
            {screen === 'cameos' ? <CameosScreen /> : null}
            {queueOpen ? <QueuePanel /> : null}
          </>
        )}
      </div>
      {dialog === 'export' ? <ExportDialog /> : null}
      {dialog === 'settings' ? <SettingsDialog /> : null}
      {dialog === 'interchange' ? <InterchangeDialog /> : null}
      {dialog === 'palette' ? <CommandPalette /> : null}
      {dialog === 'shortcuts' ? <ShortcutSheet /> : null}
      {dialog === 'help' ? <HelpTopicDialog /> : null}
      {dialog === 'safety' ? <SafetyLogDialog /> : null}
      <BudgetPrompt />
      <DiskChangePrompt />
      <RecoveryPrompt />
      <Toasts />
      <Disconnected />
    </div>
  );
}

function TopBar() {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  const screen = useAppSelector((s) => s.ui.screen);
  const meta = useAppSelector((s) => s.doc.meta);
  const history = useAppSelector((s) => s.doc.history);
  const dirty = useAppSelector((s) => s.doc.dirty);
  return (
    <header className="topbar">
      <button type="button" className="brand" aria-label="Home: projects" onClick={() => runAction(editor, 'project.home')}>
        <span className="logo" aria-hidden>
          ▞
        </span>{' '}
        Klappe
      </button>
      <span className="project-name" title={meta?.dir}>
        {meta?.name}
        {dirty ? (
          <span className="dirty" aria-label="unsaved changes">
            {' '}
            ●
          </span>
        ) : null}
      </span>
      <nav
        className="tabs"
        role="tablist"
        aria-label="Screens"
        onKeyDown={(e) => {
          // The tabs pattern: ← → Home End move between the screens.
          const at = TABS.findIndex((t) => t.id === screen);
          const to =
            e.key === 'ArrowRight'
              ? (at + 1) % TABS.length
              : e.key === 'ArrowLeft'
                ? (at + TABS.length - 1) % TABS.length
                : e.key === 'Home'
                  ? 0
                  : e.key === 'End'
                    ? TABS.length - 1
                    : -1;
          if (to < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
          e.preventDefault();
          dispatch(showScreen(TABS[to]!.id));
          e.currentTarget.querySelectorAll<HTMLElement>('[role="tab"]')[to]?.focus();
        }}
      >
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={screen === t.id}
            tabIndex={screen === t.id ? 0 : -1}
            className={screen === t.id ? 'on' : ''}
            title={t.key}
            onClick={() => dispatch(showScreen(t.id))}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <div className="tools" role="toolbar" aria-label="Project">
        <button
          type="button"
          aria-label={history.undoLabel ? `Undo ${history.undoLabel}` : 'Undo'}
          title="Undo (Ctrl+Z)"
          disabled={!history.canUndo}
          onClick={() => runAction(editor, 'edit.undo')}
        >
          ↶
        </button>
        <button
          type="button"
          aria-label={history.redoLabel ? `Redo ${history.redoLabel}` : 'Redo'}
          title="Redo (Ctrl+Shift+Z)"
          disabled={!history.canRedo}
          onClick={() => runAction(editor, 'edit.redo')}
        >
          ↷
        </button>
        <button type="button" onClick={() => runAction(editor, 'generate.all')} title="Ctrl+G">
          ⚡ Generate all
        </button>
        <RunCostBadge />
        <button type="button" onClick={() => runAction(editor, 'project.save')} title="Ctrl+S">
          Save
        </button>
        <button type="button" onClick={() => dispatch(openDialog('interchange'))} title="Screenplay, OpenTimelineIO, EDL">
          Script &amp; interchange
        </button>
        <button type="button" className="primary" onClick={() => runAction(editor, 'export.open')} title="Ctrl+E">
          Export
        </button>
        <button
          type="button"
          aria-label="Queue"
          aria-pressed={useAppSelector((s) => s.ui.queueOpen)}
          onClick={() => runAction(editor, 'view.queue')}
          title="Alt+Q"
        >
          ☰ Queue
        </button>
        <CostButton />
        <button type="button" aria-label="Safety log" onClick={() => runAction(editor, 'safety.log')} title="Moderation decisions">
          Safety
        </button>
        <button type="button" aria-label="Settings" onClick={() => runAction(editor, 'settings.open')} title="Ctrl+,">
          ⚙
        </button>
        <button type="button" aria-label="Command palette" onClick={() => runAction(editor, 'palette.open')} title="Ctrl+K">
          ⌘K
        </button>
      </div>
    </header>
  );
}

function EditScreen() {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  const panel = useAppSelector((s) => s.ui.editPanel);
  const setPanel = (id: string | null) => dispatch(showEditPanel(id));
  const active = EDIT_PANELS.find((p) => p.id === panel);
  return (
    <main className="edit" aria-label="Edit">
      <div className="edit-top">
        <Preview />
        <ShotInspector />
      </div>
      <div className={active ? 'edit-timeline with-panel' : 'edit-timeline'}>
        <div className="timeline-bar" role="toolbar" aria-label="Timeline tools">
          <button type="button" onClick={() => runAction(editor, 'clip.split')} title="S">
            Split
          </button>
          <button type="button" onClick={() => runAction(editor, 'clip.rippleDelete')} title="Shift+Delete">
            Ripple delete
          </button>
          <button type="button" onClick={() => runAction(editor, 'play.markIn')} title="I">
            Mark in
          </button>
          <button type="button" onClick={() => runAction(editor, 'play.markOut')} title="O">
            Mark out
          </button>
          <Marks />
          <span className="spacer" />
          <button type="button" aria-label="Zoom out" onClick={() => runAction(editor, 'timeline.zoomOut')} title="-">
            −
          </button>
          <button type="button" aria-label="Zoom in" onClick={() => runAction(editor, 'timeline.zoomIn')} title="=">
            +
          </button>
          {EDIT_PANELS.map((p) => (
            <button key={p.id} type="button" aria-pressed={panel === p.id} onClick={() => setPanel(panel === p.id ? null : p.id)}>
              {p.label}
            </button>
          ))}
        </div>
        <Timeline />
        {active ? (
          <section className="edit-panel" aria-label={active.label}>
            <active.component />
          </section>
        ) : null}
      </div>
    </main>
  );
}

function RecoveryPrompt() {
  const editor = useEditor();
  const recovery = useAppSelector((s) => s.ui.recovery);
  if (!recovery) return null;
  return (
    <Dialog title="Recover unsaved edits?" onClose={() => void editor.recover(false)}>
      <p>
        Klappe found edits from {new Date(recovery.savedAt).toLocaleString()} that were not saved — the studio may have stopped
        unexpectedly.
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={() => void editor.recover(false)}>
          Discard them
        </button>
        <button type="button" className="primary" onClick={() => void editor.recover(true)}>
          Recover edits
        </button>
      </div>
    </Dialog>
  );
}

function Toasts() {
  const toasts = useAppSelector((s) => s.ui.toasts);
  const dispatch = useAppDispatch();
  useEffect(() => {
    if (!toasts.length) return;
    const last = toasts[toasts.length - 1]!;
    const t = setTimeout(() => dispatch(dismissToast(last.id)), last.kind === 'error' ? 8000 : 2500);
    return () => clearTimeout(t);
  }, [toasts, dispatch]);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`}>
          <span>
            {t.message}
            {t.hint ? <small>{t.hint}</small> : null}
          </span>
          <button type="button" className="mini" aria-label="Dismiss message" onClick={() => dispatch(dismissToast(t.id))}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}

function Disconnected() {
  const connected = useAppSelector((s) => s.ui.connected);
  return connected ? null : (
    <div className="disconnected" role="alert">
      Lost the connection to the Klappe host — reconnecting…
    </div>
  );
}
