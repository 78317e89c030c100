/**
 * `klappe scene action add|list|update|remove|move PROJECT SCENE …`: a scene's actions (who walks where, picks up
 * what, when), the list the studio's Set panel edits, through the same typed commands.
 */
import { ACTION_VERBS, actionWords } from '../../common/action-words.js';
import { inputError } from '../../common/errors.js';
import { framesToSeconds, secondsToFramesRound } from '../../common/time.js';
import { characterNamed, sceneNamed } from '../../model/cast.js';
import type { CommandInput } from '../../model/commands/index.js';
import { loadProject } from '../../model/project-file.js';
import { ActionVerbSchema, type Action, type Project, type Scene } from '../../model/schema.js';
import { requirePositional, stringOption, type CliIO, type Options, type Parsed } from '../command.js';
import { editProject } from '../project-edit.js';

const USAGE =
  'klappe scene action add PROJECT SCENE --who NAME --does VERB [--at SECONDS|--frame N] [--target PROP|NAME] [--to X,Z] [--frames N] | scene action list PROJECT SCENE | scene action update PROJECT SCENE N [same options] | scene action remove PROJECT SCENE N | scene action move PROJECT SCENE N --index M';

export const ACTION_HELP = `Actions: ${USAGE}. N is the action's number in the list (or its id); VERB is ${ACTION_VERBS.map((v) => v.verb).join(', ')}; --to is a floor point in metres; move puts action N at place M and the actions keep the list's times.`;

export const ACTION_OPTIONS: Options = {
  who: { type: 'string' },
  does: { type: 'string' },
  at: { type: 'string' },
  frame: { type: 'string' },
  target: { type: 'string' },
  to: { type: 'string' },
  frames: { type: 'string' },
  index: { type: 'string' },
};

const bad = (message: string, path: string) => inputError('BAD_ARGUMENTS', message, { path, hint: `Usage: ${USAGE}` });

function names(doc: Project, scene: Scene) {
  return (id: string) => doc.characters.find((c) => c.id === id)?.name ?? scene.props.find((p) => p.id === id)?.name ?? id;
}

function places(scene: Scene) {
  return scene.props.map((p) => ({ id: p.id, name: p.name, at: [p.position[0], p.position[2]] as const }));
}

/** The action that N names: its number in the list (1…) or its id. */
function actionOf(scene: Scene, n: string): Action {
  const a = /^\d+$/.test(n) ? scene.actions[Number(n) - 1] : scene.actions.find((x) => x.id === n);
  if (!a)
    throw inputError('NOT_FOUND', `scene ${scene.number} has no action "${n}"`, {
      path: 'N',
      hint: scene.actions.length ? `It has ${scene.actions.length}: klappe scene action list PROJECT ${scene.number}` : 'It has none.',
    });
  return a;
}

/** The fields the options give, named by what people call things (names, seconds), for the document (ids, frames). */
function fields(doc: Project, scene: Scene, parsed: Parsed): Partial<Omit<Action, 'id'>> {
  const out: Partial<Omit<Action, 'id'>> = {};
  const who = stringOption(parsed, 'who');
  if (who !== undefined) out.actorId = characterNamed(doc, who, '--who').id;
  const does = stringOption(parsed, 'does');
  if (does !== undefined) {
    const v = ActionVerbSchema.safeParse(does);
    if (!v.success) throw bad(`--does is one of ${ACTION_VERBS.map((x) => x.verb).join(', ')}, not "${does}"`, '--does');
    out.verb = v.data;
  }
  const at = stringOption(parsed, 'at');
  const frame = stringOption(parsed, 'frame');
  if (at !== undefined) {
    const s = Number(at);
    if (!(s >= 0 && s <= 86_400)) throw bad(`--at is seconds from the scene's start, not "${at}"`, '--at');
    out.at = secondsToFramesRound(s, doc.sequence.rate);
  } else if (frame !== undefined) {
    const f = Number(frame);
    if (!Number.isInteger(f) || f < 0) throw bad(`--frame is a whole frame number, not "${frame}"`, '--frame');
    out.at = f;
  }
  const target = stringOption(parsed, 'target');
  if (target !== undefined) {
    const key = target.toLowerCase();
    const prop = scene.props.find((p) => p.id === target) ?? scene.props.find((p) => p.name.toLowerCase() === key);
    out.targetId = prop ? prop.id : characterNamed(doc, target, '--target').id;
  }
  const to = stringOption(parsed, 'to');
  if (to !== undefined) {
    const xz = to.split(',').map((v) => Number(v.trim()));
    if (xz.length !== 2 || !xz.every(Number.isFinite)) throw bad(`--to is a floor point "X,Z" in metres, not "${to}"`, '--to');
    out.to = [xz[0]!, xz[1]!];
  }
  const frames = stringOption(parsed, 'frames');
  if (frames !== undefined) {
    const n = Number(frames);
    if (!Number.isInteger(n) || n < 1) throw bad(`--frames is the action's length in frames, not "${frames}"`, '--frames');
    out.duration = n;
  }
  return out;
}

