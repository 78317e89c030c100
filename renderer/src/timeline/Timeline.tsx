/**
 * The Konva timeline: ruler, video/dialogue/sfx/music tracks, clips (only the
 * visible ones are drawn), playhead, zoom (Ctrl+wheel, =/-), scroll (wheel: time; Shift+wheel: tracks).
 * Drags preview in Konva and commit one command when they end. The view
 * follows: a clip selected from elsewhere (a panel, the palette, a new line on
 * a new lane) scrolls into view, and the playhead pages it along.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Group, Layer, Line, Rect, Stage, Text } from 'react-konva';
import type Konva from 'konva';
import { framesToTimecode } from '../../../engine/common/time.js';
import { clipsSel, currentTakes, markersOf, sequenceEnd, shotsSel, takesSel, tracksSel } from '../store/selectors.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { selectClip } from '../store/ui-slice.js';
import { pickClip } from '../store/selection.js';
import { useEditor, usePlayback, useTimelineView } from '../editor/context.js';
import { ClipNode } from './ClipNode.js';
import { RULER_H, scrollToReveal, TRACK_H, trackTops } from './geometry.js';

export const HEADER_W = 132;

export function Timeline() {
  const editor = useEditor();
  const { playback, timelineView } = editor;
  const dispatch = useAppDispatch();
  const tracks = useAppSelector(tracksSel.selectAll);
  const clips = useAppSelector(clipsSel.selectEntities);
  const shots = useAppSelector(shotsSel.selectEntities);
  const takes = useAppSelector(takesSel.selectEntities);
  const current = useAppSelector(currentTakes);
  const rate = useAppSelector((s) => s.doc.meta?.rate ?? { num: 24, den: 1 });
  const end = useAppSelector(sequenceEnd);
  const selectedClipId = useAppSelector((s) => s.ui.selectedClipId);
  const markers = useAppSelector(markersOf);
  const view = useTimelineView();
  const fps = rate.num / rate.den;
  const scrollerRef = useRef<HTMLDivElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const [size, setSize] = useState({ width: 0, height: 240 });
  const viewWidth = useRef(0);
  viewWidth.current = size.width;
  /** The tracks' vertical scroll: the ruler stays on top of them. */
  const [scrollTop, setScrollTop] = useState(0);

  useEffect(() => {
    playback.configure(fps, end);
  }, [fps, end]);

  // Each project opens zoomed to fit.
  const projectId = useAppSelector((s) => s.doc.meta?.id);
  const fitted = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (projectId && fitted.current !== projectId && size.width > 200 && end > 0) {
      fitted.current = projectId;
      timelineView.fit(end, size.width);
    }
  }, [projectId, size.width, end]);

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: Math.max(200, el.clientWidth), height: Math.max(120, el.clientHeight) }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const tops = useMemo(() => trackTops(tracks.map((t) => t.kind)), [tracks]);
  const contentH = (tops.at(-1) ?? RULER_H) + (tracks.at(-1) ? TRACK_H[tracks.at(-1)!.kind] : 0);

  const snapTargets = useCallback(
    (except?: string) => {
      const out = [0, playback.get().frame];
      for (const id in clips) {
        if (id === except) continue;
        const c = clips[id]!;
        out.push(c.recordStart, c.recordStart + c.duration);
      }
      return out;
    },
    [clips],
  );

  const onMove = useCallback(
    (clipId: string, recordStart: number) => {
      void editor.apply({ type: 'clip.move', clipId, recordStart });
    },
    [editor],
  );
  const onTrim = useCallback(
    (clipId: string, edge: 'start' | 'end', delta: number) => {
      void editor.apply({ type: 'clip.trim', clipId, edge, delta });
    },
    [editor],
  );
  // A clip picked on the canvas is where the user is looking already: the view stays.
  const pickedOnCanvas = useRef<string | null>(null);
  const onSelect = useCallback(
    (id: string) => {
      pickedOnCanvas.current = id;
      dispatch(pickClip(id));
    },
    [dispatch],
  );

  // The selected clip comes into view when it is selected from elsewhere, or
  // once it (or its new lane) reaches the store after it was selected.
  const selected = selectedClipId ? clips[selectedClipId] : undefined;
  const revealKey = selected ? `${selected.id}@${selected.trackId}` : '';
  const revealed = useRef('');
  useEffect(() => {
    if (!selected || size.width <= 0 || revealed.current === revealKey) return;
    revealed.current = revealKey;
    const fromCanvas = pickedOnCanvas.current === selected.id;
    pickedOnCanvas.current = null;
    if (fromCanvas) return;
    const i = tracks.findIndex((t) => t.id === selected.trackId);
    const el = scrollerRef.current;
    if (i >= 0 && el) {
      // the ruler covers the view's top RULER_H pixels
      const top = scrollToReveal(tops[i]! - RULER_H, tops[i]! + TRACK_H[tracks[i]!.kind], el.scrollTop, el.clientHeight);
      if (top !== el.scrollTop) el.scrollTop = top;
    }
    timelineView.reveal(selected.recordStart, selected.recordStart + selected.duration, size.width);
  }, [revealKey, selected, size.width, tracks, tops]);

  // A view that gets shorter (a panel below it grew) keeps the selected clip's lane whole where it showed its top.
  useEffect(() => {
    const el = scrollerRef.current;
    const i = selected ? tracks.findIndex((t) => t.id === selected.trackId) : -1;
    if (!el || i < 0) return;
    const top = tops[i]!;
    const bottom = top + TRACK_H[tracks[i]!.kind];
    const viewBottom = el.scrollTop + el.clientHeight;
    if (top >= el.scrollTop + RULER_H && top < viewBottom && bottom > viewBottom)
      el.scrollTop = scrollToReveal(top - RULER_H, bottom, el.scrollTop, el.clientHeight);
    // only when the height changes, not when the user scrolls or the selection moves
  }, [size.height]);

  // The playhead pages the view along when it leaves it.
  useEffect(() => {
    let last = playback.get().frame;
    return playback.subscribe(() => {
      const { frame } = playback.get();
      if (frame === last) return;
      last = frame;
      if (viewWidth.current > 0) timelineView.followPlayhead(frame, viewWidth.current);
    });
  }, []);

  // The wheel, one gesture at a time (a non-passive listener, so the page neither zooms nor also scrolls):
  // wheel or a sideways swipe scrolls time, Shift+wheel scrolls the tracks up and down, Ctrl/Cmd+wheel zooms at the pointer.
  useEffect(() => {
    const el = wrapRef.current;
    const scroller = scrollerRef.current;
    if (!el || !scroller) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      if (e.ctrlKey || e.metaKey) timelineView.zoom(e.deltaY < 0 ? 1.25 : 0.8, e.offsetX);
      else if (e.shiftKey)
        scroller.scrollTop += e.deltaY || e.deltaX; // browsers may turn Shift+wheel into deltaX
      else timelineView.scrollBy(Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : e.deltaY);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  // An automation hook for end-to-end tests and the benchmark: where a clip is on the page, the view and the playhead.
  useEffect(() => {
    (window as unknown as { __klappeTimeline?: unknown }).__klappeTimeline = {
      view: () => ({ ...timelineView.get(), width: viewWidth.current }),
      playhead: () => playback.get().frame,
      scrollTo: (x: number) => timelineView.scrollTo(x),
      clipBox(id: string) {
        const node = stageRef.current?.findOne(`#clip-${id}`);
        const box = stageRef.current?.container().getBoundingClientRect();
        if (!node || !box) return null;
        const r = node.getClientRect();
        return { x: box.left + r.x, y: box.top + r.y, width: r.width, height: r.height };
      },
    };
  }, []);

  const visibleFrom = view.scrollX / view.ppf;
  const visibleTo = (view.scrollX + size.width) / view.ppf;

  const seekFromX = (x: number) => playback.seek(Math.round((x + view.scrollX) / view.ppf));

  return (
    <div ref={scrollerRef} className="timeline" aria-label="Timeline" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <div className="track-headers" style={{ width: HEADER_W, height: Math.max(size.height, contentH) }}>
        <div className="ruler-corner" style={{ height: RULER_H }}>
          <Timecode rate={rate} />
        </div>
        {tracks.map((t) => (
          <div key={t.id} className={`track-header kind-${t.kind}`} style={{ height: TRACK_H[t.kind] }}>
            <span className="track-name">{t.name || t.kind}</span>
            <button
              type="button"
              className={`mini ${t.muted ? 'on' : ''}`}
              aria-pressed={t.muted}
              aria-label={`Mute ${t.name || t.kind}`}
              title="Mute"
              onClick={() => void editor.apply({ type: 'track.update', trackId: t.id, patch: { muted: !t.muted } })}
            >
              M
            </button>
            <button
              type="button"
              className={`mini ${t.solo ? 'on' : ''}`}
              aria-pressed={t.solo}
              aria-label={`Solo ${t.name || t.kind}`}
              title="Solo"
              onClick={() => void editor.apply({ type: 'track.update', trackId: t.id, patch: { solo: !t.solo } })}
            >
              S
            </button>
          </div>
        ))}
      </div>
      <div
        ref={wrapRef}
        className="timeline-canvas"
        role="application"
        aria-label="Timeline tracks: drag clips to move, drag their edges to trim; Space plays, J/K/L shuttle, arrows step frames"
        tabIndex={0}
      >
        <Stage ref={stageRef} width={size.width} height={Math.max(size.height, contentH)}>
          <Layer>
            {tracks.map((t, i) => (
              <Rect
                key={t.id}
                x={0}
                y={tops[i]!}
                width={size.width}
                height={TRACK_H[t.kind]}
                fill={i % 2 ? '#1b1e24' : '#1e2128'}
                stroke="#111317"
                strokeWidth={1}
                onMouseDown={() => dispatch(selectClip(null))}
              />
            ))}
            {tracks.map((t, i) =>
              t.clipIds.map((cid) => {
                const c = clips[cid];
                if (!c || c.recordStart + c.duration < visibleFrom - 1 || c.recordStart > visibleTo + 1) return null;
                const take =
                  c.source.type === 'shot' ? current.get(c.source.shotId) : c.source.type === 'take' ? takes[c.source.takeId] : undefined;
                const shot = c.source.type === 'shot' ? shots[c.source.shotId] : take ? shots[take.shotId] : undefined;
                const label =
                  c.name ||
                  (shot ? `${shot.number}${shot.name ? ` · ${shot.name}` : ''}${take ? ` · T${take.number}` : ' · slate'}` : c.id);
                return (
                  <ClipNode
                    key={cid}
                    clip={c}
                    kind={t.kind}
                    label={label}
                    top={tops[i]!}
                    height={TRACK_H[t.kind]}
                    ppf={view.ppf}
                    scrollX={view.scrollX}
                    fps={fps}
                    selected={selectedClipId === cid}
                    thumbUrl={editor.mediaUrl(take?.media.thumbnail)}
                    audioUrl={editor.mediaUrl(take?.media.video)}
                    snapTargets={snapTargets}
                    onSelect={onSelect}
                    onMove={onMove}
                    onTrim={onTrim}
                  />
                );
              }),
            )}
            {/* transitions: a bow tie across the cut, as wide as the transition */}
            {tracks.map((t, i) =>
              t.clipIds.map((cid) => {
                const c = clips[cid];
                const tr = c?.transitionOut;
                if (!c || !tr) return null;
                const cut = c.recordStart + c.duration;
                if (cut + tr.after < visibleFrom || cut - tr.before > visibleTo) return null;
                const x0 = (cut - tr.before) * view.ppf - view.scrollX;
                const x1 = (cut + tr.after) * view.ppf - view.scrollX;
                const y0 = tops[i]! + 6;
                const y1 = tops[i]! + TRACK_H[t.kind] - 6;
                return (
                  <Group key={`tr-${cid}`} listening={false}>
                    <Rect
                      x={x0}
                      y={y0}
                      width={Math.max(2, x1 - x0)}
                      height={y1 - y0}
                      fill="rgba(255,211,77,0.18)"
                      stroke="#ffd34d"
                      strokeWidth={1}
                    />
                    <Line points={[x0, y0, x1, y1]} stroke="#ffd34d" strokeWidth={1} />
                    <Line points={[x0, y1, x1, y0]} stroke="#ffd34d" strokeWidth={1} />
                  </Group>
                );
              }),
            )}
            <Group y={scrollTop}>
              <Ruler width={size.width} ppf={view.ppf} scrollX={view.scrollX} fps={fps} rate={rate} onSeek={seekFromX} />
              {markers.map((m) => {
                const x = m.frame * view.ppf - view.scrollX;
                if (x < -8 || x > size.width + 8) return null;
                return (
                  <Group key={m.id} x={x} listening={false}>
                    {m.duration ? (
                      <Rect x={0} y={RULER_H - 6} width={m.duration * view.ppf} height={4} fill={MARKER_COLORS[m.color]} opacity={0.6} />
                    ) : null}
                    <Line
                      points={[-5, RULER_H - 12, 5, RULER_H - 12, 0, RULER_H - 4]}
                      closed
                      fill={MARKER_COLORS[m.color]}
                      stroke="#111317"
                      strokeWidth={1}
                    />
                    {view.ppf * fps > 20 && m.name ? (
                      <Text x={6} y={RULER_H - 14} text={m.name} fontSize={9} fill={MARKER_COLORS[m.color]} />
                    ) : null}
                  </Group>
                );
              })}
            </Group>
          </Layer>
          <PlayheadLayer height={Math.max(size.height, contentH)} ppf={view.ppf} scrollX={view.scrollX} top={scrollTop} />
        </Stage>
      </div>
      <ul className="sr-only" aria-label="Markers">
        {markers.map((m) => (
          <li key={m.id}>
            <button type="button" aria-label={`Go to marker ${m.name || m.id} at frame ${m.frame}`} onClick={() => playback.seek(m.frame)}>
              {m.name}
            </button>
          </li>
        ))}
      </ul>
      <ul className="sr-only" aria-label="Clips">
        {tracks.flatMap((t) =>
          t.clipIds.map((cid) => (
            <li key={cid}>
              <button type="button" aria-label={`Select clip ${cid} on ${t.name || t.kind}`} onClick={() => dispatch(pickClip(cid))}>
                {cid}
              </button>
            </li>
          )),
        )}
      </ul>
    </div>
  );
}

/** Marker colours on the dark ruler. */
const MARKER_COLORS: Record<string, string> = {
  red: '#ff5c5c',
  orange: '#ff9f43',
  yellow: '#ffd34d',
  green: '#4cd97b',
  cyan: '#4dd6e6',
  blue: '#5c9dff',
  purple: '#b07cff',
  pink: '#ff7ac3',
  white: '#f1f3f6',
};

const Ruler = memo(function Ruler(p: {
  width: number;
  ppf: number;
  scrollX: number;
  fps: number;
  rate: { num: number; den: number };
  onSeek(x: number): void;
}) {
  const stepSeconds = [1, 2, 5, 10, 30, 60, 120, 300].find((s) => s * p.fps * p.ppf >= 70) ?? 600;
  const stepFrames = Math.round(stepSeconds * p.fps);
  const first = Math.floor(p.scrollX / p.ppf / stepFrames) * stepFrames;
  const marks = [];
  for (let f = first; f * p.ppf - p.scrollX < p.width; f += stepFrames) {
    const x = f * p.ppf - p.scrollX;
    marks.push(<Line key={`l${f}`} points={[x, RULER_H - 8, x, RULER_H]} stroke="#6b7280" strokeWidth={1} listening={false} />);
    marks.push(
      <Text key={`t${f}`} x={x + 3} y={4} text={framesToTimecode(f, p.rate).slice(3)} fontSize={10} fill="#9aa3b2" listening={false} />,
    );
  }
  return (
    <>
      <Rect
        x={0}
        y={0}
        width={p.width}
        height={RULER_H}
        fill="#15171c"
        onMouseDown={(e) => p.onSeek(e.evt.offsetX)}
        onMouseMove={(e) => {
          if (e.evt.buttons === 1) p.onSeek(e.evt.offsetX);
        }}
      />
      {marks}
    </>
  );
});

/** The playhead over every track; its head and the in/out marks sit on the ruler, `top` pixels down the scrolled tracks. */
function PlayheadLayer({ height, ppf, scrollX, top }: { height: number; ppf: number; scrollX: number; top: number }) {
  const { frame, inFrame, outFrame } = usePlayback();
  const x = frame * ppf - scrollX;
  return (
    <Layer listening={false}>
      <Group y={top}>
        {inFrame !== null && outFrame !== null && outFrame > inFrame ? (
          <Rect x={inFrame * ppf - scrollX} y={0} width={(outFrame - inFrame) * ppf} height={RULER_H} fill="rgba(255,211,77,0.25)" />
        ) : null}
        {inFrame !== null ? (
          <Line points={[inFrame * ppf - scrollX, 0, inFrame * ppf - scrollX, RULER_H]} stroke="#ffd34d" strokeWidth={2} />
        ) : null}
        {outFrame !== null ? (
          <Line points={[outFrame * ppf - scrollX, 0, outFrame * ppf - scrollX, RULER_H]} stroke="#ffd34d" strokeWidth={2} />
        ) : null}
      </Group>
      <Line points={[x, 0, x, height]} stroke="#ff4d4d" strokeWidth={1.5} />
      <Rect x={x - 5} y={top} width={10} height={10} fill="#ff4d4d" cornerRadius={2} />
    </Layer>
  );
}

export function Timecode({ rate }: { rate: { num: number; den: number } }) {
  const { frame } = usePlayback();
  return (
    <output className="timecode" aria-label="Playhead timecode">
      {framesToTimecode(frame, rate)}
    </output>
  );
}

/** The in and out marks (I, O) as timecode, for the eye and for screen readers. */
export function Marks() {
  const rate = useAppSelector((s) => s.doc.meta?.rate ?? { num: 24, den: 1 });
  const { inFrame, outFrame } = usePlayback();
  return (
    <span className="marks muted small">
      In{' '}
      <output className="timecode" aria-label="Mark in">
        {inFrame === null ? '—' : framesToTimecode(inFrame, rate)}
      </output>{' '}
      Out{' '}
      <output className="timecode" aria-label="Mark out">
        {outFrame === null ? '—' : framesToTimecode(outFrame, rate)}
      </output>
    </span>
  );
}
