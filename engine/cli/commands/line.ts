import { join } from 'node:path';
import { addSpokenLine, lineIdOfClip, speakLine, type SpokenReading, type VoiceChange } from '../../audio/dialogue-lines.js';
import { checkSpokenLine } from '../../safety/checks.js';
import { inputError } from '../../common/errors.js';
import { requirePositional, stringOption, type CliCommand, type Parsed } from '../command.js';
import { openProject, WAIT_HELP, WAIT_OPTION } from '../open-project.js';

function numberOption(parsed: Parsed, name: string): number | undefined {
  const v = stringOption(parsed, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw inputError('BAD_ARGUMENTS', `--${name} must be a number, not "${v}"`, { path: `--${name}` });
  return n;
}

export const lineCommand: CliCommand = {
  name: 'line',
  summary: "add a dialogue line on a character's lane and speak it, or speak a line again with another voice",
  usage:
    'klappe line PROJECT --character ID --text TEXT [--at FRAME] | klappe line PROJECT (--line ID | --clip ID) [--reading ID] [--text TEXT] [--voice NAME] [--rate 1.1] [--pitch 140] [--wait SECONDS]',
  details: [
    "A line is one entity (a shot's line or a lane line): --line ID names it, --clip ID names it by the lane clip that plays it.",
    'Each reading is kept with the line; --reading ID plays an earlier one again.',
    '--text TEXT with --line/--clip speaks the line with new words (a new reading; picking an earlier one brings its words back).',
    'Voices come from the speech engine (flite: slt, kal, kal16, awb, rms).',
    'When the project is open in a studio that serves it, the line is added there (save it in the studio).',
    WAIT_HELP,
  ],
  options: {
    character: { type: 'string' },
    text: { type: 'string' },
    at: { type: 'string' },
    line: { type: 'string' },
    clip: { type: 'string' },
    reading: { type: 'string' },
    voice: { type: 'string' },
    rate: { type: 'string' },
    pitch: { type: 'string' },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const projectPath = requirePositional(parsed, 0, 'PROJECT', this.usage);
    const clipId = stringOption(parsed, 'clip');
    const readingId = stringOption(parsed, 'reading');
    const voice: VoiceChange = {
      voice: stringOption(parsed, 'voice'),
      rate: numberOption(parsed, 'rate'),
      pitchHz: numberOption(parsed, 'pitch'),
    };
    const text = stringOption(parsed, 'text');
    const characterId = stringOption(parsed, 'character');
    const at = numberOption(parsed, 'at') ?? 0;
    const named = stringOption(parsed, 'line');
    if (readingId && !named && !clipId)
      throw inputError('BAD_ARGUMENTS', '--reading needs the line: --line ID or --clip ID', {
        path: '--reading',
        hint: `Usage: ${this.usage}`,
      });
    if (!named && !clipId) {
      if (!characterId || !text)
        throw inputError(
          'BAD_ARGUMENTS',
          'give --character ID and --text TEXT for a new line, or --line ID (or --clip ID) to speak a line again',
          { hint: `Usage: ${this.usage}` },
        );
      if (!Number.isInteger(at) || at < 0) throw inputError('BAD_ARGUMENTS', '--at must be a frame number (0 or more)', { path: '--at' });
    }
    const project = await openProject(projectPath, parsed, io);
    let r: Pick<SpokenReading, 'lineId' | 'clipId' | 'readingId' | 'mediaId' | 'file' | 'samples'>;
    try {
      const doc = project.kind === 'local' ? project.session.doc : (await project.client.call('project.get'))!.doc;
      const lineId = named ?? (clipId !== undefined ? lineIdOfClip(doc, clipId, '--clip') : undefined);
      if (lineId && readingId) {
        const select = { type: 'line.reading.select' as const, lineId, readingId };
        if (project.kind === 'local') {
          project.session.apply(select, 'Pick reading');
          project.session.save();
        } else {
          await project.client.call('project.apply', { commands: select, label: 'Pick reading' });
        }
        io.out(parsed.json ? JSON.stringify({ ok: true, lineId, readingId }, null, 2) : `Line ${lineId} plays reading ${readingId}`);
        return 0;
      }
      if (project.kind === 'local') {
        const s = project.session;
        const spoken = text ?? (lineId ? s.doc.lines.find((l) => l.id === lineId)?.text : undefined);
        if (spoken)
          await checkSpokenLine(spoken, { ref: `${s.file}#line ${lineId ?? `of ${characterId}`}`, path: text ? '--text' : '--line' });
        const reading = lineId
          ? await speakLine(s.doc, s.dir, lineId, voice, { signal: io.signal, text })
          : await addSpokenLine(s.doc, s.dir, { characterId: characterId!, text: text!, at }, voice, { signal: io.signal });
        s.apply(reading.commands, lineId ? 'Speak line again' : 'Add line');
        s.save();
        r = reading;
      } else {
        const params = {
          ...(voice.voice ? { voice: voice.voice } : {}),
          ...(voice.rate !== undefined ? { rate: voice.rate } : {}),
          ...(voice.pitchHz !== undefined ? { pitch: voice.pitchHz } : {}),
        };
        const done = lineId
          ? await project.client.call('line.speak', { lineId, ...(text ? { text } : {}), ...params })
          : await project.client.call('line.add', { characterId: characterId!, text: text!, at, ...params });
        const state = await project.client.call('project.get');
        const media = state?.doc.media.find((m) => m.id === done.mediaId);
        r = { ...done, file: media ? join(project.dir, media.path) : '' };
      }
    } finally {
      project.close();
    }
    const summary = {
      ok: true,
      lineId: r.lineId,
      clipId: r.clipId,
      readingId: r.readingId,
      mediaId: r.mediaId,
      file: r.file,
      seconds: Number((r.samples / 48000).toFixed(3)),
    };
    io.out(
      parsed.json
        ? JSON.stringify(summary, null, 2)
        : `Line ${r.lineId}${r.clipId ? ` (clip ${r.clipId})` : ''}: reading ${r.readingId} (${summary.seconds} s) in ${r.file}`,
    );
    return 0;
  },
};
