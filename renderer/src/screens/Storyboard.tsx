/** Storyboard: scenes as rows of shot cards (thumbnail, number, action, duration, takes); drag to reorder; add, duplicate, delete. */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { ShotCheck } from '../../../engine/model/shot-checks.js';
import { useShotChecks } from '../checks/ShotChecks.js';
import { framesToSeconds } from '../../../engine/common/time.js';
import { ShotCostBadge } from '../cost/CostBadge.js';
import { currentTakes, jobsSel, linesOfShot, scenesSel, shotsSel, takesByShot } from '../store/selectors.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { selectScene, selectShot } from '../store/ui-slice.js';
import { useEditor } from '../editor/context.js';
import { pickShot } from '../store/selection.js';
import type { JobInfo } from '../../../engine/api/contract.js';

export function Storyboard() {
  const editor = useEditor();
  const scenes = useAppSelector(scenesSel.selectAll);
  const jobs = useAppSelector(jobsSel.selectAll);
  const selectedShotId = useAppSelector((s) => s.ui.selectedShotId);
  const dispatch = useAppDispatch();
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<{ sceneId: string; index: number } | null>(null);
  const activeJob = new Map<string, JobInfo>();
  for (const j of jobs) if (j.status === 'queued' || j.status === 'running') activeJob.set(j.shotId, j);
  const root = useRef<HTMLElement>(null);
  const { near, observe } = useNearRows(root, scenes);
  // checks before generating, for the rows drawn (one call per change of the document)
  const drawnShots = scenes.filter((sc) => near.has(sc.id)).flatMap((sc) => sc.shotIds);
  const checksByShot = useChecksByShot(drawnShots);

  const drop = useCallback(
    (sceneId: string, index: number) => {
      setDragging((d) => {
        if (d) void editor.apply({ type: 'shot.move', shotId: d, toSceneId: sceneId, index });
        return null;
      });
      setDropAt(null);
    },
    [editor],
  );

  return (
    <main className="storyboard" aria-label="Storyboard" ref={root}>
      {scenes.map((scene) => {
        const drawn = near.has(scene.id) || !scene.shotIds.length;
        return (
          <section
            key={scene.id}
            className="scene-row"
            aria-label={`Scene ${scene.number}${scene.name ? `: ${scene.name}` : ''}`}
            data-scene-id={scene.id}
            ref={observe}
          >
            <header className="scene-head">
              <h2>
                <span className="scene-no">{scene.number}</span> {scene.name || 'Scene'}
              </h2>
              <span className="muted small">
                {scene.set.name} · {scene.shotIds.length} shot{scene.shotIds.length === 1 ? '' : 's'}
              </span>
              <button
                type="button"
                onClick={() => {
                  dispatch(selectScene(scene.id));
                  void editor.addShot(scene.id);
                }}
                aria-label={`Add shot to scene ${scene.number}`}
              >
                + Shot
              </button>
            </header>
            {drawn ? (
              <ol
                className="shot-cards"
                onDragOver={(e) => {
                  if (dragging) {
                    e.preventDefault();
                    if (!dropAt || dropAt.sceneId !== scene.id) setDropAt({ sceneId: scene.id, index: scene.shotIds.length });
                  }
                }}
                onDrop={(e) => {
                  e.preventDefault();
                  drop(scene.id, dropAt?.sceneId === scene.id ? dropAt.index : scene.shotIds.length);
                }}
              >
                {scene.shotIds.map((id, index) => (
                  <ShotCard
                    key={id}
                    shotId={id}
                    sceneId={scene.id}
                    sceneNumber={scene.number}
                    index={index}
                    selected={selectedShotId === id}
                    dropBefore={dropAt?.sceneId === scene.id && dropAt.index === index}
                    dragging={dragging !== null}
                    job={activeJob.get(id)}
                    checks={checksByShot.get(id)}
                    onDragState={setDragging}
                    onDropAt={setDropAt}
                    onDrop={drop}
                    dropIndex={dropAt?.index}
                  />
                ))}
              </ol>
            ) : (
              <div className="shot-cards" aria-hidden style={{ height: CARDS_HEIGHT }} />
            )}
          </section>
        );
      })}
      <button
        type="button"
        className="add-scene"
        onClick={() => void editor.apply({ type: 'scene.add', scene: { name: `Scene ${scenes.length + 1}` } })}
      >
        + Add scene
      </button>
    </main>
  );
}

/**
 * The checks of the shots drawn, by shot. A shot whose checks did not change
 * keeps the same array, so its memoized card is not drawn again.
 */
