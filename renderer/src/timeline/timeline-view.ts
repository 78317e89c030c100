/** Timeline zoom and scroll: view state outside the store (it changes on every wheel tick). One per editor (editor.timelineView). */
import { pageToPlayhead, scrollToReveal } from './geometry.js';

export interface TimelineViewState {
  /** Pixels per frame. */
  ppf: number;
  /** Scroll offset in pixels. */
  scrollX: number;
}

/** Room left beside a clip scrolled into view, and before the playhead on a new page. */
const REVEAL_MARGIN_PX = 24;
const PAGE_MARGIN_PX = 16;

export class TimelineView {
  private state: TimelineViewState = { ppf: 3, scrollX: 0 };
  private readonly listeners = new Set<() => void>();
  get = () => this.state;
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  };
  private set(patch: Partial<TimelineViewState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }
  zoom(factor: number, anchorPx = 0): void {
    const ppf = Math.min(40, Math.max(0.05, this.state.ppf * factor));
    const frameAtAnchor = (this.state.scrollX + anchorPx) / this.state.ppf;
    this.set({ ppf, scrollX: Math.max(0, frameAtAnchor * ppf - anchorPx) });
  }
  scrollBy(dx: number): void {
    this.set({ scrollX: Math.max(0, this.state.scrollX + dx) });
  }
  /** Shows the whole sequence in `widthPx`, with room to drag past its end. */
  fit(endFrames: number, widthPx: number): void {
    if (endFrames > 0) this.set({ ppf: Math.min(40, Math.max(0.05, (widthPx * 0.85) / endFrames)), scrollX: 0 });
  }

  scrollTo(x: number): void {
    this.set({ scrollX: Math.max(0, x) });
  }

  /** Scrolls as little as needed for frames [from, to] to show in `widthPx` (a selected clip). */
  reveal(from: number, to: number, widthPx: number): void {
    const { ppf, scrollX } = this.state;
    const x = scrollToReveal(from * ppf, to * ppf, scrollX, widthPx, REVEAL_MARGIN_PX);
    if (x !== scrollX) this.set({ scrollX: x });
  }

  /** Pages along when the playhead at `frame` is off the `widthPx` wide view (playback, steps, jumps). */
  followPlayhead(frame: number, widthPx: number): void {
    const { ppf, scrollX } = this.state;
    const x = pageToPlayhead(frame * ppf, scrollX, widthPx, PAGE_MARGIN_PX);
    if (x !== scrollX) this.set({ scrollX: x });
  }
}
