/** Small projects for the previz tests: the sample project at 320x180, or a one-scene physics lab. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/env.js';
import { ProjectSchema, SCHEMA_VERSION, type Project, type ProjectInput } from '../../engine/model/schema.js';

export function sampleProject(opts: { width?: number; height?: number; firstSceneOnly?: boolean; clips?: string[] } = {}): ProjectInput {
  const j = JSON.parse(readFileSync(join(ROOT, 'assets', 'templates', 'two-scenes', 'project.klappe'), 'utf8'));
  j.sequence.width = opts.width ?? 320;
  j.sequence.height = opts.height ?? 180;
  if (opts.firstSceneOnly) {
    j.scenes = j.scenes.slice(0, 1);
    const keep = new Set(j.scenes[0].shots.map((s: { id: string }) => s.id));
    for (const t of j.sequence.tracks)
      t.clips = t.clips.filter((c: { source: { shotId?: string } }) => !c.source.shotId || keep.has(c.source.shotId));
    j.lines = j.lines.filter((l: { shotId?: string }) => !l.shotId || keep.has(l.shotId));
  }
  if (opts.clips) {
    // Only these clips, back to back.
    let at = 0;
    for (const t of j.sequence.tracks) {
      t.clips = t.clips.filter((c: { id: string }) => opts.clips!.includes(c.id));
      for (const c of t.clips) {
        c.recordStart = at;
        at += c.duration;
      }
    }
  }
  return j;
}

export function parse(doc: ProjectInput): Project {
  return ProjectSchema.parse(doc);
}

/** A bare room with one ball per restitution, dropped from `dropHeight` (bottom of the ball above the floor). */
export function dropLab(restitutions: number[], dropHeight: number, rate = { num: 120, den: 1 }): Project {
  return parse({
    schemaVersion: SCHEMA_VERSION,
    id: 'lab',
    name: 'Lab',
    createdAt: '2026-01-01T00:00:00.000Z',
    characters: [],
    scenes: [
      {
        id: 'lab',
        number: '1',
        set: { kind: 'room', width: 12, depth: 6 },
        props: restitutions.map((r, i) => ({
          id: `ball${i}`,
          kind: 'ball',
          name: `ball ${i}`,
          position: [-4 + i * 2, dropHeight + 0.11, 0],
          restitution: r,
        })),
        physics: { stepHz: 960, seed: 1 },
        shots: [{ id: 'drop', number: '1', sceneStart: 0, duration: rate.num * 3, camera: { position: [0, 1.5, 5], target: [0, 0.8, 0] } }],
      },
    ],
    sequence: { id: 'seq', rate, width: 64, height: 36, tracks: [] },
  });
}