function useChecksByShot(shotIds: string[]): ReadonlyMap<string, ShotCheck[]> {
  const checks = useShotChecks(shotIds);
  const last = useRef(new Map<string, { key: string; list: ShotCheck[] }>());
  return useMemo(() => {
    const grouped = new Map<string, ShotCheck[]>();
    for (const c of checks) grouped.set(c.shotId, [...(grouped.get(c.shotId) ?? []), c]);
    const out = new Map<string, ShotCheck[]>();
    const kept = new Map<string, { key: string; list: ShotCheck[] }>();
    for (const [id, list] of grouped) {
      const key = JSON.stringify(list);
      const before = last.current.get(id);
      const same = before && before.key === key ? before : { key, list };
      kept.set(id, same);
      out.set(id, same.list);
    }
    last.current = kept;
    return out;
  }, [checks]);
}

/** What a row off screen keeps free for its cards: about a card's height (16:9 thumbnail on 200 px, three lines, the buttons). */
const CARDS_HEIGHT = 222;
/** Rows this far above or below the view are drawn too, so that scrolling shows cards at once. */
const NEAR_MARGIN = '800px 0px';
/** Rows drawn before the first intersection report: the first screen. */
const FIRST_ROWS = 4;

/**
 * Which scene rows are on or near the screen: only those draw their cards (a
 * 1,000-shot storyboard draws a few dozen cards, not a thousand). The others
 * keep the height of their cards free, so the scroll bar and positions do not jump.
 */
function useNearRows(root: RefObject<HTMLElement | null>, scenes: Array<{ id: string }>) {
  const [near, setNear] = useState<ReadonlySet<string>>(() => new Set(scenes.slice(0, FIRST_ROWS).map((s) => s.id)));
  const io = useRef<IntersectionObserver | null>(null);
  const rows = useRef(new Set<Element>());
  useEffect(() => {
    const observer = new IntersectionObserver(
      (entries) => {
        setNear((prev) => {
          const next = new Set(prev);
          for (const e of entries) {
            const id = (e.target as HTMLElement).dataset.sceneId!;
            if (e.isIntersecting) next.add(id);
            else next.delete(id);
          }
          return next.size === prev.size && [...next].every((id) => prev.has(id)) ? prev : next;
        });
      },
      { root: root.current, rootMargin: NEAR_MARGIN },
    );
    io.current = observer;
    for (const el of rows.current) observer.observe(el);
    return () => {
      observer.disconnect();
      io.current = null;
    };
  }, [root]);
  const observe = useCallback((el: HTMLElement | null) => {
    if (!el) return;
    rows.current.add(el);
    io.current?.observe(el);
    return () => {
      rows.current.delete(el);
      io.current?.unobserve(el);
    };
  }, []);
  return { near, observe };
}

interface ShotCardProps {
  shotId: string;
  sceneId: string;
  sceneNumber: string;
  index: number;
  selected: boolean;
  dropBefore: boolean;
  dragging: boolean;
  dropIndex: number | undefined;
  job: JobInfo | undefined;
  /** Checks before generating (engine/model/shot-checks.ts): a badge with their count; the first one and its fix on click. */
  checks: ShotCheck[] | undefined;
  onDragState(id: string | null): void;
  onDropAt(at: { sceneId: string; index: number } | null): void;
  onDrop(sceneId: string, index: number): void;
}

