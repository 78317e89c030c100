/**
 * The playhead, outside the store: it changes every frame during playback and
 * only the timeline, preview and timecode read it (useSyncExternalStore).
 * J/K/L shuttle: speed −4…4; in/out marks live here too. One per editor
 * (editor.playback; usePlayback() in editor/context.tsx).
 */

export interface PlaybackState {
  frame: number;
  /** 0 = paused; 1 = play; 2, 4 = fast forward; negative = reverse. */
  speed: number;
  inFrame: number | null;
  outFrame: number | null;
}

type Listener = () => void;

export class Playback {
  private state: PlaybackState = { frame: 0, speed: 0, inFrame: null, outFrame: null };
  private readonly listeners = new Set<Listener>();
  private fps = 24;
  private end = 0;
  private raf = 0;
  private lastTime = 0;
  private accum = 0;

  get = () => this.state;

  subscribe = (l: Listener) => {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  };

  configure(fps: number, end: number): void {
    this.fps = fps;
    this.end = end;
  }

  private set(patch: Partial<PlaybackState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }

  seek(frame: number): void {
    this.set({ frame: Math.max(0, Math.min(Math.round(frame), Math.max(0, this.end))) });
  }

  step(delta: number): void {
    this.pause();
    this.seek(this.state.frame + delta);
  }

  setSpeed(speed: number): void {
    this.set({ speed });
    cancelAnimationFrame(this.raf);
    if (speed !== 0) {
      if (speed > 0 && this.state.frame >= this.end) this.seek(0);
      this.lastTime = performance.now();
      this.accum = 0;
      this.raf = requestAnimationFrame(this.tick);
    }
  }

  togglePlay(): void {
    this.setSpeed(this.state.speed === 0 ? 1 : 0);
  }

  pause(): void {
    if (this.state.speed !== 0) this.setSpeed(0);
  }

  /** J: reverse, faster each press; L: forward, faster each press; K: stop. */
  shuttle(dir: -1 | 1): void {
    const s = this.state.speed;
    const next = Math.sign(s) === dir ? Math.min(Math.abs(s) * 2, 8) * dir : dir;
    this.setSpeed(next);
  }

  markIn(): void {
    this.set({ inFrame: this.state.frame });
  }
  markOut(): void {
    this.set({ outFrame: this.state.frame });
  }
  /** Both marks at once (a clip's span: out is its first frame after it). */
  setMarks(inFrame: number | null, outFrame: number | null): void {
    this.set({ inFrame, outFrame });
  }

  private tick = (now: number) => {
    const dt = (now - this.lastTime) / 1000;
    this.lastTime = now;
    this.accum += dt * this.fps * this.state.speed;
    const whole = Math.trunc(this.accum);
    if (whole !== 0) {
      this.accum -= whole;
      const next = this.state.frame + whole;
      if (next >= this.end || next <= 0) {
        this.seek(next);
        this.setSpeed(0);
        return;
      }
      this.seek(next);
    }
    this.raf = requestAnimationFrame(this.tick);
  };
}
