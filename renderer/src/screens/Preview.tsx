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
import { transitionAt, transitionStyle } from './preview-transition.js';
import type { Clip } from '../../../engine/model/schema.js';

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

  const videoTracks = useMemo(
    () =>
      tracks
        .filter((t) => t.kind === 'video')
        .reverse()
        .map((t) => (t.muted ? [] : t.clipIds.map((id) => clips[id]!).filter(Boolean))),
    [tracks, clips],
  );
  const videoClips = useMemo(() => videoTracks.flat(), [videoTracks]);
  // a transition at the playhead shows both clips, blended as the export blends them
  const transition = transitionAt(videoTracks, frame);
  const clip = transition?.from ?? videoClips.find((c) => frame >= c.recordStart && frame < c.recordStart + c.duration);
  const videoOf = (c: Clip | undefined) => {
    const take = c
      ? c.source.type === 'shot'
        ? current.get(c.source.shotId)
        : c.source.type === 'take'
          ? takes[c.source.takeId]
          : undefined
      : undefined;
    return editor.mediaUrl(take?.media.video);
  };
  const src = videoOf(clip);
  // past the outgoing clip's out point its last frame holds (the video element stops there); the incoming one starts early
  const sourceFrame = clip ? clip.sourceStart + (frame - clip.recordStart) : 0;
  const incomingRef = useRef<HTMLVideoElement>(null);
  const incomingSrc = transition ? videoOf(transition.to) : undefined;
  const incomingFrame = transition ? Math.max(0, transition.to.sourceStart + (frame - transition.to.recordStart)) : 0;
  const look = transition ? transitionStyle(transition.kind, transition.progress) : undefined;

  useVideoAt(videoRef, src, sourceFrame, speed, fps);
  useVideoAt(incomingRef, incomingSrc, incomingFrame, speed, fps);

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
        {transition && incomingSrc ? (
          <video
            ref={incomingRef}
            src={incomingSrc}
            preload="auto"
            aria-label="Preview incoming video"
            data-transition={transition.kind}
            data-progress={transition.progress.toFixed(3)}
            playsInline
            muted
            className="preview-layer"
            style={look!.incoming}
          />
        ) : null}
        {look && look.black > 0 ? <div className="preview-layer preview-black" style={{ opacity: look.black }} /> : null}
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

/** Keeps a video element on a source frame: seeked while paused or scrubbing, playing along (resynced) at speed 1. */
function useVideoAt(
  ref: React.RefObject<HTMLVideoElement | null>,
  src: string | undefined,
  sourceFrame: number,
  speed: number,
  fps: number,
): void {
  useEffect(() => {
    const v = ref.current;
    if (!v || !src) return;
    const want = (sourceFrame + 0.5) / fps;
    if (speed === 1) {
      if (Math.abs(v.currentTime - want) > 0.12) v.currentTime = want;
      if (v.paused) void v.play().catch(() => {});
    } else {
      if (!v.paused) v.pause();
      if (Math.abs(v.currentTime - want) > 0.5 / fps) v.currentTime = want;
    }
  }, [ref, src, sourceFrame, speed, fps]);
}
