/** The shot inspector's cameo notice: a cameo the current identity may not use blocks the shot, and its takes are flagged. */
import { useAppSelector } from '../store/store.js';
import { cameoDecisionsOfShot, sameJson } from './shot-cameos.js';

export function CameoBlock({ shotId }: { shotId: string }) {
  const decisions = useAppSelector((s) => cameoDecisionsOfShot(s, shotId), sameJson);
  const flagged = useAppSelector((s) => s.cameos.view?.flags.takes.filter((t) => t.shotId === shotId) ?? [], sameJson);
  const blocked = decisions.filter((d) => d.outcome === 'block');
  if (!decisions.length) return null;
  return (
    <section className={blocked.length ? 'cameo-block blocked' : 'cameo-block'} aria-label="Cameo consent">
      {blocked.length ? (
        <div role="alert">
          {blocked.map((d) => (
            <p key={d.cameoId}>
              <strong>Blocked ({d.character}):</strong> {d.reason}
            </p>
          ))}
          {flagged.length ? <p className="small">Flagged takes: {flagged.map((t) => t.shot).join(', ')}</p> : null}
        </div>
      ) : (
        decisions.map((d) => (
          <p key={d.cameoId} className="small muted">
            Cameo ({d.character}): {d.reason}
          </p>
        ))
      )}
    </section>
  );
}
