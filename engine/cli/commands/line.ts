import { addSpokenLine, lineIdOfClip, speakLine, type SpokenReading, type VoiceChange } from '../../audio/dialogue-lines.js';
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
  usage: 'klappe line PROJECT --character ID --text TEXT [--at FRAME] | klappe line PROJECT (--line ID | --clip ID) [--reading ID] [--text TEXT] [--voice NAME] [--rate 1.1] [--pitch 140]',
  details: [
    'A line is one entity (a shot\'s line or a lane line): --line ID names it, --clip ID names it by the lane clip that plays it.',
    'Each reading is kept with the line; --reading ID plays an earlier one again.',
    '--text TEXT with --line/--clip speaks the line with new words (a new reading; picking an earlier one brings its words back).',
    'Voices come from the speech engine (flite: slt, kal, kal16, awb, rms).',
  ],
  options: { character: { type: 'string' }, text: { type: 'string' }, at: { type: 'string' }, line: { type: 'string' }, clip: { type: 'string' }, reading: { type: 'string' }, voice: { type: 'string' }, rate: { type: 'string' }, pitch: { type: 'string' } },
  async run(parsed, io) {
    const loaded = loadProject(requirePositional(parsed, 0, 'PROJECT', this.usage));
    const clipId = stringOption(parsed, 'clip');
    const lineId = stringOption(parsed, 'line') ?? (clipId !== undefined ? lineIdOfClip(loaded.doc, clipId, '--clip') : undefined);
    const readingId = stringOption(parsed, 'reading');
    if (readingId && !lineId) throw inputError('BAD_ARGUMENTS', '--reading needs the line: --line ID or --clip ID', { path: '--reading', hint: `Usage: ${this.usage}` });
    if (lineId && readingId) {
      saveProject(loaded.file, applyCommand(loaded.doc, { type: 'line.reading.select', lineId, readingId }).doc);
      io.out(parsed.json ? JSON.stringify({ ok: true, lineId, readingId }, null, 2) : `Line ${lineId} plays reading ${readingId}`);
      return 0;
    }
    const voice: VoiceChange = { voice: stringOption(parsed, 'voice'), rate: numberOption(parsed, 'rate'), pitchHz: numberOption(parsed, 'pitch') };
    let r: SpokenReading;
    if (lineId) {
      r = await speakLine(loaded.doc, loaded.dir, lineId, voice, { signal: io.signal, text: stringOption(parsed, 'text') });
    } else {
      const characterId = stringOption(parsed, 'character');
      const text = stringOption(parsed, 'text');
      if (!characterId || !text) throw inputError('BAD_ARGUMENTS', 'give --character ID and --text TEXT for a new line, or --line ID (or --clip ID) to speak a line again', { hint: `Usage: ${this.usage}` });
      const at = numberOption(parsed, 'at') ?? 0;
      if (!Number.isInteger(at) || at < 0) throw inputError('BAD_ARGUMENTS', '--at must be a frame number (0 or more)', { path: '--at' });
      r = await addSpokenLine(loaded.doc, loaded.dir, { characterId, text, at }, voice, { signal: io.signal });
    }
    saveProject(loaded.file, r.doc);
    const summary = { ok: true, lineId: r.lineId, clipId: r.clipId, readingId: r.readingId, mediaId: r.mediaId, file: r.file, seconds: Number((r.samples / 48000).toFixed(3)) };
    io.out(parsed.json ? JSON.stringify(summary, null, 2) : `Line ${r.lineId}${r.clipId ? ` (clip ${r.clipId})` : ''}: reading ${r.readingId} (${summary.seconds} s) in ${r.file}`);
    return 0;
  },
};
