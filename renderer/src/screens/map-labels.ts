/**
 * Where the blocking map writes each camera's label so that no two labels overlap: beside its camera where there is
 * room, else a little farther out round it. Pure (the map and its unit test use it).
 */

export interface LabelBox {
  /** The point the label belongs to (the camera), px. */
  x: number;
  y: number;
  /** The label's size, px. */
  width: number;
  height: number;
}

export interface PlacedLabel {
  /** Top-left corner of the label, px. */
  x: number;
  y: number;
}

/** The width of a label of `text` in a sans-serif font of `fontSize` px (an estimate on the wide side). */
export function labelWidth(text: string, fontSize: number): number {
  return Math.ceil(text.length * fontSize * 0.62) + 4;
}

const overlaps = (a: PlacedLabel & { width: number; height: number }, b: PlacedLabel & { width: number; height: number }) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * A place for every label, in order: the first spot round its point (right, left, below, above, the corners; then the
 * same a step farther out) that overlaps no label placed before it and stays within `bounds` when given. When none is
 * free, the spot that overlaps the fewest.
 */
export function placeLabels(
  labels: readonly LabelBox[],
  bounds?: { width: number; height: number },
  gap = 14,
  /** What is drawn there already (other labels, markers): boxes with their top-left corner. */
  taken: ReadonlyArray<PlacedLabel & { width: number; height: number }> = [],
): PlacedLabel[] {
  const placed: Array<PlacedLabel & { width: number; height: number }> = [...taken];
  for (const l of labels) {
    const spots: PlacedLabel[] = [];
    for (let ring = 0; ring < 8; ring++) {
      const d = gap + ring * (l.height + 2);
      spots.push(
        { x: l.x + d, y: l.y - l.height / 2 },
        { x: l.x - d - l.width, y: l.y - l.height / 2 },
        { x: l.x - l.width / 2, y: l.y + d },
        { x: l.x - l.width / 2, y: l.y - d - l.height },
        { x: l.x + d, y: l.y + d / 2 },
        { x: l.x + d, y: l.y - d / 2 - l.height },
        { x: l.x - d - l.width, y: l.y + d / 2 },
        { x: l.x - d - l.width, y: l.y - d / 2 - l.height },
      );
    }
    const inside = (s: PlacedLabel) =>
      !bounds || (s.x >= 0 && s.y >= 0 && s.x + l.width <= bounds.width && s.y + l.height <= bounds.height);
    const box = (s: PlacedLabel) => ({ ...s, width: l.width, height: l.height });
    const clashes = (s: PlacedLabel) => placed.filter((p) => overlaps(box(s), p)).length;
    const free = spots.find((s) => inside(s) && clashes(s) === 0) ?? spots.find((s) => clashes(s) === 0);
    const spot = free ?? spots.reduce((a, s) => (clashes(s) < clashes(a) ? s : a));
    placed.push(box(spot));
  }
  return placed.slice(taken.length).map(({ x, y }) => ({ x, y }));
}
