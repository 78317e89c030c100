/**
 * Prompts fill in what the storyboard leaves open. Every shot's prompt of the
 * scene is applied to the scene before it is simulated, so all shots of a
 * scene see the same world: a shot with no dialogue gets the parsed lines, a
 * shot whose time has no action gets the parsed actions, a static camera gets
 * the parsed move. The storyboard's own fields always win.
 */
import type { ShotWithLines } from '../../model/lines.js';
import type { Action, CameraMove, Character } from '../../model/schema.js';
import type { SceneInput } from './scene-input.js';
import type { PromptParse, PrevizSound } from './sound-port.js';

const MOVE_AMOUNT: Record<CameraMove['type'], number> = { static: 0, pan: 15, tilt: 8, dolly: 1, orbit: 25, handheld: 0.5 };

export interface PromptedScene {
  scene: SceneInput;
  /** Parse of every shot's prompt, by shot id. */
  parses: Record<string, PromptParse>;
}

export function applyPrompts(scene: SceneInput, characters: Character[], parsePrompt: PrevizSound['parsePrompt']): PromptedScene {
  const parses: Record<string, PromptParse> = {};
  const actions: Action[] = [...scene.actions];
  const marks = new Set(scene.marks.map((m) => m.characterId));
  const propIds = new Set(scene.props.map((p) => p.id));
  const shots: ShotWithLines[] = scene.shots.map((shot) => {
    if (!shot.prompt.trim()) return shot;
    const parse = parsePrompt(shot.prompt, { characters, props: scene.props });
    parses[shot.id] = parse;
    const out: ShotWithLines = { ...shot };
    if (!shot.dialogue.length && parse.dialogue.length) {
      out.dialogue = parse.dialogue
        .filter((d) => marks.has(d.characterId))
        .map((d, i) => ({ id: `${shot.id}-prompt-${i + 1}`, characterId: d.characterId, text: d.text }));
    }
    const end = shot.sceneStart + shot.duration;
    const busy = scene.actions.some((a) => a.at >= shot.sceneStart && a.at < end);
    if (!busy) {
      parse.actions.forEach((a, i) => {
        if (!marks.has(a.actorId)) return;
        if (a.targetId && !propIds.has(a.targetId) && !marks.has(a.targetId)) return;
        if (a.verb === 'walk' && !a.to) return;
        if (['pickup', 'putdown', 'drop', 'throw', 'push', 'open'].includes(a.verb) && !(a.targetId && propIds.has(a.targetId))) return;
        const at = shot.sceneStart + Math.min(shot.duration - 1, 6 + i * 24);
        actions.push({
          id: `${shot.id}-prompt-a${i + 1}`,
          at,
          actorId: a.actorId,
          verb: a.verb,
          ...(a.targetId ? { targetId: a.targetId } : {}),
          ...(a.to ? { to: a.to } : {}),
        });
      });
    }
    if (shot.camera.move.type === 'static' && shot.camera.move.amount === 0 && parse.camera.move && parse.camera.move !== 'static') {
      const sign = parse.camera.direction === 'out' || parse.camera.direction === 'left' || parse.camera.direction === 'down' ? -1 : 1;
      out.camera = { ...shot.camera, move: { type: parse.camera.move, amount: MOVE_AMOUNT[parse.camera.move] * sign } };
    }
    return out;
  });
  return { scene: { ...scene, actions, shots }, parses };
}
