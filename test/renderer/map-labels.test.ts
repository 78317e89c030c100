/** The blocking map's camera labels: placed so that none overlaps another, even for cameras stacked on one spot. */
import { describe, expect, it } from 'vitest';
import { labelWidth, placeLabels, type LabelBox } from '../../renderer/src/screens/map-labels.js';

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const clashes = (boxes: Box[]) => {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) if (overlap(boxes[i]!, boxes[j]!)) out.push(`${i}/${j}`);
  return out;
};

describe('camera labels on the blocking map', () => {
  const labels = (points: Array<[number, number]>): LabelBox[] =>
    points.map(([x, y], i) => ({ x, y, width: labelWidth(`▣ 3/${i + 1}`, 11), height: 14 }));

  it('five cameras stacked on one spot get five labels that do not overlap (a fixed offset puts them all on one place)', () => {
    const ls = labels(Array.from({ length: 5 }, () => [300, 200] as [number, number]));
    const fixed = ls.map((l) => ({ x: l.x + 16, y: l.y + 6, width: l.width, height: l.height }));
    expect(clashes(fixed).length).toBe(10); // what the map did before: every pair overlaps
    const placed = placeLabels(ls, { width: 800, height: 500 }).map((p, i) => ({ ...p, width: ls[i]!.width, height: ls[i]!.height }));
    expect(clashes(placed)).toEqual([]);
    // each stays near its camera and on the map
    for (const p of placed) {
      expect(Math.hypot(p.x + p.width / 2 - 300, p.y + p.height / 2 - 200)).toBeLessThan(120);
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeGreaterThanOrEqual(0);
    }
  });

  it('cameras close together, and one near the edge, keep their labels apart and on the map', () => {
    const ls = labels([
      [100, 100],
      [104, 103],
      [110, 98],
      [795, 250],
      [790, 255],
    ]);
    const placed = placeLabels(ls, { width: 800, height: 500 }).map((p, i) => ({ ...p, width: ls[i]!.width, height: ls[i]!.height }));
    expect(clashes(placed)).toEqual([]);
    for (const p of placed) expect(p.x + p.width).toBeLessThanOrEqual(800);
  });

  it('a lone camera keeps its label just right of it', () => {
    const [p] = placeLabels(labels([[50, 60]]));
    expect(p).toEqual({ x: 64, y: 53 });
  });
});
