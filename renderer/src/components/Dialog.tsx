/** A modal dialog: focus moves in, Escape closes, the rest of the page is inert. */
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog(p: { title: string; onClose(): void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    const first = d?.querySelector<HTMLElement>('input:not([disabled]), select, textarea, button');
    first?.focus();
  }, []);
  return (
    <dialog ref={ref} className={`dialog ${p.wide ? 'wide' : ''}`} aria-label={p.title} onCancel={(e) => { e.preventDefault(); p.onClose(); }}>
      <header><h2>{p.title}</h2><button type="button" className="mini" aria-label="Close" onClick={p.onClose}>✕</button></header>
      <div className="dialog-body">{p.children}</div>
    </dialog>
  );
}
