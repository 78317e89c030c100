import { importAudio } from '../../audio/import-audio.js';
import { inputError } from '../../common/errors.js';
import { loadProject, saveProject } from '../../model/project-file.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import an audio file (WAV, MP3, M4A, FLAC) onto a track',
  usage: 'klappe import PROJECT FILE --track ID [--at FRAME] [--trim-silence]',
  details: ['The file is probed first; an unreadable or unsupported file is refused and the project is left as it was.', 'The file is referenced where it is, never changed.', '--trim-silence starts and ends the clip at the speech found by voice activity detection (Silero VAD).'],
  options: { track: { type: 'string' }, at: { type: 'string', default: '0' }, 'trim-silence': { type: 'boolean', default: false } },
  async run(parsed, io) {
    const projectPath = requirePositional(parsed, 0, 'PROJECT', this.usage);
    const file = requirePositional(parsed, 1, 'FILE', this.usage);
    const trackId = stringOption(parsed, 'track');
    if (!trackId) throw inputError('BAD_ARGUMENTS', 'missing --track ID', { path: '--track', hint: `Usage: ${this.usage}` });
    const atText = stringOption(parsed, 'at') ?? '0';
    const at = Number(atText);
    if (!Number.isInteger(at) || at < 0) throw inputError('BAD_ARGUMENTS', `--at must be a frame number (0 or more), not "${atText}"`, { path: '--at' });
    const loaded = loadProject(projectPath);
    const r = await importAudio(loaded.doc, loaded.dir, file, { trackId, at, trimSilence: parsed.values['trim-silence'] === true, signal: io.signal });
    saveProject(loaded.file, r.doc);
    const summary = { ok: true, mediaId: r.mediaId, clipId: r.clipId, trackId, at, durationSamples: r.durationSamples };
    if (parsed.json) io.out(JSON.stringify(summary, null, 2));
    else io.out(`Imported ${file} as clip ${r.clipId} on track ${trackId} at frame ${at} (${(r.durationSamples / 48000).toFixed(2)} s)`);
    return 0;
  },
};
