import { resolve } from 'node:path';
import { importAudio } from '../../audio/import-audio.js';
import { inputError } from '../../common/errors.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { openProject, WAIT_HELP, WAIT_OPTION } from '../open-project.js';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import an audio file (WAV, MP3, M4A, FLAC) onto a track',
  usage: 'klappe import PROJECT FILE --track ID [--at FRAME] [--trim-silence] [--wait SECONDS]',
  details: [
    'The file is probed first; an unreadable or unsupported file is refused and the project is left as it was.',
    'The file is referenced where it is, never changed.',
    '--trim-silence starts and ends the clip at the speech found by voice activity detection (Silero VAD).',
    'When the project is open in a studio that serves it, the clip is added there (save it in the studio).',
    WAIT_HELP,
  ],
  options: {
    track: { type: 'string' },
    at: { type: 'string', default: '0' },
    'trim-silence': { type: 'boolean', default: false },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const projectPath = requirePositional(parsed, 0, 'PROJECT', this.usage);
    const file = resolve(requirePositional(parsed, 1, 'FILE', this.usage));
    const trackId = stringOption(parsed, 'track');
    if (!trackId) throw inputError('BAD_ARGUMENTS', 'missing --track ID', { path: '--track', hint: `Usage: ${this.usage}` });
    const atText = stringOption(parsed, 'at') ?? '0';
    const at = Number(atText);
    if (!Number.isInteger(at) || at < 0)
      throw inputError('BAD_ARGUMENTS', `--at must be a frame number (0 or more), not "${atText}"`, { path: '--at' });
    const trimSilence = parsed.values['trim-silence'] === true;
    const project = await openProject(projectPath, parsed, io);
    let r: { mediaId: string; clipId: string; durationSamples: number };
    try {
      if (project.kind === 'local') {
        const s = project.session;
        const imported = await importAudio(s.doc, s.dir, file, { trackId, at, trimSilence, signal: io.signal });
        s.apply(imported.commands, 'Import audio');
        s.save();
        r = imported;
      } else {
        const done = await project.client.call('audio.import', { path: file, trackId, at, trimSilence });
        const state = await project.client.call('project.get');
        r = { ...done, durationSamples: state?.doc.media.find((m) => m.id === done.mediaId)?.durationSamples ?? 0 };
      }
    } finally {
      project.close();
    }
    const summary = {
      ok: true,
      mediaId: r.mediaId,
      clipId: r.clipId,
      trackId,
      at,
      durationSamples: r.durationSamples,
      ...(project.kind === 'remote' ? { via: project.owner.api?.url } : {}),
    };
    if (parsed.json) io.out(JSON.stringify(summary, null, 2));
    else
      io.out(
        `Imported ${file} as clip ${r.clipId} on track ${trackId} at frame ${at} (${(r.durationSamples / 48000).toFixed(2)} s)${project.kind === 'remote' ? ' in the studio that has the project open' : ''}`,
      );
    return 0;
  },
};
