/**
 * The timeline follows the selection and the playhead: the scroll arithmetic
 * (scrollToReveal, pageToPlayhead) and the view's reveal / followPlayhead.
 */
import { describe, expect, it } from 'vitest';
import { pageToPlayhead, scrollToReveal } from '../../renderer/src/timeline/geometry.js';
import { TimelineView } from '../../renderer/src/timeline/timeline-view.js';

const timelineView = new TimelineView();

describe('scrollToReveal', () => {
  it('does not move when the span is in view', () => {
    expect(scrollToReveal(100, 200, 50, 400, 24)).toBe(50);
    expect(scrollToReveal(50, 450, 50, 400, 24)).toBe(50);
  });

  it('brings a span after the view in at the right edge, with the margin', () => {
    expect(scrollToReveal(500, 600, 0, 400, 24)).toBe(224);
    // partly visible: the least move that shows it whole
    expect(scrollToReveal(380, 420, 0, 400, 10)).toBe(30);
  });

  it('brings a span before the view in at the left edge, never below 0', () => {
    expect(scrollToReveal(100, 150, 300, 400, 24)).toBe(76);
    expect(scrollToReveal(10, 50, 300, 400, 24)).toBe(0);
  });

  it('shows the start of a span longer than the view, unless it fills the view', () => {
    expect(scrollToReveal(1000, 3000, 0, 400, 24)).toBe(976);
    expect(scrollToReveal(1000, 3000, 1500, 400, 24)).toBe(1500);
    expect(scrollToReveal(1000, 3000, 800, 400, 24)).toBe(976);
  });

  it('works for vertical track spans without margin', () => {
    // a 40 px lane at 208 in a 200 px high view scrolled to 0
    expect(scrollToReveal(208, 248, 0, 200)).toBe(48);
    expect(scrollToReveal(24, 88, 48, 200)).toBe(24);
  });
});

describe('pageToPlayhead', () => {
  it('stays while the playhead is in view', () => {
    expect(pageToPlayhead(0, 0, 400, 16)).toBe(0);
    expect(pageToPlayhead(399, 0, 400, 16)).toBe(0);
  });

  it('turns a page forward when the playhead passes the right edge', () => {
    expect(pageToPlayhead(400, 0, 400, 16)).toBe(384);
    expect(pageToPlayhead(401, 0, 400, 16)).toBe(385);
  });

  it('turns a page back when the playhead goes before the left edge', () => {
    expect(pageToPlayhead(799, 800, 400, 16)).toBe(415);
    expect(pageToPlayhead(0, 800, 400, 16)).toBe(0);
  });

  it('keeps the margin small in a narrow view', () => {
    expect(pageToPlayhead(100, 0, 40, 16)).toBe(90);
  });
});

describe('timeline view', () => {
  it('reveals frames and pages along with the playhead', () => {
    timelineView.fit(850, 1000); // 85% of 1000 px for 850 frames: 1 px a frame
    expect(timelineView.get()).toEqual({ ppf: 1, scrollX: 0 });
    timelineView.reveal(100, 200, 1000);
    expect(timelineView.get().scrollX).toBe(0);
    const before = timelineView.get();
    timelineView.followPlayhead(500, 1000);
    expect(timelineView.get()).toBe(before); // nothing changed, no new state
    timelineView.reveal(1100, 1200, 1000);
    expect(timelineView.get().scrollX).toBe(224);
    timelineView.followPlayhead(1230, 1000);
    expect(timelineView.get().scrollX).toBe(1214);
    timelineView.followPlayhead(0, 1000);
    expect(timelineView.get().scrollX).toBe(0);
  });
});
