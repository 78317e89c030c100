/**
 * Scene blocking: a top-down Konva map of one scene. Props, characters' start
 * marks and each shot's camera (with its field of view) are dragged into
 * place; each drag commits one command.
 *
 * The keyboard does the same on the focused map: [ and ] pick an item (the
 * list beside the map picks one too), arrows move it 0.1 m on the ground
 * (Shift 1 m, Alt 1 cm), Q and E turn it 5° (Shift 15°), Escape lets go.
 * Each key press is one command, the drag's own, so one undo step; a live
 * readout names the item and where it is.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { SceneBlockingView } from '../../../engine/api/contract.js';
import { actionWords } from '../../../engine/common/action-words.js';
import { framesToSeconds } from '../../../engine/common/time.js';
import { labelWidth, placeLabels } from './map-labels.js';
import { Arrow, Circle, Group, Layer, Line, Rect, Stage, Text, Wedge } from 'react-konva';
import { charactersSel, scenesSel, shotsSel } from '../store/selectors.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { selectScene } from '../store/ui-slice.js';
import { pickShot } from '../store/selection.js';
import { useEditor } from '../editor/context.js';
import {
  cycleItem,
  describeItem,
  fmtMetres,
  itemCommand,
  mapItems,
  propOnMap,
  round2,
  type MapItem,
  type MapOp,
} from './blocking-items.js';

const PAD = 40;
const SELECTED = '#ffd34d';
const KIND_TITLES: Record<MapItem['kind'], string> = { prop: 'Props', mark: 'Start marks', camera: 'Cameras' };
const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** Horizontal field of view of a lens on a 36 mm wide sensor, degrees. */
export function fovDeg(lensMm: number): number {
  return (2 * Math.atan(36 / (2 * lensMm)) * 180) / Math.PI;
}

