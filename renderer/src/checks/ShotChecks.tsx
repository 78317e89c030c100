/** Checks before generating for one shot, in words, each with its fix button (the engine's engine/model/shot-checks.ts via `shots.check`). */
import { useEffect, useState } from 'react';
import type { ShotCheck } from '../../../engine/model/shot-checks.js';
import { useEditor } from '../editor/context.js';
import { useAppSelector } from '../store/store.js';

/** The checks of `shotIds` (all shots when omitted), fetched again after every change of the document. */
export function useShotChecks(shotIds?: string[]): ShotCheck[] {
  const editor = useEditor();
  const version = useAppSelector((s) => s.doc.version);
  const key = shotIds?.join(',') ?? '*';
  const [checks, setChecks] = useState<ShotCheck[]>([]);
  useEffect(() => {
    let live = true;
    void editor.checks(shotIds).then((c) => {
      if (live) setChecks(c);
    });
    return () => {
      live = false;
    };
  }, [editor, version, key]);
  return checks;
}

export function ShotChecks({ shotId }: { shotId: string }) {
  const editor = useEditor();
  const checks = useShotChecks([shotId]);
  if (!checks.length) return null;
  return (
    <ul className="shot-checks" aria-label="Before generating">
      {checks.map((c, i) => (
        <li key={`${c.code}-${i}`} className={`check-${c.severity}`}>
          <span className="check-icon" aria-hidden>
            {c.severity === 'error' ? '⚠' : 'ℹ'}
          </span>
          <span className="check-text">{c.message}</span>
          {c.fix ? (
            <button type="button" className="mini" onClick={() => void editor.apply(c.fix!.commands, c.fix!.label)}>
              {c.fix.label}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
