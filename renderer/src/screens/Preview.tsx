/**
 * Plays the sequence: the top video clip under the playhead, seeked to the
 * exact frame, and the sequence's sound (every track, mixed by the engine as
 * the export mixes it) kept on the same clock. Until the first mix is ready
 * the video clip plays its own sound.
 */
import { useEffect, useMemo, useRef } from 'react';
import { framesToTimecode } from '../../../engine/common/time.js';
import { clipsSel, currentTakes, sequenceEnd, takesSel, tracksSel } from '../store/selectors.js';
import { useAppSelector } from '../store/store.js';
import { useEditor, usePlayback, usePreviewMix } from '../editor/context.js';
import { useMixOnChange } from './preview-mix.js';

export function Preview() {
  const editor = useEditor();
  const tracks = useAppSelector(tracksSel.selectAll);
  const clips = useAppSelector(clipsSel.selectEntities);
  const current = useAppSelector(currentTakes);
  const takes = useAppSelector(takesSel.selectEntities);
  const rate = useAppSelector((s) => s.doc.meta?.rate ?? { num: 24, den: 1 });
  const meta = useAppSelector((s) => s.doc.meta);
  const end = useAppSelector(sequenceEnd);
  const { frame, speed } = usePlayback();
  const fps = rate.num / rate.den;
  const videoRef = useRef<HTMLVideoElement>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  useMixOnChange();
  const mix = usePreviewMix();

  const videoClips = useMemo(
    () =>
      tracks
        .filter((t) => t.kind === 'video')
        .reverse()
        .flatMap((t) => (t.muted ? [] : t.clipIds.map((id) => clips[id]!).filter(Boolean))),
    [tracks, clips],
  );
  const clip = videoClips.find((c) => frame >= c.recordStart && frame < c.recordStart + c.duration);
  const take = clip
    ? clip.source.type === 'shot'
      ? current.get(clip.source.shotId)
      : clip.source.type === 'take'
        ? takes[clip.source.takeId]
        : undefined
    : undefined;
  const src = editor.mediaUrl(take?.media.video);
  const sourceFrame = clip ? clip.sourceStart + (frame - clip.recordStart) : 0;

  useEffect(() => {
    const v = videoRef.current;
    if (!v || !src) return;
    const want = (sourceFrame + 0.5) / fps;
    if (speed === 1) {
      if (Math.abs(v.currentTime - want) > 0.12) v.currentTime = want;
      if (v.paused) void v.play().catch(() => {});
    } else {
      if (!v.paused) v.pause();
      if (Math.abs(v.currentTime - want) > 0.5 / fps) v.currentTime = want;
    }
  }, [src, sourceFrame, speed, fps]);

  useEffect(() => {
    const a = audioRef.current;
    if (!a || !mix.url) return;
    const want = frame / fps;
    if (speed === 1 && frame < end) {
      if (Math.abs(a.currentTime - want) > 0.08) a.currentTime = want;
      if (a.paused) void a.play().catch(() => {});
    } else {
      if (!a.paused) a.pause();
      if (Math.abs(a.currentTime - want) > 0.5 / fps) a.currentTime = want;
    }
  }, [mix.url, frame, speed, fps, end]);

  return (
    <section className="preview" aria-label="Preview">
      <div className="preview-frame" style={{ aspectRatio: meta ? `${meta.width} / ${meta.height}` : '16 / 9' }}>
        {src ? (
          <video ref={videoRef} src={src} preload="auto" aria-label="Preview video" playsInline muted={!!mix.url} />
        ) : (
          <div className="preview-empty">{clip ? 'No take yet — generate this shot' : 'No clip at the playhead'}</div>
        )}
        {mix.url ? <audio ref={audioRef} src={mix.url} preload="auto" aria-label="Preview sound" data-version={mix.version} /> : null}
      </div>
      <div className="transport" role="toolbar" aria-label="Transport">
        <button
          type="button"
          aria-label="Go to start"
          title="Home"
          onClick={() => {
            editor.playback.pause();
            editor.playback.seek(0);
          }}
        >
          |◀◀
        </button>
        <button type="button" aria-label="Previous frame" title="←" onClick={() => editor.playback.step(-1)}>
          ◀︎|
        </button>
        <button
          type="button"
          aria-label={speed === 0 ? 'Play' : 'Pause'}
          title="Space"
          className="primary"
          onClick={() => editor.playback.togglePlay()}
        >
          {speed === 0 ? '▶' : '❚❚'}
        </button>
        <button type="button" aria-label="Next frame" title="→" onClick={() => editor.playback.step(1)}>
          |▶︎
        </button>
        <output className="timecode big" aria-label="Timecode">
          {framesToTimecode(frame, rate)}
        </output>
        <span className="muted">/ {framesToTimecode(end, rate)}</span>
        <span
          className="muted"
          aria-label="Preview sound status"
          title="The preview plays every track's sound, mixed as the export mixes it"
        >
          {mix.error ? 'sound: not mixed' : mix.pending ? 'mixing sound…' : mix.url ? 'sound: mixed' : 'no sound'}
        </span>
        {speed !== 0 && speed !== 1 ? <span className="badge">{speed > 0 ? `${speed}×` : `◀ ${-speed}×`}</span> : null}
      </div>
    </section>
  );
}
