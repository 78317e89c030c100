/** The preview's transition at a frame matches the export's: same span around the cut, same progress per frame. */
import { describe, expect, it } from 'vitest';
import type { Clip } from '../../engine/model/schema.js';
import { transitionAt, transitionStyle } from '../../renderer/src/screens/preview-transition.js';

const clip = (id: string, recordStart: number, duration: number, transitionOut?: Clip['transitionOut']): Clip =>
  ({ id, name: id, source: { type: 'media', mediaId: 'm' }, sourceStart: 0, recordStart, duration, transitionOut }) as Clip;

describe('preview transitions', () => {
  const a = clip('a', 0, 48, { kind: 'dissolve', before: 6, after: 6 });
  const b = clip('b', 48, 48);
  it('runs from before the cut to after it, progress (n + 1) / (frames + 1) as the export blends', () => {
    expect(transitionAt([[a, b]], 41)).toBeUndefined();
    expect(transitionAt([[a, b]], 42)).toMatchObject({ from: a, to: b, kind: 'dissolve', progress: 1 / 13 });
    expect(transitionAt([[a, b]], 48)!.progress).toBeCloseTo(7 / 13);
    expect(transitionAt([[a, b]], 53)!.progress).toBeCloseTo(12 / 13);
    expect(transitionAt([[a, b]], 54)).toBeUndefined();
  });
  it('not across a gap, and a clip on a higher track covers it', () => {
    expect(transitionAt([[a, clip('c', 50, 10)]], 48)).toBeUndefined();
    expect(transitionAt([[clip('top', 40, 20)], [a, b]], 48)).toBeUndefined();
    expect(transitionAt([[clip('top', 0, 10)], [a, b]], 48)?.to).toBe(b);
  });
  it('draws a dissolve as opacity, a wipe as a clip from the left, a dip through black', () => {
    expect(transitionStyle('dissolve', 0.5)).toEqual({ incoming: { opacity: '0.5' }, black: 0 });
    expect(transitionStyle('wipe', 0.25)).toEqual({ incoming: { clipPath: 'inset(0 75.000% 0 0)' }, black: 0 });
    expect(transitionStyle('dip-to-black', 0.25)).toEqual({ incoming: { opacity: '0' }, black: 0.5 });
    expect(transitionStyle('dip-to-black', 0.75)).toEqual({ incoming: { opacity: '1' }, black: 0.5 });
  });
});