export async function sceneActions(parsed: Parsed, io: CliIO): Promise<number> {
  const sub = requirePositional(parsed, 1, 'add|list|update|remove|move', USAGE);
  const dir = requirePositional(parsed, 2, 'PROJECT', USAGE);
  const which = requirePositional(parsed, 3, 'SCENE', USAGE);
  if (sub === 'list') {
    const { doc } = loadProject(dir);
    const scene = sceneNamed(doc, which);
    if (parsed.json) io.out(JSON.stringify(scene.actions, null, 2));
    else if (!scene.actions.length) io.out(`Scene ${scene.number} has no actions: everybody stays on their marks.`);
    else
      scene.actions.forEach((a, i) =>
        io.out(`${i + 1}. ${actionWords(a, names(doc, scene), doc.sequence.rate, places(scene))} (frame ${a.at}, ${a.id})`),
      );
    return 0;
  }
  let said = '';
  if (sub === 'add') {
    const doc = await editProject(dir, parsed, io, 'Add action', (d) => {
      const scene = sceneNamed(d, which);
      const f = fields(d, scene, parsed);
      if (!f.actorId) throw bad('scene action add needs --who NAME', '--who');
      if (!f.verb) throw bad('scene action add needs --does VERB', '--does');
      const action = { at: 0, ...f, actorId: f.actorId, verb: f.verb };
      said = actionWords(action, names(d, scene), d.sequence.rate, places(scene));
      return [{ type: 'action.add', sceneId: scene.id, action } as CommandInput];
    });
    io.out(parsed.json ? JSON.stringify(sceneNamed(doc, which).actions, null, 2) : `Added: ${said}`);
    return 0;
  }
  const n = requirePositional(parsed, 4, 'N', USAGE);
  if (sub === 'update' || sub === 'remove' || sub === 'move') {
    const label = sub === 'update' ? 'Edit action' : sub === 'remove' ? 'Delete action' : 'Reorder action';
    const doc = await editProject(dir, parsed, io, label, (d) => {
      const scene = sceneNamed(d, which);
      const a = actionOf(scene, n);
      said = actionWords(a, names(d, scene), d.sequence.rate, places(scene));
      if (sub === 'remove') return [{ type: 'action.remove', sceneId: scene.id, actionId: a.id }];
      if (sub === 'move') {
        const index = Number(stringOption(parsed, 'index'));
        if (!Number.isInteger(index) || index < 1) throw bad('scene action move needs --index M (the place, 1 first)', '--index');
        return [{ type: 'action.move', sceneId: scene.id, actionId: a.id, index: index - 1 }];
      }
      const patch = fields(d, scene, parsed);
      if (!Object.keys(patch).length) throw bad('scene action update needs something to change', 'options');
      return [{ type: 'action.update', sceneId: scene.id, actionId: a.id, patch } as CommandInput];
    });
    const scene = sceneNamed(doc, which);
    if (parsed.json) io.out(JSON.stringify(scene.actions, null, 2));
    else if (sub === 'remove') io.out(`Removed: ${said}`);
    else
      scene.actions.forEach((a, i) =>
        io.out(
          `${i + 1}. ${actionWords(a, names(doc, scene), doc.sequence.rate, places(scene))} (${framesToSeconds(a.at, doc.sequence.rate).toFixed(2)} s)`,
        ),
      );
    return 0;
  }
  throw bad(`unknown scene action command "${sub}"`, 'action');
}
