import { describe, expect, it } from 'vitest';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { simulateScene } from '../../engine/generate/previz/simulate.js';
import { dropLab } from './fixtures.js';

describe('previz physics', () => {
  it('a dropped ball lands after the free-fall time sqrt(2h/g), within 2%', async () => {
    const h = 1.5;
    const doc = dropLab([0.5], h);
    const r = buildShotRequest(doc, 'drop');
    const sim = await simulateScene(r.scene, doc.characters, r.rate);
    const first = sim.contacts.find((c) => c.kind === 'impact' && c.a === 'ball0' && c.b === 'floor');
    expect(first).toBeDefined();
    const measured = first!.sceneSample / 48000;
    const expected = Math.sqrt((2 * h) / 9.81);
    expect(Math.abs(measured - expected) / expected).toBeLessThan(0.02);
  });

  it('bounce heights decrease with restitution, and each bounce is lower than the one before', async () => {
    const rs = [0.3, 0.6, 0.9];
    const doc = dropLab(rs, 1.0);
    const r = buildShotRequest(doc, 'drop');
    const sim = await simulateScene(r.scene, doc.characters, r.rate);
    const peaks = rs.map((_, i) => bouncePeaks(sim.world.map((w) => w.props[`ball${i}`]!.position[1] - 0.11)));
    // First rebound height grows with restitution (about e² × h).
    expect(peaks[0]![0]!).toBeLessThan(peaks[1]![0]!);
    expect(peaks[1]![0]!).toBeLessThan(peaks[2]![0]!);
    expect(peaks[2]![0]!).toBeLessThan(1.0);
    expect(peaks[2]![0]!).toBeGreaterThan(0.9 * 0.9 * 1.0 * 0.8);
    for (const p of peaks) for (let k = 1; k < Math.min(3, p.length); k++) expect(p[k]!).toBeLessThan(p[k - 1]!);
  });
});

/** Heights of the local maxima after the first landing. */
function bouncePeaks(heights: number[]): number[] {
  const peaks: number[] = [];
  let landed = false;
  for (let i = 1; i < heights.length - 1; i++) {
    if (!landed && heights[i]! < 0.01) landed = true;
    if (landed && heights[i]! > heights[i - 1]! && heights[i]! >= heights[i + 1]! && heights[i]! > 0.005) peaks.push(heights[i]!);
  }
  return peaks;
}
