/**
 * A modal dialog: focus moves in (to its first field, else its first
 * button), Escape closes, the rest of the page is inert, and on closing focus
 * goes back to the control that had it before.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog(p: { title: string; onClose(): void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const onClose = useRef(p.onClose);
  onClose.current = p.onClose;
  useEffect(() => {
    const d = ref.current;
    const opener =
      document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    let mounted = true;
    // Closed some other way than through onCancel (the browser may close a dialog on Escape without a cancel event): tell the owner.
    const closed = () => {
      if (mounted) onClose.current();
    };
    d?.addEventListener('close', closed);
    if (d && !d.open) d.showModal();
    const body = d?.querySelector('.dialog-body');
    const first =
      body?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), textarea:not([disabled])') ??
      body?.querySelector<HTMLElement>('button:not([disabled])') ??
      d?.querySelector<HTMLElement>('button');
    first?.focus();
    return () => {
      mounted = false;
      d?.removeEventListener('close', closed);
      // The dialog leaves the page with the component: focus back to where it was, if that is still there.
      if (
        opener?.isConnected &&
        (!document.activeElement ||
          document.activeElement === document.body ||
          !document.activeElement.isConnected ||
          d?.contains(document.activeElement))
      )
        opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog ${p.wide ? 'wide' : ''}`}
      aria-label={p.title}
      onCancel={(e) => {
        e.preventDefault();
        p.onClose();
      }}
    >
      <header>
        <h2>{p.title}</h2>
        <button type="button" className="mini" aria-label="Close" onClick={p.onClose}>
          ✕
        </button>
      </header>
      <div className="dialog-body">{p.children}</div>
    </dialog>
  );
}
