import { inputError } from '../../common/errors.js';
import { secondsToFramesRound } from '../../common/time.js';
import { characterNamed, parseLineArg, sceneNamed } from '../../model/cast.js';
import type { CommandInput } from '../../model/commands/index.js';
import { linesOfShot } from '../../model/lines.js';
import { allShots, findShot, newId } from '../../model/lookup.js';
import { ShotSizeSchema, type Framing, type Project } from '../../model/schema.js';
import { requirePositional, stringOption, type CliCommand, type Parsed } from '../command.js';
import { WAIT_HELP, WAIT_OPTION } from '../open-project.js';
import { editProject } from '../project-edit.js';

const SIZES = ShotSizeSchema.options.join('|');
const USAGE = `klappe shot add PROJECT --scene SCENE --size ${SIZES} --subject NAME [--over NAME] [--side left|right] --seconds N [--line "NAME: words"]… [--prompt TEXT] [--name TEXT] | shot update PROJECT SHOT [same options; --line replaces the shot's lines] | shot remove PROJECT SHOT [--no-ripple] | shot vary PROJECT SHOT (the next take is another performance: a new seed)`;

function lineArgs(parsed: Parsed): string[] {
  const v = parsed.values.line;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

function framingOf(doc: Project, parsed: Parsed, sceneId: string, current?: Framing): Framing | undefined {
  const size = stringOption(parsed, 'size');
  const subject = stringOption(parsed, 'subject');
  const over = stringOption(parsed, 'over');
  const side = stringOption(parsed, 'side');
  if (size === undefined && subject === undefined && over === undefined && side === undefined) return undefined;
  if (size !== undefined && !ShotSizeSchema.safeParse(size).success)
    throw inputError('BAD_ARGUMENTS', `--size is one of ${SIZES}, not "${size}"`, { path: '--size' });
  if (side !== undefined && side !== 'left' && side !== 'right')
    throw inputError('BAD_ARGUMENTS', `--side is left or right, not "${side}"`, { path: '--side' });
  const finalSize = (size ?? current?.size) as Framing['size'] | undefined;
  if (!finalSize) throw inputError('BAD_ARGUMENTS', '--size is needed to frame the shot', { path: '--size', hint: `One of ${SIZES}.` });
  let subjectId = current?.subjectId;
  if (subject !== undefined) {
    const scene = doc.scenes.find((s) => s.id === sceneId);
    const prop =
      finalSize === 'insert' ? scene?.props.find((p) => p.id === subject || p.name.toLowerCase() === subject.toLowerCase()) : undefined;
    subjectId = prop ? prop.id : characterNamed(doc, subject, '--subject').id;
  }
  if (!subjectId) throw inputError('BAD_ARGUMENTS', '--subject NAME is needed to frame the shot', { path: '--subject' });
  const overId = over !== undefined ? characterNamed(doc, over, '--over').id : current?.overId;
  if (finalSize === 'over-the-shoulder' && !overId)
    throw inputError('BAD_ARGUMENTS', 'an over-the-shoulder needs --over NAME: whose shoulder the camera looks over', { path: '--over' });
  return {
    size: finalSize,
    subjectId,
    ...(finalSize === 'over-the-shoulder' && overId ? { overId } : {}),
    ...(side ? { side } : current?.side ? { side: current.side } : {}),
  } as Framing;
}

function framesOf(doc: Project, parsed: Parsed): number | undefined {
  const v = stringOption(parsed, 'seconds');
  if (v === undefined) return undefined;
  const s = Number(v);
  if (!(s > 0) || s > 600)
    throw inputError('BAD_ARGUMENTS', `--seconds must be more than 0 (and at most 600), not "${v}"`, {
      path: '--seconds',
      hint: 'A shot lasts at least one frame.',
    });
  return Math.max(1, secondsToFramesRound(s, doc.sequence.rate));
}

function lineCommands(doc: Project, shotId: string, parsed: Parsed): CommandInput[] {
  return lineArgs(parsed).map((arg, i) => {
    const { speaker, text } = parseLineArg(arg, `--line[${i}]`);
    return { type: 'line.add', line: { characterId: characterNamed(doc, speaker, `--line[${i}]`).id, text, shotId } };
  });
}

/** The shot SHOT names: its id, or its number when one shot of the project has it ("2", or "1/2" for scene 1 shot 2). */
function shotNamed(doc: Project, which: string): string {
  if (findShot(doc, which)) return which;
  const [a, b] = which.includes('/') ? which.split('/') : [undefined, which];
  const hits = allShots(doc).filter(({ shot, scene }) => shot.number === b && (a === undefined || scene.number === a));
  if (hits.length === 1) return hits[0]!.shot.id;
  throw inputError('NOT_FOUND', hits.length ? `shot number ${which} is in several scenes` : `no shot "${which}"`, {
    path: 'SHOT',
    hint: hits.length
      ? 'Name it as SCENE/SHOT, e.g. 1/2, or by its id.'
      : `Shots: ${
          allShots(doc)
            .map(({ shot, scene }) => `${scene.number}/${shot.number} (${shot.id})`)
            .join(', ') || 'none'
        }.`,
  });
}

export const shotCommand: CliCommand = {
  name: 'shot',
  summary: 'add or change a shot in film language: size, subject, over whose shoulder, seconds, its lines',
  usage: USAGE,
  details: [
    "The camera is placed from the size and subject on the scene's start marks (a character without one gets one).",
    'A new shot gets a clip of its length at the end of the first video track (--no-clip: none).',
    '--line "NAME: words" may be given several times; NAME is a character of the cast.',
    WAIT_HELP,
  ],
  options: {
    scene: { type: 'string' },
    size: { type: 'string' },
    subject: { type: 'string' },
    over: { type: 'string' },
    side: { type: 'string' },
    seconds: { type: 'string' },
    line: { type: 'string', multiple: true },
    prompt: { type: 'string' },
    name: { type: 'string' },
    id: { type: 'string' },
    'no-clip': { type: 'boolean', default: false },
    'no-ripple': { type: 'boolean', default: false },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const action = requirePositional(parsed, 0, 'add|update', USAGE);
    const dir = requirePositional(parsed, 1, 'PROJECT', USAGE);
    const prompt = stringOption(parsed, 'prompt');
    const name = stringOption(parsed, 'name');
    let shotId = '';
    if (action === 'add') {
      const sceneArg = stringOption(parsed, 'scene');
      if (!sceneArg) throw inputError('BAD_ARGUMENTS', 'shot add needs --scene SCENE', { path: '--scene', hint: `Usage: ${USAGE}` });
      const doc = await editProject(dir, parsed, io, 'Add shot', (d) => {
        const scene = sceneNamed(d, sceneArg, '--scene');
        shotId = stringOption(parsed, 'id') ?? newId(d, 'shot');
        const framing = framingOf(d, parsed, scene.id);
        const duration = framesOf(d, parsed);
        const video = d.sequence.tracks.find((t) => t.kind === 'video');
        return [
          {
            type: 'shot.add',
            sceneId: scene.id,
            shot: {
              id: shotId,
              ...(framing ? { framing } : {}),
              ...(duration ? { duration } : {}),
              ...(prompt !== undefined ? { prompt } : {}),
              ...(name !== undefined ? { name } : {}),
            },
            ...(video && parsed.values['no-clip'] !== true ? { clip: { trackId: video.id } } : {}),
          },
          ...lineCommands(d, shotId, parsed),
        ];
      });
      const loc = findShot(doc, shotId)!;
      io.out(
        parsed.json
          ? JSON.stringify({ ...loc.shot, lines: linesOfShot(doc, shotId) }, null, 2)
          : `Added shot ${loc.scene.number}/${loc.shot.number} (${shotId}): ${loc.shot.duration} frames${loc.shot.framing ? `, ${loc.shot.framing.size} of ${loc.shot.framing.subjectId}` : ''}, camera at [${loc.shot.camera.position.join(', ')}] ${loc.shot.camera.lensMm} mm`,
      );
      return 0;
    }
    if (action === 'update') {
      const which = requirePositional(parsed, 2, 'SHOT', USAGE);
      const doc = await editProject(dir, parsed, io, 'Edit shot', (d) => {
        shotId = shotNamed(d, which);
        const loc = findShot(d, shotId)!;
        const framing = framingOf(d, parsed, loc.scene.id, loc.shot.framing);
        const duration = framesOf(d, parsed);
        const patch = {
          ...(framing ? { framing } : {}),
          ...(duration ? { duration } : {}),
          ...(prompt !== undefined ? { prompt } : {}),
          ...(name !== undefined ? { name } : {}),
        };
        const cmds: CommandInput[] = Object.keys(patch).length ? [{ type: 'shot.update', shotId, patch }] : [];
        if (lineArgs(parsed).length) {
          cmds.push(
            ...linesOfShot(d, shotId).map((l): CommandInput => ({ type: 'line.remove', lineId: l.id })),
            ...lineCommands(d, shotId, parsed),
          );
        }
        if (!cmds.length)
          throw inputError('BAD_ARGUMENTS', 'nothing to change: give --size, --subject, --over, --seconds, --prompt, --name or --line', {
            hint: `Usage: ${USAGE}`,
          });
        return cmds;
      });
      const loc = findShot(doc, shotId)!;
      io.out(
        parsed.json
          ? JSON.stringify({ ...loc.shot, lines: linesOfShot(doc, shotId) }, null, 2)
          : `Shot ${loc.scene.number}/${loc.shot.number} (${shotId}) changed: ${loc.shot.duration} frames${loc.shot.framing ? `, ${loc.shot.framing.size} of ${loc.shot.framing.subjectId}` : ''}`,
      );
      return 0;
    }
    if (action === 'remove') {
      const which = requirePositional(parsed, 2, 'SHOT', USAGE);
      await editProject(dir, parsed, io, 'Delete shot', (d) => [
        { type: 'shot.remove', shotId: shotNamed(d, which), ripple: parsed.values['no-ripple'] !== true },
      ]);
      io.out(parsed.json ? JSON.stringify({ ok: true }) : `Removed shot ${which}`);
      return 0;
    }
    if (action === 'vary') {
      const which = requirePositional(parsed, 2, 'SHOT', USAGE);
      const doc = await editProject(dir, parsed, io, 'New variation', (d) => {
        shotId = shotNamed(d, which);
        return [{ type: 'shot.vary', shotId }];
      });
      const seed = findShot(doc, shotId)!.shot.seed;
      io.out(
        parsed.json
          ? JSON.stringify({ ok: true, shotId, seed })
          : `Shot ${which}: the next take is a new variation (seed ${seed}); run klappe generate ${dir} --shot ${shotId}`,
      );
      return 0;
    }
    throw inputError('BAD_ARGUMENTS', `unknown shot action "${action}"`, { path: 'action', hint: `Usage: ${USAGE}` });
  },
};
