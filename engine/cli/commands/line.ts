import { join } from 'node:path';
import { addSpokenLine, speakLine, type SpokenReading, type VoiceChange } from '../../audio/dialogue-lines.js';
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
  summary: 'add a dialogue line on a character\'s lane and speak it, or speak a line again with another voice',
  usage: 'klappe line PROJECT --character ID --text TEXT [--at FRAME] | klappe line PROJECT --clip ID [--take ID] [--text TEXT] [--voice NAME] [--rate 1.1] [--pitch 140] [--wait SECONDS]',
  details: [
    'Each reading is kept as a take of the line; --clip ID --take ID plays an earlier one again.',
    '--clip ID --text TEXT speaks the line with new words (a new reading; picking an earlier one brings its words back).',
    'Voices come from the speech engine (flite: slt, kal, kal16, awb, rms).',
    'When the project is open in a studio that serves it, the line is added there (save it in the studio).', WAIT_HELP,
  ],
  options: { character: { type: 'string' }, text: { type: 'string' }, at: { type: 'string' }, clip: { type: 'string' }, take: { type: 'string' }, voice: { type: 'string' }, rate: { type: 'string' }, pitch: { type: 'string' }, ...WAIT_OPTION },
  async run(parsed, io) {
    const projectPath = requirePositional(parsed, 0, 'PROJECT', this.usage);
    const clipId = stringOption(parsed, 'clip');
    const takeId = stringOption(parsed, 'take');
    const voice: VoiceChange = { voice: stringOption(parsed, 'voice'), rate: numberOption(parsed, 'rate'), pitchHz: numberOption(parsed, 'pitch') };
    const text = stringOption(parsed, 'text');
    const characterId = stringOption(parsed, 'character');
    const at = numberOption(parsed, 'at') ?? 0;
    if (!clipId) {
      if (!characterId || !text) throw inputError('BAD_ARGUMENTS', 'give --character ID and --text TEXT for a new line, or --clip ID to speak a line again', { hint: `Usage: ${this.usage}` });
      if (!Number.isInteger(at) || at < 0) throw inputError('BAD_ARGUMENTS', '--at must be a frame number (0 or more)', { path: '--at' });
    }
    const project = await openProject(projectPath, parsed, io);
    let r: Pick<SpokenReading, 'clipId' | 'takeId' | 'mediaId' | 'file' | 'samples'>;
    try {
      if (clipId && takeId) {
        const select = { type: 'line.take.select', clipId, takeId };
        if (project.kind === 'local') {
          project.session.apply(select, 'Pick reading');
          project.session.save();
        } else {
          await project.client.call('project.apply', { commands: select, label: 'Pick reading' });
        }
        io.out(parsed.json ? JSON.stringify({ ok: true, clipId, takeId }, null, 2) : `Line ${clipId} plays reading ${takeId}`);
        return 0;
      }
      if (project.kind === 'local') {
        const s = project.session;
        const reading = clipId
          ? await speakLine(s.doc, s.dir, clipId, voice, { signal: io.signal, text })
          : await addSpokenLine(s.doc, s.dir, { characterId: characterId!, text: text!, at }, voice, { signal: io.signal });
        s.apply(reading.commands, clipId ? 'Speak line again' : 'Add line');
        s.save();
        r = reading;
      } else {
        const params = { ...(voice.voice ? { voice: voice.voice } : {}), ...(voice.rate !== undefined ? { rate: voice.rate } : {}), ...(voice.pitchHz !== undefined ? { pitch: voice.pitchHz } : {}) };
        const done = clipId
          ? await project.client.call('line.speak', { clipId, ...(text ? { text } : {}), ...params })
          : await project.client.call('line.add', { characterId, text, at, ...params });
        const state = await project.client.call('project.get');
        const media = state?.doc.media.find((m) => m.id === done.mediaId);
        r = { ...done, file: media ? join(project.dir, media.path) : '' };
      }
    } finally {
      project.close();
    }
    const summary = { ok: true, clipId: r.clipId, takeId: r.takeId, mediaId: r.mediaId, file: r.file, seconds: Number((r.samples / 48000).toFixed(3)) };
    io.out(parsed.json ? JSON.stringify(summary, null, 2) : `Line ${r.clipId}: reading ${r.takeId} (${summary.seconds} s) in ${r.file}`);
    return 0;
  },
};
