import { inputError } from '../../common/errors.js';
import { characterNamed, idFromName } from '../../model/cast.js';
import { loadProject } from '../../model/project-file.js';
import type { CommandInput } from '../../model/commands/index.js';
import { requirePositional, stringOption, type CliCommand, type Parsed } from '../command.js';
import { WAIT_HELP, WAIT_OPTION } from '../open-project.js';
import { editProject } from '../project-edit.js';

const USAGE =
  'klappe cast add PROJECT --name NAME [--height 1.7] [--skin|--hair|--shirt|--pants #rrggbb] [--voice slt|kal|kal16|awb|rms] [--rate 1.0] [--pitch HZ] | cast list PROJECT | cast rename PROJECT NAME --name NEW | cast remove PROJECT NAME';

function num(parsed: Parsed, name: string): number | undefined {
  const v = stringOption(parsed, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw inputError('BAD_ARGUMENTS', `--${name} must be a number, not "${v}"`, { path: `--${name}` });
  return n;
}

function lookAndVoice(parsed: Parsed) {
  const look: Record<string, string | number> = {};
  for (const k of ['skin', 'hair', 'shirt', 'pants'] as const) {
    const v = stringOption(parsed, k);
    if (v !== undefined) look[k] = v;
  }
  const height = num(parsed, 'height');
  if (height !== undefined) look.height = height;
  const voice: Record<string, string | number> = {};
  const v = stringOption(parsed, 'voice');
  if (v !== undefined) voice.voice = v;
  const rate = num(parsed, 'rate');
  if (rate !== undefined) voice.rate = rate;
  const pitch = num(parsed, 'pitch');
  if (pitch !== undefined) voice.pitchHz = pitch;
  return { look, voice };
}

export const castCommand: CliCommand = {
  name: 'cast',
  summary: 'the characters of a project: add (with a look and a voice), list, rename, remove',
  usage: USAGE,
  details: [
    'A character is named by its name (any case) or its id.',
    'Voices of the embedded speech (flite): slt (woman, clear), kal (man, low), kal16 (man, brighter), awb (man, Scottish), rms (man, deep).',
    WAIT_HELP,
  ],
  options: {
    name: { type: 'string' },
    id: { type: 'string' },
    height: { type: 'string' },
    skin: { type: 'string' },
    hair: { type: 'string' },
    shirt: { type: 'string' },
    pants: { type: 'string' },
    voice: { type: 'string' },
    rate: { type: 'string' },
    pitch: { type: 'string' },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const action = requirePositional(parsed, 0, 'add|list|rename|remove', USAGE);
    const dir = requirePositional(parsed, 1, 'PROJECT', USAGE);
    if (action === 'list') {
      const { doc } = loadProject(dir);
      if (parsed.json) io.out(JSON.stringify(doc.characters, null, 2));
      else if (!doc.characters.length) io.out('The cast is empty.');
      else
        for (const c of doc.characters)
          io.out(
            `${c.name} (${c.id}): ${c.look.height} m, shirt ${c.look.shirt}, voice ${c.voice.voice}${c.voice.rate !== 1 ? ` ×${c.voice.rate}` : ''}`,
          );
      return 0;
    }
    const name = stringOption(parsed, 'name');
    let result = '';
    if (action === 'add') {
      if (!name) throw inputError('BAD_ARGUMENTS', 'cast add needs --name NAME', { path: '--name', hint: `Usage: ${USAGE}` });
      const { look, voice } = lookAndVoice(parsed);
      const doc = await editProject(dir, parsed, io, 'Add character', (d) => {
        if (d.characters.some((c) => c.name.toLowerCase() === name.toLowerCase()))
          throw inputError('DUPLICATE', `the cast already has a character called "${name}"`, {
            path: '--name',
            hint: 'Pick another name, or change that character with cast rename.',
          });
        const id = stringOption(parsed, 'id') ?? idFromName(d, name, 'character');
        result = id;
        return [{ type: 'character.add', character: { id, name, look, voice } } as CommandInput];
      });
      const c = doc.characters.find((x) => x.id === result)!;
      io.out(parsed.json ? JSON.stringify(c, null, 2) : `Added ${c.name} (${c.id})`);
      return 0;
    }
    const who = requirePositional(parsed, 2, 'NAME', USAGE);
    if (action === 'rename') {
      if (!name) throw inputError('BAD_ARGUMENTS', 'cast rename needs --name NEW', { path: '--name', hint: `Usage: ${USAGE}` });
      const { look, voice } = lookAndVoice(parsed);
      await editProject(dir, parsed, io, 'Rename character', (d) => {
        const c = characterNamed(d, who);
        result = c.id;
        return [
          {
            type: 'character.update',
            characterId: c.id,
            patch: {
              name,
              ...(Object.keys(look).length ? { look: { ...c.look, ...look } } : {}),
              ...(Object.keys(voice).length ? { voice: { ...c.voice, ...voice } } : {}),
            },
          } as CommandInput,
        ];
      });
      io.out(parsed.json ? JSON.stringify({ ok: true, id: result, name }) : `Renamed ${who} to ${name}`);
      return 0;
    }
    if (action === 'remove') {
      await editProject(dir, parsed, io, 'Delete character', (d) => [{ type: 'character.remove', characterId: characterNamed(d, who).id }]);
      io.out(parsed.json ? JSON.stringify({ ok: true }) : `Removed ${who}`);
      return 0;
    }
    throw inputError('BAD_ARGUMENTS', `unknown cast action "${action}"`, { path: 'action', hint: `Usage: ${USAGE}` });
  },
};
