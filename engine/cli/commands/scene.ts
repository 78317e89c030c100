import { inputError } from '../../common/errors.js';
import { characterNamed, idFromName, sceneNamed } from '../../model/cast.js';
import type { CommandInput } from '../../model/commands/index.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { WAIT_HELP, WAIT_OPTION } from '../open-project.js';
import { ACTION_HELP, ACTION_OPTIONS, sceneActions } from './scene-action.js';
import { editProject } from '../project-edit.js';

const USAGE =
  'klappe scene add PROJECT --name NAME [--kind room|outdoor] [--width M] [--depth M] [--cast "Leo,Mia"] | scene rename PROJECT SCENE --name NAME | scene set PROJECT SCENE [--kind …] [--width M] [--depth M] | scene action add|list|update|remove|move PROJECT SCENE … (klappe scene action --help)';

function metres(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0 && n <= 200))
    throw inputError('BAD_ARGUMENTS', `--${name} must be metres between 0 and 200, not "${v}"`, { path: `--${name}` });
  return n;
}

export const sceneCommand: CliCommand = {
  name: 'scene',
  summary: 'add a scene (a set, and start marks for its cast), rename it, change its set',
  usage: USAGE,
  details: [
    "SCENE is the scene's id, number or name. --cast gives the named characters start marks (placed facing each other); a shot or a line that uses a character gives it one too.",
    ACTION_HELP,
    WAIT_HELP,
  ],
  options: {
    name: { type: 'string' },
    id: { type: 'string' },
    kind: { type: 'string' },
    width: { type: 'string' },
    depth: { type: 'string' },
    cast: { type: 'string' },
    ...ACTION_OPTIONS,
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    if (parsed.positionals[0] === 'action') return sceneActions(parsed, io);
    const action = requirePositional(parsed, 0, 'add|rename|set|action', USAGE);
    const dir = requirePositional(parsed, 1, 'PROJECT', USAGE);
    const kind = stringOption(parsed, 'kind');
    if (kind !== undefined && kind !== 'room' && kind !== 'outdoor')
      throw inputError('BAD_ARGUMENTS', `--kind is room (interior) or outdoor (exterior), not "${kind}"`, { path: '--kind' });
    const set = {
      ...(kind ? { kind: kind as 'room' | 'outdoor' } : {}),
      ...(stringOption(parsed, 'width') ? { width: metres(stringOption(parsed, 'width'), 'width') } : {}),
      ...(stringOption(parsed, 'depth') ? { depth: metres(stringOption(parsed, 'depth'), 'depth') } : {}),
    };
    const name = stringOption(parsed, 'name');
    let sceneId = '';
    if (action === 'add') {
      if (!name) throw inputError('BAD_ARGUMENTS', 'scene add needs --name NAME', { path: '--name', hint: `Usage: ${USAGE}` });
      const doc = await editProject(dir, parsed, io, 'Add scene', (d) => {
        sceneId = stringOption(parsed, 'id') ?? idFromName(d, `scene-${name}`, 'scene');
        const cast = (stringOption(parsed, 'cast') ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((n) => characterNamed(d, n, '--cast').id);
        const cmds: CommandInput[] = [{ type: 'scene.add', scene: { id: sceneId, name, set: { name, ...set } } }];
        if (cast.length) cmds.push({ type: 'mark.place', sceneId, characterIds: cast });
        return cmds;
      });
      const s = doc.scenes.find((x) => x.id === sceneId)!;
      io.out(
        parsed.json
          ? JSON.stringify(s, null, 2)
          : `Added scene ${s.number} "${s.name}" (${s.id}): ${s.set.kind === 'room' ? 'interior' : 'exterior'} ${s.set.width}×${s.set.depth} m${s.marks.length ? `, marks for ${s.marks.map((m) => doc.characters.find((c) => c.id === m.characterId)?.name ?? m.characterId).join(', ')}` : ''}`,
      );
      return 0;
    }
    const which = requirePositional(parsed, 2, 'SCENE', USAGE);
    if (action === 'rename' || action === 'set') {
      if (action === 'rename' && !name) throw inputError('BAD_ARGUMENTS', 'scene rename needs --name NAME', { path: '--name' });
      await editProject(dir, parsed, io, action === 'rename' ? 'Rename scene' : 'Edit set', (d) => {
        const s = sceneNamed(d, which);
        sceneId = s.id;
        return [
          {
            type: 'scene.update',
            sceneId: s.id,
            patch: { ...(name ? { name } : {}), ...(Object.keys(set).length ? { set } : {}) },
          } as CommandInput,
        ];
      });
      io.out(parsed.json ? JSON.stringify({ ok: true, id: sceneId }) : `Scene ${which} changed`);
      return 0;
    }
    throw inputError('BAD_ARGUMENTS', `unknown scene action "${action}"`, { path: 'action', hint: `Usage: ${USAGE}` });
  },
};
