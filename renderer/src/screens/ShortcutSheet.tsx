/** The shortcut sheet ("?" or F1): every action of the action list that has a shortcut, by menu. */
import { ACTIONS, MENUS } from '../../../engine/common/action-list.js';
import { keysOf } from '../actions/action-text.js';
import { Dialog } from '../components/Dialog.js';
import { useAppDispatch } from '../store/store.js';
import { openDialog } from '../store/ui-slice.js';

export function ShortcutSheet() {
  const dispatch = useAppDispatch();
  const mac = navigator.platform.startsWith('Mac');
  return (
    <Dialog title="Keyboard shortcuts" wide onClose={() => dispatch(openDialog(null))}>
      <div className="shortcut-sheet">
        {MENUS.map((m) => {
          const list = ACTIONS.filter((a) => a.menu === m.id && a.shortcut);
          if (!list.length) return null;
          return (
            <section key={m.id} aria-label={m.label}>
              <h3>{m.label}</h3>
              <dl>
                {list.map((a) => (
                  <div key={a.name} className="shortcut-row">
                    <dt>
                      {a.label}
                      {a.screen === 'edit' ? <span className="muted small"> (Edit screen)</span> : null}
                    </dt>
                    <dd>
                      {keysOf(a.shortcut!, mac).map((k, i) => (
                        <span key={k}>
                          {i ? ' or ' : ''}
                          <kbd>{k}</kbd>
                        </span>
                      ))}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          );
        })}
      </div>
    </Dialog>
  );
}
