import { describe, expect, it } from 'vitest';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { planPrevizShot } from '../../engine/generate/previz/previz-backend.js';
import { parse, sampleProject } from './fixtures.js';

describe('previz continuity: every shot is a camera on one simulation', () => {
  it('two shots covering the same scene time see exactly the same world positions', async () => {
    const input = sampleProject({ firstSceneOnly: true });
    const scene = input.scenes![0]!;
    // Coverage: a close-up over the wide's second half, from another angle.
    scene.shots!.push({
      id: 'cover',
      number: '1A',
      sceneStart: 48,
      duration: 72,
      camera: { position: [-2, 1.2, 2], target: [0.8, 0.9, 0.4], lensMm: 85, move: { type: 'orbit', amount: 20 } },
    });
    const doc = parse(input);
    const wide = await planPrevizShot(buildShotRequest(doc, 's1'));
    const cover = await planPrevizShot(buildShotRequest(doc, 'cover'));
    let compared = 0;
    for (let f = 48; f < 96; f++) {
      const a = wide.frames.specs[f]!;
      const b = cover.frames.specs[f - 48]!;
      expect(b.props.map((p) => [p.id, p.position, p.rotation])).toEqual(a.props.map((p) => [p.id, p.position, p.rotation]));
      expect(b.characters.map((c) => [c.id, c.pose.position, c.pose.facingDeg, c.pose.hand])).toEqual(
        a.characters.map((c) => [c.id, c.pose.position, c.pose.facingDeg, c.pose.hand]),
      );
      compared++;
    }
    expect(compared).toBe(48);
    // The cameras differ, so the same objects land on different screen boxes.
    expect(cover.frames.tracks[0]!.boxes.cup).not.toEqual(wide.frames.tracks[48]!.boxes.cup);
  });

  it('after a cut, objects continue from where the previous shot left them', async () => {
    const doc = parse(sampleProject({ firstSceneOnly: true }));
    const [s1, s2, s3] = await Promise.all(['s1', 's2', 's3'].map((id) => planPrevizShot(buildShotRequest(doc, id))));
    const sim = s1!.sim;
    expect(s2!.sim).toBe(sim); // one simulation per scene
    const last = (p: typeof s1) => p!.frames.specs[p!.frames.specs.length - 1]!;
    for (const [prev, next, cut] of [
      [s1, s2, 96],
      [s2, s3, 168],
    ] as const) {
      for (const p of next!.frames.specs[0]!.props) {
        // The first frame of the next shot is the simulation's state at the cut…
        expect(p.position).toEqual(sim.world[cut]!.props[p.id]!.position);
        // …one frame after the last frame of the previous shot.
        const before = last(prev).props.find((q) => q.id === p.id)!;
        expect(before.position).toEqual(sim.world[cut - 1]!.props[p.id]!.position);
      }
    }
    // The cup fell in shot 2 and lies on the floor, unmoved, across the cut to shot 3.
    const cupEnd2 = last(s2).props.find((p) => p.id === 'cup')!;
    const cupStart3 = s3!.frames.specs[0]!.props.find((p) => p.id === 'cup')!;
    expect(cupEnd2.position[1]).toBeLessThan(0.1);
    expect(cupStart3.position).toEqual(cupEnd2.position);
    const contacts = sim.contacts.filter((c) => c.a === 'cup' && c.b === 'floor');
    expect(contacts.length).toBeGreaterThan(0);
    expect(contacts[0]!.sceneFrame).toBeGreaterThanOrEqual(96);
    expect(contacts[0]!.sceneFrame).toBeLessThan(168);
  });
});
