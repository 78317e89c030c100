/** The command palette (Mod+K): every action of the registry and the help topics, filtered as you type. */
import { useState } from 'react';
import { HELP_TOPICS, helpMatch } from '../../../engine/common/help-topics.js';
import { available, REGISTRY, runAction } from '../actions/registry.js';
import { Dialog } from '../components/Dialog.js';
import { paletteMatch } from '../actions/action-text.js';
import { useEditor } from '../editor/context.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { openDialog, openHelp } from '../store/ui-slice.js';

/** One row of the palette: an action to run or a help topic to read. */
type Entry = { kind: 'action'; name: string; label: string; shortcut?: string } | { kind: 'help'; name: string; label: string };

export function CommandPalette() {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  // Re-rendered when what the actions need changes (a project, the screen).
  useAppSelector((s) => `${s.doc.loaded} ${s.ui.screen}`);
  const [q, setQ] = useState('');
  const [index, setIndex] = useState(0);
  const list: Entry[] = [
    ...REGISTRY.filter((a) => a.name !== 'palette.open' && available(editor, a) && paletteMatch(a, q)).map((a): Entry => ({
      kind: 'action',
      name: a.name,
      label: a.label,
      ...(a.shortcut ? { shortcut: a.shortcut } : {}),
    })),
    ...HELP_TOPICS.filter((t) => helpMatch(t, q)).map((t): Entry => ({ kind: 'help', name: `help:${t.id}`, label: t.title })),
  ];
  const run = (entry: Entry) => {
    // Out of the search field first: the action acts on the studio (Undo undoes the project, not the search text) and focus goes back to where it was.
    (document.activeElement as HTMLElement | null)?.blur();
    if (entry.kind === 'help') {
      dispatch(openHelp(entry.name.slice('help:'.length)));
      return;
    }
    dispatch(openDialog(null));
    runAction(editor, entry.name);
  };
  const optionId = (name: string) => `palette-${name.replace(/\W/g, '-')}`;
  return (
    <Dialog title="Command palette" onClose={() => dispatch(openDialog(null))}>
      <input
        aria-label="Search commands"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-autocomplete="list"
        aria-activedescendant={list[index] ? optionId(list[index]!.name) : undefined}
        value={q}
        placeholder="Type a command or a question…"
        onChange={(e) => {
          setQ(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setIndex((i) => Math.min(list.length - 1, i + 1));
          }
          if (e.key === 'ArrowUp') {
            e.preventDefault();
            setIndex((i) => Math.max(0, i - 1));
          }
          if (e.key === 'Enter' && list[index]) {
            e.preventDefault();
            run(list[index]!);
          }
        }}
      />
      <ul className="palette" id="palette-list" role="listbox" aria-label="Commands">
        {list.map((a, i) => (
          <li
            key={a.name}
            id={optionId(a.name)}
            role="option"
            aria-selected={i === index}
            className={`${i === index ? 'on' : ''} ${a.kind === 'help' ? 'help-entry' : ''}`}
            onMouseEnter={() => setIndex(i)}
            onClick={() => run(a)}
          >
            <span>
              {a.kind === 'help' ? <span className="help-tag">Help</span> : null}
              {a.label}
            </span>
            {a.kind === 'action' && a.shortcut ? (
              <kbd>{a.shortcut.replace(/Mod/g, navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl')}</kbd>
            ) : null}
          </li>
        ))}
      </ul>
      {list.length === 0 ? (
        <p className="muted palette-empty" role="status">
          No results for “{q}”. Try “help” for help topics and the keyboard shortcuts.
        </p>
      ) : null}
    </Dialog>
  );
}
