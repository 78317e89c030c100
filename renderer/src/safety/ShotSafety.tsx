/**
 * The shot inspector's safety line: what the moderation policy says about the
 * shot's prompt, action and lines now (engine/safety via `safety.shot`),
 * fetched again after every change of the document. A block names the rule
 * and says how to proceed; the generation gate refuses the same shot.
 */
import { useEffect, useState } from 'react';
import type { ShotSafetyView } from '../../../engine/api/contract.js';
import { useEditor } from '../editor/context.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { openDialog } from '../store/ui-slice.js';

export function useShotSafety(shotId: string): ShotSafetyView | undefined {
  const editor = useEditor();
  const version = useAppSelector((s) => s.doc.version);
  const [view, setView] = useState<ShotSafetyView>();
  useEffect(() => {
    let live = true;
    void editor.shotSafety(shotId).then((v) => {
      if (live) setView(v);
    });
    return () => {
      live = false;
    };
  }, [editor, version, shotId]);
  return view?.shotId === shotId ? view : undefined;
}

export function ShotSafety({ shotId }: { shotId: string }) {
  const dispatch = useAppDispatch();
  const view = useShotSafety(shotId);
  if (!view?.decisive) return null;
  const d = view.decisive;
  const blocked = view.outcome === 'block';
  return (
    <section className={`safety-verdict ${view.outcome}`} role={blocked ? 'alert' : 'status'} aria-label="Safety">
      <div className="safety-head">
        <strong className="safety-badge">{blocked ? 'Blocked' : '⚠ Warning'}</strong>
        <span className="muted small">
          {d.field} · rule <code>{d.rule}</code>
        </span>
      </div>
      <p className="safety-message">{d.message}</p>
      {d.proceed ? (
        <p className="safety-proceed">
          <strong>How to proceed:</strong> {d.proceed}
        </p>
      ) : null}
      {view.flagged.length > 1 ? (
        <p className="muted small">
          Also:{' '}
          {view.flagged
            .filter((f) => f !== d && !(f.field === d.field && f.rule === d.rule))
            .map((f) => `${f.field} (${f.rule})`)
            .join(', ')}
        </p>
      ) : null}
      <button type="button" className="mini" onClick={() => dispatch(openDialog('safety'))}>
        Safety log
      </button>
    </section>
  );
}
