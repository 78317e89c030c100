/**
 * Scene blocking: a top-down Konva map of one scene. Props, characters' start
 * marks and each shot's camera (with its field of view) are dragged into
 * place; each drag commits one command.
 */
import { useEffect, useRef, useState } from 'react';
import { Arrow, Circle, Group, Layer, Line, Rect, Stage, Text, Wedge } from 'react-konva';
import { charactersSel, scenesSel, shotsSel } from '../store/selectors.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { selectScene, selectShot } from '../store/ui-slice.js';
import { studio } from '../studio.js';

const PAD = 40;
/** Footprint (x, z) in metres of a prop kind when the prop gives no size. */
const FOOTPRINT: Record<string, [number, number]> = {
  ball: [0.22, 0.22], box: [0.5, 0.5], cup: [0.1, 0.1], bottle: [0.08, 0.08], chair: [0.5, 0.5], table: [1.6, 0.9], door: [0.9, 0.1], lamp: [0.4, 0.4], plant: [0.5, 0.5], book: [0.25, 0.18],
};
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Horizontal field of view of a lens on a 36 mm wide sensor, degrees. */
export function fovDeg(lensMm: number): number {
  return (2 * Math.atan(36 / (2 * lensMm)) * 180) / Math.PI;
}

export function Blocking() {
  const scenes = useAppSelector(scenesSel.selectAll);
  const selectedSceneId = useAppSelector((s) => s.ui.selectedSceneId);
  const scene = scenes.find((s) => s.id === selectedSceneId) ?? scenes[0];
  const shots = useAppSelector(shotsSel.selectEntities);
  const characters = useAppSelector(charactersSel.selectEntities);
  const selectedShotId = useAppSelector((s) => s.ui.selectedShotId);
  const dispatch = useAppDispatch();
  const wrap = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 800, height: 500 });

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: Math.max(300, el.clientWidth), height: Math.max(240, el.clientHeight) }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  if (!scene) return <main className="blocking"><p className="muted">No scenes.</p></main>;
  const { width: W, depth: D } = scene.set;
  const sceneShots = scene.shotIds.map((id) => shots[id]!).filter(Boolean);
  // Everything on the map fits: the set and every camera.
  let halfX = W / 2;
  let halfZ = D / 2;
  for (const sh of sceneShots) { halfX = Math.max(halfX, Math.abs(sh.camera.position[0]) + 0.5); halfZ = Math.max(halfZ, Math.abs(sh.camera.position[2]) + 0.5); }
  const scale = Math.min((size.width - PAD * 2) / (halfX * 2), (size.height - PAD * 2) / (halfZ * 2));
  const ox = size.width / 2;
  const oy = size.height / 2;
  const toScreen = (x: number, z: number) => ({ x: ox + x * scale, y: oy + z * scale });
  const toWorld = (px: number, py: number) => ({ x: round2((px - ox) / scale), z: round2((py - oy) / scale) });

  return (
    <main className="blocking" aria-label="Scene blocking">
      <div className="blocking-bar" role="toolbar" aria-label="Blocking">
        <label>Scene <select aria-label="Scene to block" value={scene.id} onChange={(e) => dispatch(selectScene(e.target.value))}>
          {scenes.map((s) => <option key={s.id} value={s.id}>{s.number} · {s.name || 'Scene'}</option>)}
        </select></label>
        <span className="muted small">{scene.set.name} · {W} × {D} m · drag props, marks and cameras</span>
        <span className="legend"><i className="lg-prop" /> props <i className="lg-mark" /> start marks <i className="lg-cam" /> cameras</span>
      </div>
      <div ref={wrap} className="blocking-canvas" role="application" aria-label={`Top-down map of scene ${scene.number}`} tabIndex={0}>
        <Stage width={size.width} height={size.height}>
          <Layer>
            <Rect x={ox - (W / 2) * scale} y={oy - (D / 2) * scale} width={W * scale} height={D * scale} fill={scene.set.floorColor} opacity={0.35} stroke={scene.set.wallColor} strokeWidth={3} />
            {Array.from({ length: Math.floor(W) + 1 }, (_, i) => i - Math.floor(W / 2)).map((x) => (
              <Line key={`gx${x}`} points={[ox + x * scale, oy - (D / 2) * scale, ox + x * scale, oy + (D / 2) * scale]} stroke="#ffffff" opacity={0.06} listening={false} />
            ))}
            {Array.from({ length: Math.floor(D) + 1 }, (_, i) => i - Math.floor(D / 2)).map((z) => (
              <Line key={`gz${z}`} points={[ox - (W / 2) * scale, oy + z * scale, ox + (W / 2) * scale, oy + z * scale]} stroke="#ffffff" opacity={0.06} listening={false} />
            ))}
            {sceneShots.map((shot) => {
              const p = toScreen(shot.camera.position[0], shot.camera.position[2]);
              const t = toScreen(shot.camera.target[0], shot.camera.target[2]);
              const angle = (Math.atan2(t.y - p.y, t.x - p.x) * 180) / Math.PI;
              const fov = fovDeg(shot.camera.lensMm);
              const on = shot.id === selectedShotId;
              return (
                <Group key={shot.id} id={`camera-${shot.id}`} x={p.x} y={p.y} draggable
                  onMouseDown={() => dispatch(selectShot(shot.id))}
                  onDragEnd={(e) => {
                    const w = toWorld(e.target.x(), e.target.y());
                    void studio().apply({ type: 'shot.update', shotId: shot.id, patch: { camera: { ...shot.camera, position: [w.x, shot.camera.position[1], w.z] } } }, 'Move camera');
                  }}>
                  <Wedge radius={Math.max(60, scale * 2.5)} angle={fov} rotation={angle - fov / 2} fill={on ? 'rgba(255,211,77,0.22)' : 'rgba(120,170,255,0.12)'} stroke={on ? '#ffd34d' : '#6d9be0'} strokeWidth={1} />
                  <Rect x={-9} y={-7} width={18} height={14} fill={on ? '#ffd34d' : '#6d9be0'} cornerRadius={2} rotation={angle} offsetX={0} />
                  <Text x={10} y={8} text={`▣ ${scene.number}/${shot.number}`} fontSize={11} fill={on ? '#ffd34d' : '#b9cdf0'} />
                </Group>
              );
            })}
            {scene.props.map((prop) => {
              const p = toScreen(prop.position[0], prop.position[2]);
              const fp = FOOTPRINT[prop.kind] ?? [0.5, 0.5];
              const s = Math.max(8, (prop.size?.[0] ?? fp[0]) * scale);
              const sz = Math.max(8, (prop.size?.[2] ?? fp[1]) * scale);
              return (
                <Group key={prop.id} id={`prop-${prop.id}`} x={p.x} y={p.y} draggable
                  onDragEnd={(e) => {
                    const w = toWorld(e.target.x(), e.target.y());
                    void studio().apply({ type: 'prop.update', sceneId: scene.id, propId: prop.id, patch: { position: [w.x, prop.position[1], w.z] } }, 'Move prop');
                  }}>
                  {prop.kind === 'ball' || prop.kind === 'cup' || prop.kind === 'plant' || prop.kind === 'lamp'
                    ? <Circle radius={s / 2} fill={prop.color} stroke="#111" strokeWidth={1} />
                    : <Rect x={-s / 2} y={-sz / 2} width={s} height={sz} fill={prop.color} stroke="#111" strokeWidth={1} rotation={prop.yawDeg} />}
                  <Text x={-40} y={Math.max(s, sz) / 2 + 3} width={80} align="center" text={prop.name} fontSize={11} fill="#e6e6e6" />
                </Group>
              );
            })}
            {scene.marks.map((mark) => {
              const c = characters[mark.characterId];
              const p = toScreen(mark.position[0], mark.position[1]);
              const rad = ((mark.facingDeg - 90) * Math.PI) / 180;
              return (
                <Group key={mark.characterId} id={`mark-${mark.characterId}`} x={p.x} y={p.y} draggable
                  onDragEnd={(e) => {
                    const w = toWorld(e.target.x(), e.target.y());
                    void studio().apply({ type: 'mark.set', sceneId: scene.id, mark: { ...mark, position: [w.x, w.z] } }, 'Move start mark');
                  }}>
                  <Circle radius={13} fill={c?.look.shirt ?? '#888'} stroke="#fff" strokeWidth={2} />
                  <Arrow points={[0, 0, Math.cos(rad) * 26, Math.sin(rad) * 26]} stroke="#fff" fill="#fff" strokeWidth={2} pointerLength={6} pointerWidth={6} />
                  <Text x={-40} y={16} width={80} align="center" text={c?.name ?? mark.characterId} fontSize={12} fontStyle="bold" fill="#fff" />
                </Group>
              );
            })}
          </Layer>
        </Stage>
      </div>
    </main>
  );
}
