import { addSpokenLine, speakLine, type SpokenReading, type VoiceChange } from '../../audio/dialogue-lines.js';
import { inputError } from '../../common/errors.js';
import { applyCommand } from '../../model/commands/index.js';
import { loadProject, saveProject } from '../../model/project-file.js';
import { requirePositional, stringOption, type CliCommand, type Parsed } from '../command.js';

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
  usage: 'klappe line PROJECT --character ID --text TEXT [--at FRAME] | klappe line PROJECT --clip ID [--take ID] [--text TEXT] [--voice NAME] [--rate 1.1] [--pitch 140]',
  details: [
    'Each reading is kept as a take of the line; --clip ID --take ID plays an earlier one again.',
    '--clip ID --text TEXT speaks the line with new words (a new reading; picking an earlier one brings its words back).',
    'Voices come from the speech engine (flite: slt, kal, kal16, awb, rms).',
  ],
  options: { character: { type: 'string' }, text: { type: 'string' }, at: { type: 'string' }, clip: { type: 'string' }, take: { type: 'string' }, voice: { type: 'string' }, rate: { type: 'string' }, pitch: { type: 'string' } },
  async run(parsed, io) {
    const loaded = loadProject(requirePositional(parsed, 0, 'PROJECT', this.usage));
    const clipId = stringOption(parsed, 'clip');
    const takeId = stringOption(parsed, 'take');
    if (clipId && takeId) {
      saveProject(loaded.file, applyCommand(loaded.doc, { type: 'line.take.select', clipId, takeId }).doc);
      io.out(parsed.json ? JSON.stringify({ ok: true, clipId, takeId }, null, 2) : `Line ${clipId} plays reading ${takeId}`);
      return 0;
    }
    const voice: VoiceChange = { voice: stringOption(parsed, 'voice'), rate: numberOption(parsed, 'rate'), pitchHz: numberOption(parsed, 'pitch') };
    let r: SpokenReading;
    if (clipId) {
      r = await speakLine(loaded.doc, loaded.dir, clipId, voice, { signal: io.signal, text: stringOption(parsed, 'text') });
    } else {
      const characterId = stringOption(parsed, 'character');
      const text = stringOption(parsed, 'text');
      if (!characterId || !text) throw inputError('BAD_ARGUMENTS', 'give --character ID and --text TEXT for a new line, or --clip ID to speak a line again', { hint: `Usage: ${this.usage}` });
      const at = numberOption(parsed, 'at') ?? 0;
      if (!Number.isInteger(at) || at < 0) throw inputError('BAD_ARGUMENTS', '--at must be a frame number (0 or more)', { path: '--at' });
      r = await addSpokenLine(loaded.doc, loaded.dir, { characterId, text, at }, voice, { signal: io.signal });
    }
    saveProject(loaded.file, r.doc);
    const summary = { ok: true, clipId: r.clipId, takeId: r.takeId, mediaId: r.mediaId, file: r.file, seconds: Number((r.samples / 48000).toFixed(3)) };
    io.out(parsed.json ? JSON.stringify(summary, null, 2) : `Line ${r.clipId}: reading ${r.takeId} (${summary.seconds} s) in ${r.file}`);
    return 0;
  },
};