export function Blocking() {
  const editor = useEditor();
  const scenes = useAppSelector(scenesSel.selectAll);
  const selectedSceneId = useAppSelector((s) => s.ui.selectedSceneId);
  const scene = scenes.find((s) => s.id === selectedSceneId) ?? scenes[0];
  const shots = useAppSelector(shotsSel.selectEntities);
  const characters = useAppSelector(charactersSel.selectEntities);
  const selectedShotId = useAppSelector((s) => s.ui.selectedShotId);
  const dispatch = useAppDispatch();
  const wrap = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 800, height: 500 });
  /** The map's selected item ("prop:cup", "mark:mia", "camera:s2"). */
  const [selected, setSelected] = useState<string | null>(null);
  /** Key presses run one after another, each on the document the one before made. */
  const pending = useRef<Promise<unknown>>(Promise.resolve());
  const ids = useId();
  const rate = useAppSelector((s) => s.doc.meta?.rate ?? { num: 24, den: 1 });
  /** The scene frame the timeline under the map shows (null: the start marks only). */
  const [scrub, setScrub] = useState<number | null>(null);
  const [blocking, setBlocking] = useState<{ view?: SceneBlockingView; error?: string }>({});

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: Math.max(300, el.clientWidth), height: Math.max(240, el.clientHeight) }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    setSelected(null);
    setScrub(null);
  }, [scene?.id]);

  // the scene's simulation (where everybody is on each frame), asked again a moment after the scene or its shots change
  const shotSpans = scene ? scene.shotIds.map((id) => `${shots[id]?.sceneStart}+${shots[id]?.duration}`).join(',') : '';
  useEffect(() => {
    if (!scene) return;
    let live = true;
    const t = setTimeout(() => {
      editor.sceneBlocking(scene.id).then(
        (view) => live && setBlocking({ view }),
        (e: unknown) => live && setBlocking({ error: e instanceof Error ? e.message : String(e) }),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [editor, scene, shotSpans]);

  if (!scene)
    return (
      <main className="blocking">
        <p className="muted">No scenes.</p>
      </main>
    );
  const { width: W, depth: D } = scene.set;
  const sceneShots = scene.shotIds.map((id) => shots[id]!).filter(Boolean);
  const items = mapItems(scene, sceneShots, characters);
  const current = items.find((it) => it.key === selected);
  const sel = current?.key ?? null;
  // Everything on the map fits: the set and every camera.
  let halfX = W / 2;
  let halfZ = D / 2;
  for (const sh of sceneShots) {
    halfX = Math.max(halfX, Math.abs(sh.camera.position[0]) + 0.5);
    halfZ = Math.max(halfZ, Math.abs(sh.camera.position[2]) + 0.5);
  }
  const scale = Math.min((size.width - PAD * 2) / (halfX * 2), (size.height - PAD * 2) / (halfZ * 2));
  const ox = size.width / 2;
  const oy = size.height / 2;
  const toScreen = (x: number, z: number) => ({ x: ox + x * scale, y: oy + z * scale });
  const toWorld = (px: number, py: number) => ({ x: round2((px - ox) / scale), z: round2((py - oy) / scale) });
  // camera labels placed apart from each other and from the marks' names (cameras may stand on one spot)
  const cameraLabels = placeLabels(
    sceneShots.map((sh) => ({
      ...toScreen(sh.camera.position[0], sh.camera.position[2]),
      width: labelWidth(`▣ ${scene.number}/${sh.number}`, 11),
      height: 14,
    })),
    size,
    16,
    scene.marks.map((m) => {
      const p = toScreen(m.position[0], m.position[1]);
      return { x: p.x - 40, y: p.y - 14, width: 80, height: 50 };
    }),
  );
  // the timeline under the map: the scene's time, its shots and its actions
  const fps = rate.num / rate.den;
  const sceneEnd = Math.max(
    1,
    blocking.view?.sceneId === scene.id ? blocking.view.frames : 0,
    ...sceneShots.map((sh) => sh.sceneStart + sh.duration),
    ...scene.actions.map((a) => a.at + Math.round(fps)),
  );
  const view = blocking.view?.sceneId === scene.id ? blocking.view : undefined;
  const poseAt = <T,>(list: T[] | undefined, frame: number): T | undefined =>
    list?.length ? list[Math.min(list.length - 1, Math.floor(frame / (view?.step ?? 1)))] : undefined;
  const ghosts = scrub !== null && view ? Object.entries(view.characters).map(([id, poses]) => ({ id, pose: poseAt(poses, scrub)! })) : [];
  const movedProps =
    scrub !== null && view
      ? Object.entries(view.props)
          .map(([id, poses]) => ({ id, pose: poseAt(poses, scrub)!, start: poses[0]! }))
          .filter((p) => Math.hypot(p.pose[0] - p.start[0], p.pose[1] - p.start[1]) > 0.02)
      : [];
  const nameOf = (id: string) => characters[id]?.name ?? scene.props.find((p) => p.id === id)?.name ?? id;
  const places = scene.props.map((x) => ({ id: x.id, name: x.name, at: [x.position[0], x.position[2]] as const }));

  const select = (key: string | null) => {
    setSelected(key);
    if (key?.startsWith('camera:')) dispatch(pickShot(key.slice('camera:'.length)));
  };
  /** Selects with the mouse: the map takes the keyboard so that arrows go on from there. */
  const grab = (key: string) => {
    select(key);
    wrap.current?.focus({ preventScroll: true });
  };
  const perform = (key: string, op: MapOp) => {
    const sceneId = scene.id;
    pending.current = pending.current.then(async () => {
      const st = editor.store.getState();
      const sc = scenesSel.selectById(st, sceneId);
      const cmd = sc && itemCommand(sc, st.doc.shots.entities, key, op);
      if (cmd) await editor.apply(cmd.command, cmd.label);
    });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || e.nativeEvent.isComposing || e.metaKey) return;
    if (e.key === '[' || e.key === ']') {
      e.preventDefault();
      select(cycleItem(items, sel, e.key === ']' ? 1 : -1));
      return;
    }
    if (e.ctrlKey) return; // Ctrl+Z and the studio's other shortcuts
    if (e.key === 'Escape') {
      if (sel) {
        e.preventDefault();
        setSelected(null);
      }
      return;
    }
    const dir = ARROWS[e.key];
    if (dir) {
      e.preventDefault(); // also keeps Alt+← from going back a page
      const step = e.shiftKey ? 1 : e.altKey ? 0.01 : 0.1;
      if (sel) perform(sel, { move: [dir[0] * step, dir[1] * step] });
      return;
    }
    const turn = e.key.toLowerCase() === 'q' ? -1 : e.key.toLowerCase() === 'e' ? 1 : 0;
    if (turn && !e.altKey && sel) {
      e.preventDefault();
      perform(sel, { turn: turn * (e.shiftKey ? 15 : 5) });
    }
  };

  const ring = (key: string) => key === sel;
  const readout = current ? describeItem(current) : 'Nothing selected: [ and ] pick an item on the map.';

  return (
    <main className="blocking" aria-label="Scene blocking">
      <div className="blocking-bar" role="toolbar" aria-label="Blocking">
        <label>
          Scene{' '}
          <select aria-label="Scene to block" value={scene.id} onChange={(e) => dispatch(selectScene(e.target.value))}>
            {scenes.map((s) => (
              <option key={s.id} value={s.id}>
                {s.number} · {s.name || 'Scene'}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">
          {scene.set.name} · {W} × {D} m · drag props, marks and cameras
        </span>
        <span className="legend">
          <i className="lg-prop" /> props <i className="lg-mark" /> start marks <i className="lg-cam" /> cameras
        </span>
      </div>
      <div className="blocking-body">
        <div className="blocking-map">
          <div
            ref={wrap}
            className="blocking-canvas"
            role="application"
            aria-label={`Top-down map of scene ${scene.number}`}
            aria-describedby={`${ids}-readout ${ids}-keys`}
            tabIndex={0}
            onKeyDown={onKeyDown}
          >
            <Stage width={size.width} height={size.height}>
              <Layer>
                <Rect
                  x={ox - (W / 2) * scale}
                  y={oy - (D / 2) * scale}
                  width={W * scale}
                  height={D * scale}
                  fill={scene.set.floorColor}
                  opacity={0.35}
                  stroke={scene.set.wallColor}
                  strokeWidth={3}
                  onMouseDown={() => setSelected(null)}
                />
                {Array.from({ length: Math.floor(W) + 1 }, (_, i) => i - Math.floor(W / 2)).map((x) => (
                  <Line
                    key={`gx${x}`}
                    points={[ox + x * scale, oy - (D / 2) * scale, ox + x * scale, oy + (D / 2) * scale]}
                    stroke="#ffffff"
                    opacity={0.06}
                    listening={false}
                  />
                ))}
                {Array.from({ length: Math.floor(D) + 1 }, (_, i) => i - Math.floor(D / 2)).map((z) => (
                  <Line
                    key={`gz${z}`}
                    points={[ox - (W / 2) * scale, oy + z * scale, ox + (W / 2) * scale, oy + z * scale]}
                    stroke="#ffffff"
                    opacity={0.06}
                    listening={false}
                  />
                ))}
                {sceneShots.map((shot) => {
                  const p = toScreen(shot.camera.position[0], shot.camera.position[2]);
                  const t = toScreen(shot.camera.target[0], shot.camera.target[2]);
                  const angle = (Math.atan2(t.y - p.y, t.x - p.x) * 180) / Math.PI;
                  const fov = fovDeg(shot.camera.lensMm);
                  const on = shot.id === selectedShotId;
                  const key = `camera:${shot.id}`;
                  return (
                    <Group
                      key={shot.id}
                      id={`camera-${shot.id}`}
                      x={p.x}
                      y={p.y}
                      draggable
                      onMouseDown={() => grab(key)}
                      onDragEnd={(e) => {
                        const w = toWorld(e.target.x(), e.target.y());
                        void editor.apply(
                          {
                            type: 'shot.update',
                            shotId: shot.id,
                            patch: { camera: { ...shot.camera, position: [w.x, shot.camera.position[1], w.z] } },
                          },
                          'Move camera',
                        );
                      }}
                    >
                      <Wedge
                        radius={Math.max(60, scale * 2.5)}
                        angle={fov}
                        rotation={angle - fov / 2}
                        fill={on ? 'rgba(255,211,77,0.22)' : 'rgba(120,170,255,0.12)'}
                        stroke={on ? SELECTED : '#6d9be0'}
                        strokeWidth={1}
                      />
                      <Rect
                        x={-9}
                        y={-7}
                        width={18}
                        height={14}
                        fill={on ? SELECTED : '#6d9be0'}
                        cornerRadius={2}
                        rotation={angle}
                        offsetX={0}
                      />
                      {ring(key) ? <Circle radius={15} stroke={SELECTED} strokeWidth={2} dash={[5, 3]} listening={false} /> : null}
                      <Text
                        x={(cameraLabels[sceneShots.indexOf(shot)]?.x ?? p.x + 16) - p.x}
                        y={(cameraLabels[sceneShots.indexOf(shot)]?.y ?? p.y + 6) - p.y}
                        name="camera-label"
                        text={`▣ ${scene.number}/${shot.number}`}
                        fontSize={11}
                        fontStyle={ring(key) ? 'bold' : 'normal'}
                        fill={on ? SELECTED : '#b9cdf0'}
                      />
                    </Group>
                  );
                })}
                {scene.props.map((prop) => {
                  const p = toScreen(prop.position[0], prop.position[2]);
                  const { round, width: s, depth: sz } = propOnMap(prop, scale);
                  const key = `prop:${prop.id}`;
                  return (
                    <Group
                      key={prop.id}
                      id={`prop-${prop.id}`}
                      x={p.x}
                      y={p.y}
                      draggable
                      onMouseDown={() => grab(key)}
                      onDragEnd={(e) => {
                        const w = toWorld(e.target.x(), e.target.y());
                        void editor.apply(
                          { type: 'prop.update', sceneId: scene.id, propId: prop.id, patch: { position: [w.x, prop.position[1], w.z] } },
                          'Move prop',
                        );
                      }}
                    >
                      {round ? (
                        <Circle radius={s / 2} fill={prop.color} stroke="#111" strokeWidth={1} />
                      ) : (
                        <Rect
                          x={-s / 2}
                          y={-sz / 2}
                          width={s}
                          height={sz}
                          fill={prop.color}
                          stroke="#111"
                          strokeWidth={1}
                          rotation={prop.yawDeg}
                        />
                      )}
                      {ring(key) ? (
                        round ? (
                          <Circle radius={s / 2 + 5} stroke={SELECTED} strokeWidth={2} dash={[5, 3]} listening={false} />
                        ) : (
                          <Rect
                            x={-s / 2 - 5}
                            y={-sz / 2 - 5}
                            width={s + 10}
                            height={sz + 10}
                            rotation={prop.yawDeg}
                            stroke={SELECTED}
                            strokeWidth={2}
                            dash={[5, 3]}
                            listening={false}
                          />
                        )
                      ) : null}
                      <Text
                        x={-40}
                        y={Math.max(s, sz) / 2 + 6}
                        width={80}
                        align="center"
                        text={prop.name}
                        fontSize={11}
                        fontStyle={ring(key) ? 'bold' : 'normal'}
                        fill={ring(key) ? SELECTED : '#e6e6e6'}
                      />
                    </Group>
                  );
                })}
                {scene.marks.map((mark) => {
                  const c = characters[mark.characterId];
                  const p = toScreen(mark.position[0], mark.position[1]);
                  const rad = ((mark.facingDeg - 90) * Math.PI) / 180;
                  const key = `mark:${mark.characterId}`;
                  return (
                    <Group
                      key={mark.characterId}
                      id={`mark-${mark.characterId}`}
                      x={p.x}
                      y={p.y}
                      draggable
                      onMouseDown={() => grab(key)}
                      onDragEnd={(e) => {
                        const w = toWorld(e.target.x(), e.target.y());
                        void editor.apply(
                          { type: 'mark.set', sceneId: scene.id, mark: { ...mark, position: [w.x, w.z] } },
                          'Move start mark',
                        );
                      }}
                    >
                      {ring(key) ? <Circle radius={19} stroke={SELECTED} strokeWidth={2} dash={[5, 3]} listening={false} /> : null}
                      <Circle radius={13} fill={c?.look.shirt ?? '#888'} stroke="#fff" strokeWidth={2} />
                      <Arrow
                        points={[0, 0, Math.cos(rad) * 26, Math.sin(rad) * 26]}
                        stroke="#fff"
                        fill="#fff"
                        strokeWidth={2}
                        pointerLength={6}
                        pointerWidth={6}
                      />
                      <Text
                        x={-40}
                        y={22}
                        width={80}
                        align="center"
                        text={c?.name ?? mark.characterId}
                        fontSize={12}
                        fontStyle="bold"
                        fill={ring(key) ? SELECTED : '#fff'}
                      />
                    </Group>
                  );
                })}
                {movedProps.map(({ id, pose }) => {
                  const p = toScreen(pose[0], pose[1]);
                  return <Circle key={`ghost-prop-${id}`} x={p.x} y={p.y} radius={7} stroke="#ffd34d" dash={[3, 2]} listening={false} />;
                })}
                {ghosts.map(({ id, pose }) => {
                  const p = toScreen(pose[0], pose[1]);
                  const rad = ((pose[2] - 90) * Math.PI) / 180;
                  return (
                    <Group key={`ghost-${id}`} x={p.x} y={p.y} listening={false} name="ghost">
                      <Circle radius={11} fill={characters[id]?.look.shirt ?? '#888'} opacity={0.6} stroke="#ffd34d" strokeWidth={2} />
                      <Arrow
                        points={[0, 0, Math.cos(rad) * 22, Math.sin(rad) * 22]}
                        stroke="#ffd34d"
                        fill="#ffd34d"
                        strokeWidth={2}
                        pointerLength={5}
                        pointerWidth={5}
                      />
                      <Text x={-40} y={-28} width={80} align="center" text={nameOf(id)} fontSize={11} fill="#ffd34d" />
                    </Group>
                  );
                })}
              </Layer>
            </Stage>
          </div>
          <section className="blocking-timeline" aria-label="Blocking timeline">
            <div className="strip" aria-label="Shots and actions over the scene's time">
              {sceneShots.map((sh) => (
                <span
                  key={sh.id}
                  className="shot-span"
                  title={`Shot ${scene.number}/${sh.number}`}
                  style={{ left: `${(sh.sceneStart / sceneEnd) * 100}%`, width: `${(sh.duration / sceneEnd) * 100}%` }}
                />
              ))}
              {scene.actions.map((a) => {
                const words = actionWords(a, nameOf, rate, places);
                return (
                  <button
                    type="button"
                    key={a.id}
                    className="action-mark"
                    aria-label={words}
                    title={words}
                    style={{ left: `${(a.at / sceneEnd) * 100}%`, background: characters[a.actorId]?.look.shirt ?? '#888' }}
                    onClick={() => setScrub(a.at)}
                  />
                );
              })}
              {scrub !== null ? <span className="playhead" style={{ left: `${(scrub / sceneEnd) * 100}%` }} /> : null}
            </div>
            <input
              type="range"
              aria-label="Scene time"
              min={0}
              max={Math.max(0, sceneEnd - 1)}
              step={1}
              value={scrub ?? 0}
              onChange={(e) => setScrub(Number(e.target.value))}
            />
            <div className="row">
              <span aria-live="polite" className="blocking-time">
                {scrub === null
                  ? 'Scrub the scene’s time to see where everybody is.'
                  : `${framesToSeconds(scrub, rate).toFixed(2)} s: ${
                      ghosts.map((g) => `${nameOf(g.id)} at ${fmtMetres(g.pose[0])}, ${fmtMetres(g.pose[1])}`).join(' · ') ||
                      (blocking.error ? '' : 'simulating…')
                    }`}
              </span>
              {blocking.error ? <span className="muted small">Cannot simulate: {blocking.error}</span> : null}
              {scrub !== null ? (
                <button type="button" className="mini" onClick={() => setScrub(null)}>
                  Start marks
                </button>
              ) : null}
            </div>
          </section>
          <div className="blocking-status">
            <p
              id={`${ids}-readout`}
              className={current ? 'blocking-readout' : 'blocking-readout muted'}
              aria-live="polite"
              aria-atomic="true"
            >
              {readout}
            </p>
            <p id={`${ids}-keys`} className="muted small">
              On the map: <kbd>[</kbd> <kbd>]</kbd> pick · arrows move 0.1 m (<kbd>Shift</kbd> 1 m, <kbd>Alt</kbd> 1 cm) · <kbd>Q</kbd>{' '}
              <kbd>E</kbd> turn 5° (<kbd>Shift</kbd> 15°) · <kbd>Esc</kbd> lets go
            </p>
          </div>
        </div>
        <section className="blocking-items" aria-label="Items on the map">
          <h2>On the map</h2>
          {(['prop', 'mark', 'camera'] as const).map((kind) => {
            const list = items.filter((it) => it.kind === kind);
            if (!list.length) return null;
            return (
              <div key={kind}>
                <h3 id={`${ids}-${kind}`}>{KIND_TITLES[kind]}</h3>
                <ul aria-labelledby={`${ids}-${kind}`}>
                  {list.map((it) => (
                    <li key={it.key}>
                      <button
                        type="button"
                        className={it.key === sel ? 'on' : undefined}
                        aria-pressed={it.key === sel}
                        aria-label={it.label}
                        onClick={() => grab(it.key)}
                      >
                        <i className={`item-${kind}`} style={{ background: it.color }} aria-hidden="true" />
                        <span className="item-name">{it.short}</span>
                        <span className="item-pos" aria-hidden="true">
                          {fmtMetres(it.x)}, {fmtMetres(it.z)}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </section>
      </div>
    </main>
  );
}