/** One shot card; memoized so selecting or generating one card does not redraw the other thousand. */
const ShotCard = memo(function ShotCard(p: ShotCardProps) {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  const shot = useAppSelector((s) => shotsSel.selectById(s, p.shotId));
  const take = useAppSelector((s) => currentTakes(s).get(p.shotId));
  const takeCount = useAppSelector((s) => takesByShot(s).get(p.shotId)?.length ?? 0);
  const lineCount = useAppSelector((s) => linesOfShot(s, p.shotId).length);
  const rate = useAppSelector((s) => s.doc.meta?.rate);
  if (!shot || !rate) return null;
  const id = shot.id;
  const thumb = editor.mediaUrl(take?.media.thumbnail);
  const job = p.job;
  const { sceneNumber: sceneNo } = p;
  return (
    <li
      className={`shot-card ${p.selected ? 'selected' : ''} ${p.dropBefore ? 'drop-before' : ''}`}
      draggable
      onDragStart={(e) => {
        p.onDragState(id);
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', id);
      }}
      onDragEnd={() => {
        p.onDragState(null);
        p.onDropAt(null);
      }}
      onDragOver={(e) => {
        if (p.dragging) {
          e.preventDefault();
          e.stopPropagation();
          const r = e.currentTarget.getBoundingClientRect();
          p.onDropAt({ sceneId: p.sceneId, index: e.clientX > r.left + r.width / 2 ? p.index + 1 : p.index });
        }
      }}
      onDrop={(e) => {
        e.preventDefault();
        e.stopPropagation();
        p.onDrop(p.sceneId, p.dropIndex ?? p.index);
      }}
    >
      <button
        type="button"
        className="shot-select"
        aria-label={`Shot ${sceneNo}/${shot.number}${shot.name ? ` ${shot.name}` : ''}`}
        aria-pressed={p.selected}
        onClick={() => dispatch(pickShot(id))}
      >
        <div className="thumb">
          {thumb ? (
            <img src={thumb} alt="" loading="lazy" />
          ) : (
            <div className="slate-thumb">
              <span>
                {sceneNo}/{shot.number}
              </span>
              <small>no take</small>
            </div>
          )}
          <span className="dur">{framesToSeconds(shot.duration, rate).toFixed(1)}s</span>
          {take ? <span className="take-badge">T{take.number}</span> : null}
          {job ? (
            <div
              className="card-progress"
              role="progressbar"
              aria-label={`Generating shot ${shot.number}`}
              aria-valuenow={Math.round(job.progress * 100)}
              aria-valuemin={0}
              aria-valuemax={100}
            >
              <div style={{ width: `${job.progress * 100}%` }} />
            </div>
          ) : null}
        </div>
        <div className="card-text">
          <strong>
            {shot.number}
            {shot.name ? ` · ${shot.name}` : ''}
          </strong>
          <span className="action">{shot.action || shot.prompt || <em className="muted">No action yet</em>}</span>
          <span className="muted small">
            {shot.camera.lensMm} mm · {shot.camera.move.type}
            {lineCount ? ` · ${lineCount} line${lineCount > 1 ? 's' : ''}` : ''}
            {takeCount > 1 ? ` · ${takeCount} takes` : ''}
          </span>
          <ShotCostBadge shotId={id} />
        </div>
      </button>
      {p.checks?.length ? <CardChecks shotNumber={`${sceneNo}/${shot.number}`} checks={p.checks} /> : null}
      <div className="card-actions">
        <button
          type="button"
          className="mini"
          aria-label={`Duplicate shot ${shot.number}`}
          title="Duplicate"
          onClick={() => void editor.apply({ type: 'shot.duplicate', shotId: id })}
        >
          ❐
        </button>
        <button
          type="button"
          className="mini"
          aria-label={`Generate shot ${shot.number}`}
          title="Generate"
          onClick={() => void editor.generate([id])}
        >
          ⚡
        </button>
        <button
          type="button"
          className="mini danger"
          aria-label={`Delete shot ${shot.number}`}
          title="Delete"
          onClick={() => {
            if (p.selected) dispatch(selectShot(null));
            void editor.apply({ type: 'shot.remove', shotId: id });
          }}
        >
          ✕
        </button>
      </div>
    </li>
  );
});

/**
 * A card's checks: a badge with the count (the first message on hover); a
 * click opens the first message with its fix button (the inspector lists them all).
 */
function CardChecks({ shotNumber, checks }: { shotNumber: string; checks: ShotCheck[] }) {
  const editor = useEditor();
  const [open, setOpen] = useState(false);
  const first = checks.find((c) => c.severity === 'error') ?? checks[0]!;
  const errors = checks.some((c) => c.severity === 'error');
  const noun = `${checks.length} ${errors ? 'problem' : 'note'}${checks.length === 1 ? '' : 's'}`;
  return (
    <div className="card-checks">
      <button
        type="button"
        className={`check-badge ${errors ? 'check-error' : 'check-warning'}`}
        aria-label={`${noun[0]!.toUpperCase()}${noun.slice(1)} before generating shot ${shotNumber}`}
        aria-expanded={open}
        title={first.message}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden>{errors ? '⚠' : 'ℹ'}</span> {checks.length}
      </button>
      {open ? (
        <div
          className={`check-pop ${first.severity === 'error' ? 'check-error' : 'check-warning'}`}
          role="note"
          aria-label={`First problem of shot ${shotNumber}`}
        >
          <p>{first.message}</p>
          {checks.length > 1 ? <p className="muted small">and {checks.length - 1} more in the inspector</p> : null}
          {first.fix ? (
            <button
              type="button"
              className="mini primary"
              onClick={() => {
                setOpen(false);
                void editor.apply(first.fix!.commands, first.fix!.label);
              }}
            >
              {first.fix.label}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
