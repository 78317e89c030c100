/** Storyboard: scenes as rows of shot cards (thumbnail, number, action, duration, takes); drag to reorder; add, duplicate, delete. */
import { useState } from 'react';
import { framesToSeconds } from '../../../engine/model/time.js';
import { currentTakes, jobsSel, scenesSel, shotsSel, takesByShot } from '../store/selectors.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { selectScene, selectShot } from '../store/ui-slice.js';
import { studio } from '../studio.js';
import type { JobInfo } from '../../../engine/api/contract.js';

export function Storyboard() {
  const scenes = useAppSelector(scenesSel.selectAll);
  const shots = useAppSelector(shotsSel.selectEntities);
  const current = useAppSelector(currentTakes);
  const byShot = useAppSelector(takesByShot);
  const jobs = useAppSelector(jobsSel.selectAll);
  const rate = useAppSelector((s) => s.doc.meta?.rate ?? { num: 24, den: 1 });
  const selectedShotId = useAppSelector((s) => s.ui.selectedShotId);
  const dispatch = useAppDispatch();
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<{ sceneId: string; index: number } | null>(null);
  const activeJob = new Map<string, JobInfo>();
  for (const j of jobs) if (j.status === 'queued' || j.status === 'running') activeJob.set(j.shotId, j);

  const drop = (sceneId: string, index: number) => {
    if (dragging) void studio().apply({ type: 'shot.move', shotId: dragging, toSceneId: sceneId, index });
    setDragging(null);
    setDropAt(null);
  };

  return (
    <main className="storyboard" aria-label="Storyboard">
      {scenes.map((scene) => (
        <section key={scene.id} className="scene-row" aria-label={`Scene ${scene.number}${scene.name ? `: ${scene.name}` : ''}`}>
          <header className="scene-head">
            <h2><span className="scene-no">{scene.number}</span> {scene.name || 'Scene'}</h2>
            <span className="muted small">{scene.set.name} · {scene.shotIds.length} shot{scene.shotIds.length === 1 ? '' : 's'}</span>
            <button type="button" onClick={() => { dispatch(selectScene(scene.id)); void studio().addShot(scene.id); }} aria-label={`Add shot to scene ${scene.number}`}>+ Shot</button>
          </header>
          <ol className="shot-cards" onDragOver={(e) => { if (dragging) { e.preventDefault(); if (!dropAt || dropAt.sceneId !== scene.id) setDropAt({ sceneId: scene.id, index: scene.shotIds.length }); } }}
            onDrop={(e) => { e.preventDefault(); drop(scene.id, dropAt?.sceneId === scene.id ? dropAt.index : scene.shotIds.length); }}>
            {scene.shotIds.map((id, index) => {
              const shot = shots[id];
              if (!shot) return null;
              const take = current.get(id);
              const thumb = studio().mediaUrl(take?.media.thumbnail);
              const job = activeJob.get(id);
              return (
                <li key={id} className={`shot-card ${selectedShotId === id ? 'selected' : ''} ${dropAt?.sceneId === scene.id && dropAt.index === index ? 'drop-before' : ''}`}
                  draggable onDragStart={(e) => { setDragging(id); e.dataTransfer.effectAllowed = 'move'; e.dataTransfer.setData('text/plain', id); }}
                  onDragEnd={() => { setDragging(null); setDropAt(null); }}
                  onDragOver={(e) => { if (dragging) { e.preventDefault(); e.stopPropagation(); const r = e.currentTarget.getBoundingClientRect(); setDropAt({ sceneId: scene.id, index: e.clientX > r.left + r.width / 2 ? index + 1 : index }); } }}
                  onDrop={(e) => { e.preventDefault(); e.stopPropagation(); drop(scene.id, dropAt?.index ?? index); }}>
                  <button type="button" className="shot-select" aria-label={`Shot ${scene.number}/${shot.number}${shot.name ? ` ${shot.name}` : ''}`} aria-pressed={selectedShotId === id}
                    onClick={() => { dispatch(selectShot(id)); dispatch(selectScene(scene.id)); }}>
                    <div className="thumb">
                      {thumb ? <img src={thumb} alt="" /> : <div className="slate-thumb"><span>{scene.number}/{shot.number}</span><small>no take</small></div>}
                      <span className="dur">{framesToSeconds(shot.duration, rate).toFixed(1)}s</span>
                      {take ? <span className="take-badge">T{take.number}</span> : null}
                      {job ? <div className="card-progress" role="progressbar" aria-label={`Generating shot ${shot.number}`} aria-valuenow={Math.round(job.progress * 100)} aria-valuemin={0} aria-valuemax={100}><div style={{ width: `${job.progress * 100}%` }} /></div> : null}
                    </div>
                    <div className="card-text">
                      <strong>{shot.number}{shot.name ? ` · ${shot.name}` : ''}</strong>
                      <span className="action">{shot.action || shot.prompt || <em className="muted">No action yet</em>}</span>
                      <span className="muted small">{shot.camera.lensMm} mm · {shot.camera.move.type}{shot.dialogue.length ? ` · ${shot.dialogue.length} line${shot.dialogue.length > 1 ? 's' : ''}` : ''}{(byShot.get(id)?.length ?? 0) > 1 ? ` · ${byShot.get(id)!.length} takes` : ''}</span>
                    </div>
                  </button>
                  <div className="card-actions">
                    <button type="button" className="mini" aria-label={`Duplicate shot ${shot.number}`} title="Duplicate" onClick={() => void studio().apply({ type: 'shot.duplicate', shotId: id })}>❐</button>
                    <button type="button" className="mini" aria-label={`Generate shot ${shot.number}`} title="Generate" onClick={() => void studio().generate([id])}>⚡</button>
                    <button type="button" className="mini danger" aria-label={`Delete shot ${shot.number}`} title="Delete" onClick={() => { if (selectedShotId === id) dispatch(selectShot(null)); void studio().apply({ type: 'shot.remove', shotId: id }); }}>✕</button>
                  </div>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
      <button type="button" className="add-scene" onClick={() => void studio().apply({ type: 'scene.add', scene: { name: `Scene ${scenes.length + 1}` } })}>+ Add scene</button>
    </main>
  );
}

