/** Dragging a clip: its start or end snaps to frame 0, the playhead and other clips' edges (renderer/src/timeline/geometry.ts). */
import { describe, expect, it } from 'vitest';
import { SNAP_PX, snapFrame, snapMove } from '../../renderer/src/timeline/geometry.js';

describe('snapMove', () => {
  it('a clip dragged near the start lands on frame 0, never before it', () => {
    expect(snapMove(2, 96, [], 2)).toBe(0);
    expect(snapMove(-30, 96, [], 2)).toBe(0);
    expect(snapMove(0, 96, [], 2)).toBe(0);
  });

  it("a start exactly on frame 0 stays there even when its end is near another clip's edge", () => {
    // the end (96) is 2 frames from an edge at 98: before, the end won and the clip landed on frame 2
    expect(snapMove(0, 96, [98], 2)).toBe(0);
  });

  it('the nearer of start and end wins, in pixels', () => {
    // start 3 frames from 100, end 1 frame from 200: the end snaps
    expect(snapMove(103, 96, [100, 200], 2)).toBe(104);
    // start 1 frame from 100, end 3 frames from 200 (end at 197)
    expect(snapMove(101, 96, [100, 200], 2)).toBe(100);
  });

  it("a clip's end meets the next clip's start, and nothing snaps from further than SNAP_PX", () => {
    expect(snapMove(150, 48, [200], 2)).toBe(152);
    const far = Math.ceil(SNAP_PX / 2) + 1; // frames beyond reach at 2 px a frame
    expect(snapMove(500 + far, 48, [500], 2)).toBe(500 + far);
  });

  it('snapFrame keeps a frame with no target in reach', () => {
    expect(snapFrame(50, [0, 100], 1)).toBe(50);
    expect(snapFrame(95, [0, 100], 1)).toBe(100);
  });
});
