/**
 * A scene's blocking over time for the blocking map's timeline: the previz's own simulation of the scene (the one
 * its shots are drawn from), reduced to where each character and prop is on the floor, frame by frame.
 */
import { simulateScene } from '../generate/previz/simulate.js';
import { sceneInput } from '../generate/shot-request.js';
import { withLines } from '../model/lines.js';
import { findScene } from '../model/lookup.js';
import { ShotSchema, type Project } from '../model/schema.js';
import { inputError } from '../common/errors.js';
import type { SceneBlockingView } from './contract.js';

/** At most this many poses per item (a longer scene is sampled every few frames). */
const MAX_POSES = 2400;
const cm = (n: number) => Math.round(n * 100) / 100;

export async function sceneBlocking(doc: Project, sceneId: string): Promise<SceneBlockingView> {
  const scene = findScene(doc, sceneId);
  if (!scene) throw inputError('NOT_FOUND', `no scene with id "${sceneId}"`, { path: 'params.sceneId' });
  const placed = new Set(scene.marks.map((m) => m.characterId));
  const characters = doc.characters.filter((c) => placed.has(c.id));
  // the simulation runs to the end of the last shot; the map's timeline also shows actions after it (and before any shot)
  const fps = doc.sequence.rate.num / doc.sequence.rate.den;
  const shotsEnd = scene.shots.reduce((m, s) => Math.max(m, s.sceneStart + s.duration), 0);
  const actionsEnd = scene.actions.reduce((m, a) => Math.max(m, a.at + (a.duration ?? Math.round(3 * fps))), 0) + Math.round(fps);
  const shots = withLines(doc, scene.shots);
  if (actionsEnd > shotsEnd || !shots.length)
    shots.push({
      ...ShotSchema.parse({
        id: 'blocking-extent',
        number: '0',
        duration: Math.max(actionsEnd, Math.round(2 * fps)),
        camera: { position: [0, 1.6, 5], target: [0, 1.2, 0] },
      }),
      dialogue: [],
    });
  const sim = await simulateScene(sceneInput(scene, shots), characters, doc.sequence.rate);
  const step = Math.max(1, Math.ceil(sim.frames / MAX_POSES));
  const view: SceneBlockingView = { sceneId, frames: sim.frames, step, characters: {}, props: {} };
  for (let f = 0; f < sim.world.length; f += step) {
    const w = sim.world[f]!;
    for (const [id, pose] of Object.entries(w.characters))
      (view.characters[id] ??= []).push([cm(pose.position[0]), cm(pose.position[2]), Math.round(pose.facingDeg)]);
    for (const [id, pose] of Object.entries(w.props)) (view.props[id] ??= []).push([cm(pose.position[0]), cm(pose.position[2])]);
  }
  return view;
}
