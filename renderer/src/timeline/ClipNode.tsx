/** One clip on the Konva timeline: filmstrip, waveform, label, move and trim with snapping; one command per drag. */
import { memo, useState } from 'react';
import { Group, Line, Rect, Text } from 'react-konva';
import type { ClipEntity } from '../store/doc-slice.js';
import type { TrackKind } from '../../../engine/model/schema.js';
import { snapFrame, snapMove, TRACK_COLORS } from './geometry.js';
import { useImage, usePeaks } from './media-cache.js';

export interface ClipNodeProps {
  clip: ClipEntity;
  kind: TrackKind;
  label: string;
  top: number;
  height: number;
  ppf: number;
  scrollX: number;
  fps: number;
  selected: boolean;
  thumbUrl?: string;
  audioUrl?: string;
  /** Edges to snap to: the playhead and every clip's edges, less those of the clip `except`. */
  snapTargets: (except?: string) => number[];
  onSelect(id: string): void;
  onMove(id: string, recordStart: number): void;
  onTrim(id: string, edge: 'start' | 'end', delta: number): void;
}

const HANDLE = 7;

export const ClipNode = memo(function ClipNode(p: ClipNodeProps) {
  const { clip, ppf, scrollX } = p;
  const [trim, setTrim] = useState<{ edge: 'start' | 'end'; delta: number } | null>(null);
  const startDelta = trim?.edge === 'start' ? trim.delta : 0;
  const endDelta = trim?.edge === 'end' ? trim.delta : 0;
  const x = (clip.recordStart + startDelta) * ppf - scrollX;
  const width = Math.max(2, (clip.duration - startDelta + endDelta) * ppf);
  const colors = TRACK_COLORS[p.kind];
  const img = useImage(p.thumbUrl);
  const peaks = usePeaks(p.audioUrl);
  const h = p.height - 4;

  const waveform = (() => {
    if (!peaks || width < 8) return null;
    const waveH = p.kind === 'video' ? h * 0.3 : h * 0.7;
    const base = p.kind === 'video' ? h - waveH / 2 - 2 : h / 2;
    const pts: number[] = [];
    const perFrame = 50 / p.fps;
    const step = Math.max(1, Math.floor(width / 400));
    for (let px = 0; px < width; px += step) {
      const frame = clip.sourceStart + startDelta + px / ppf;
      const v = peaks[Math.floor(frame * perFrame)] ?? 0;
      pts.push(px, base - (v * waveH) / 2);
    }
    for (let px = Math.floor(width / step) * step; px >= 0; px -= step) {
      const frame = clip.sourceStart + startDelta + px / ppf;
      const v = peaks[Math.floor(frame * perFrame)] ?? 0;
      pts.push(px, base + (v * waveH) / 2);
    }
    return <Line points={pts} closed fill="rgba(255,255,255,0.55)" listening={false} />;
  })();

  const frameFromX = (px: number) => Math.round((px + scrollX) / ppf);

  return (
    <Group
      id={`clip-${clip.id}`}
      x={x}
      y={p.top + 2}
      draggable={!trim}
      dragBoundFunc={(pos) => {
        const best = snapMove(frameFromX(pos.x), clip.duration, p.snapTargets(clip.id), ppf);
        return { x: best * ppf - scrollX, y: pos.y * 0 + p.top + 2 };
      }}
      onDragEnd={(e) => {
        const frame = Math.max(0, frameFromX(e.target.x()));
        e.target.x(x);
        if (frame !== clip.recordStart) p.onMove(clip.id, frame);
      }}
      onMouseDown={() => p.onSelect(clip.id)}
      onTap={() => p.onSelect(clip.id)}
    >
      <Rect
        width={width}
        height={h}
        fill={colors.fill}
        stroke={p.selected ? '#ffd34d' : colors.stroke}
        strokeWidth={p.selected ? 2 : 1}
        cornerRadius={3}
      />
      {img && p.kind === 'video' && width > 4 ? (
        <Rect
          x={1}
          y={1}
          width={width - 2}
          height={h - 2}
          fillPatternImage={img}
          fillPatternRepeat="repeat-x"
          fillPatternScale={{ x: (h - 2) / img.height, y: (h - 2) / img.height }}
          opacity={0.75}
          listening={false}
        />
      ) : null}
      {waveform}
      {width > 30 ? (
        <Text
          x={5}
          y={4}
          text={p.label}
          fontSize={11}
          fill={colors.text}
          width={width - 10}
          ellipsis
          wrap="none"
          listening={false}
          shadowColor="#000"
          shadowBlur={2}
          shadowOpacity={0.8}
        />
      ) : null}
      {(['start', 'end'] as const).map((edge) => (
        <Rect
          key={edge}
          name={`trim-${edge}`}
          x={edge === 'start' ? 0 : width - HANDLE}
          y={0}
          width={HANDLE}
          height={h}
          fill={p.selected ? 'rgba(255,211,77,0.5)' : 'rgba(255,255,255,0.08)'}
          draggable
          onMouseEnter={(e) => {
            const s = e.target.getStage();
            if (s) s.container().style.cursor = 'ew-resize';
          }}
          onMouseLeave={(e) => {
            const s = e.target.getStage();
            if (s) s.container().style.cursor = '';
          }}
          dragBoundFunc={(pos) => ({ x: pos.x, y: p.top + 2 })}
          onDragStart={(e) => {
            e.cancelBubble = true;
            p.onSelect(clip.id);
          }}
          onDragMove={(e) => {
            e.cancelBubble = true;
            const abs = e.target.getAbsolutePosition().x + (edge === 'end' ? HANDLE : 0);
            const edgeFrame = snapFrame(frameFromX(abs), p.snapTargets(), ppf);
            const delta =
              edge === 'start'
                ? Math.min(edgeFrame - clip.recordStart, clip.duration - 1)
                : Math.max(edgeFrame - (clip.recordStart + clip.duration), 1 - clip.duration);
            setTrim({ edge, delta: edge === 'start' ? Math.max(delta, -Math.min(clip.sourceStart, clip.recordStart)) : delta });
          }}
          onDragEnd={(e) => {
            e.cancelBubble = true;
            const delta = trim?.edge === edge ? trim.delta : 0;
            e.target.position({ x: edge === 'start' ? 0 : width - HANDLE, y: 0 });
            setTrim(null);
            if (delta !== 0) p.onTrim(clip.id, edge, delta);
          }}
        />
      ))}
    </Group>
  );
});
