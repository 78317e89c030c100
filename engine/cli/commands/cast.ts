import { inputError } from '../../common/errors.js';
import { characterNamed, idFromName } from '../../model/cast.js';
import { resolve } from 'node:path';
import { importReferenceImage } from '../../media/reference-image.js';
import { loadProject, projectDirOf, projectFilePath } from '../../model/project-file.js';
import type { CommandInput } from '../../model/commands/index.js';
import { requirePositional, stringOption, type CliCommand, type Parsed } from '../command.js';
import { WAIT_HELP, WAIT_OPTION } from '../open-project.js';
import { editProject } from '../project-edit.js';

const USAGE =
  'klappe cast add PROJECT --name NAME [--height 1.7] [--skin|--hair|--shirt|--pants #rrggbb] [--voice slt|kal|kal16|awb|rms] [--rate 1.0] [--pitch HZ] [--ref IMAGE]… | cast update PROJECT NAME [those options] [--pitch own] [--remove-ref IMAGE_ID|N]… | cast list PROJECT | cast rename PROJECT NAME --name NEW | cast remove PROJECT NAME';

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
  const pitch = stringOption(parsed, 'pitch') === 'own' ? undefined : num(parsed, 'pitch');
  if (pitch !== undefined) voice.pitchHz = pitch;
  return { look, voice };
}

function many(parsed: Parsed, name: string): string[] {
  const v = parsed.values[name];
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

/** The --ref images copied into the project folder (before anything else changes), as media entries. */
async function referenceMedia(dir: string, parsed: Parsed) {
  const projectDir = projectDirOf(projectFilePath(dir));
  const out = [];
  for (const file of many(parsed, 'ref')) out.push(await importReferenceImage(projectDir, resolve(file), file));
  return out;
}

export const castCommand: CliCommand = {
  name: 'cast',
  summary: 'the characters of a project: add (with a look, a voice and reference images), update, list, rename, remove',
  usage: USAGE,
  details: [
    'A character is named by its name (any case) or its id.',
    'Voices of the embedded speech (flite): slt (woman, clear), kal (man, low), kal16 (man, brighter), awb (man, Scottish), rms (man, deep).',
    '--pitch is the voice\'s mean pitch in Hz (50 to 400); "--pitch own" goes back to the voice\'s own.',
    '--ref IMAGE (repeatable) copies a PNG, JPEG or WebP picture into the project (images/references/) as a reference image of the character: backends that take reference images (Veo) get it with every shot the character is in. --remove-ref takes one away (its id from cast list, or its number).',
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
    ref: { type: 'string', multiple: true },
    'remove-ref': { type: 'string', multiple: true },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const action = requirePositional(parsed, 0, 'add|update|list|rename|remove', USAGE);
    const dir = requirePositional(parsed, 1, 'PROJECT', USAGE);
    if (action === 'list') {
      const { doc } = loadProject(dir);
      if (parsed.json) io.out(JSON.stringify(doc.characters, null, 2));
      else if (!doc.characters.length) io.out('The cast is empty.');
      else
        for (const c of doc.characters)
          io.out(
            `${c.name} (${c.id}): ${c.look.height} m, shirt ${c.look.shirt}, voice ${c.voice.voice}${c.voice.rate !== 1 ? ` ×${c.voice.rate}` : ''}${c.voice.pitchHz !== undefined ? ` ${c.voice.pitchHz} Hz` : ''}${c.references?.length ? `, reference images ${c.references.map((r, i) => `${i + 1}: ${r} (${doc.media.find((m) => m.id === r)?.path ?? '?'})`).join(', ')}` : ''}`,
          );
      return 0;
    }
    const name = stringOption(parsed, 'name');
    let result = '';
    if (action === 'add') {
      if (!name) throw inputError('BAD_ARGUMENTS', 'cast add needs --name NAME', { path: '--name', hint: `Usage: ${USAGE}` });
      const { look, voice } = lookAndVoice(parsed);
      const refs = await referenceMedia(dir, parsed);
      const doc = await editProject(dir, parsed, io, 'Add character', (d) => {
        if (d.characters.some((c) => c.name.toLowerCase() === name.toLowerCase()))
          throw inputError('DUPLICATE', `the cast already has a character called "${name}"`, {
            path: '--name',
            hint: 'Pick another name, or change that character with cast rename.',
          });
        const id = stringOption(parsed, 'id') ?? idFromName(d, name, 'character');
        result = id;
        return [
          { type: 'character.add', character: { id, name, look, voice } } as CommandInput,
          ...refs.map((media): CommandInput => ({ type: 'character.addReference', characterId: id, media })),
        ];
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
    if (action === 'update') {
      const { look, voice } = lookAndVoice(parsed);
      const clearPitch = stringOption(parsed, 'pitch') === 'own';
      const refs = await referenceMedia(dir, parsed);
      const drop = many(parsed, 'remove-ref');
      const doc = await editProject(dir, parsed, io, 'Edit character', (d) => {
        const c = characterNamed(d, who);
        result = c.id;
        const v: Record<string, unknown> = { ...c.voice, ...voice };
        if (clearPitch) delete v.pitchHz;
        const cmds: CommandInput[] = [];
        if (Object.keys(look).length || Object.keys(voice).length || clearPitch || name)
          cmds.push({
            type: 'character.update',
            characterId: c.id,
            patch: {
              ...(name ? { name } : {}),
              ...(Object.keys(look).length ? { look: { ...c.look, ...look } } : {}),
              ...(Object.keys(voice).length || clearPitch ? { voice: v } : {}),
            },
          } as CommandInput);
        for (const r of drop) {
          const id = /^\d+$/.test(r) ? c.references?.[Number(r) - 1] : r;
          if (!id || !c.references?.includes(id))
            throw inputError('NOT_FOUND', `${c.name} has no reference image "${r}"`, {
              path: '--remove-ref',
              hint: c.references?.length ? `Theirs: ${c.references.map((x, i) => `${i + 1} ${x}`).join(', ')}.` : `${c.name} has none.`,
            });
          cmds.push({ type: 'character.removeReference', characterId: c.id, mediaId: id });
        }
        for (const media of refs) cmds.push({ type: 'character.addReference', characterId: c.id, media });
        if (!cmds.length)
          throw inputError('BAD_ARGUMENTS', 'cast update needs something to change', { path: 'options', hint: `Usage: ${USAGE}` });
        return cmds;
      });
      const c = doc.characters.find((x) => x.id === result)!;
      io.out(
        parsed.json
          ? JSON.stringify(c, null, 2)
          : `Changed ${c.name}: voice ${c.voice.voice} ×${c.voice.rate}${c.voice.pitchHz !== undefined ? ` ${c.voice.pitchHz} Hz` : ''}, ${c.references?.length ?? 0} reference image(s)`,
      );
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
