import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { captionCues, formatSrt, formatVtt, srtToCommands } from '../../audio/captions.js';
import { parseCaptionBytes } from '../../interchange/caption-files.js';
import { MediaStore } from '../../cache/media-store.js';
import { inputError } from '../../common/errors.js';
import { loadProject } from '../../model/project-file.js';
import { checkOutputPath } from '../../export/render.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { openProject, WAIT_HELP, WAIT_OPTION } from '../open-project.js';

export const captionsCommand: CliCommand = {
  name: 'captions',
  summary: 'write the dialogue captions as SRT or WebVTT, or import an SRT or WebVTT file onto a dialogue track',
  usage:
    'klappe captions PROJECT -o OUT.srt|OUT.vtt [--force] | klappe captions import PROJECT IN.srt|IN.vtt --track ID [--keep-tags] [--wait SECONDS]',
  details: [
    "Cue times come from the takes' spoken dialogue timings where a generator recorded them, else from the slate's placement.",
    'import adds each cue as a dialogue line (clip) on the track, to be spoken later, as one undo step; "<v Name>" or "NAME: text" picks the character by name.',
    'Files from other tools are read as they come: UTF-8/UTF-16 with BOM, any line ends, cues without numbers or out of order, WebVTT STYLE/NOTE/REGION blocks.',
    '--keep-tags keeps styling tags (<i>, <c.x>) in the line text; by default they are stripped and entities decoded. (--import FILE is the older spelling.)',
    WAIT_HELP,
  ],
  options: {
    output: { type: 'string', short: 'o' },
    import: { type: 'string' },
    track: { type: 'string' },
    'keep-tags': { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const sub = parsed.positionals[0] === 'import';
    const projectPath = requirePositional(parsed, sub ? 1 : 0, 'PROJECT', this.usage);
    const importFile = sub ? requirePositional(parsed, 2, 'FILE', this.usage) : stringOption(parsed, 'import');
    if (importFile) {
      const trackId = stringOption(parsed, 'track');
      if (!trackId) throw inputError('BAD_ARGUMENTS', 'missing --track ID for --import', { path: '--track', hint: `Usage: ${this.usage}` });
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(resolve(importFile));
      } catch {
        throw inputError('FILE_NOT_FOUND', `${resolve(importFile)}: cannot read the file`, { file: resolve(importFile) });
      }
      const keepTags = parsed.values['keep-tags'] === true;
      const { cues, format, reordered } = parseCaptionBytes(bytes, { file: resolve(importFile), keepTags });
      const project = await openProject(projectPath, parsed, io);
      const placed = { moved: 0 };
      try {
        if (project.kind === 'local') {
          project.session.apply(srtToCommands(project.session.doc, cues, trackId, '--track', placed), 'Import captions');
          project.session.save();
        } else {
          await project.client.call('captions.import', { path: resolve(importFile), trackId, ...(keepTags ? { keepTags } : {}) });
        }
      } finally {
        project.close();
      }
      if (parsed.json)
        io.out(JSON.stringify({ ok: true, imported: cues.length, trackId, format, reordered, moved: placed.moved }, null, 2));
      else
        io.out(
          `Imported ${cues.length} line(s) from ${format.toUpperCase()} onto track ${trackId}${reordered ? ` (${reordered} cue(s) were out of order and were sorted)` : ''}${placed.moved ? ` (${placed.moved} overlapping cue(s) start where the one before ends)` : ''}`,
        );
      return 0;
    }
    const loaded = loadProject(projectPath);
    const outArg = stringOption(parsed, 'output') ?? parsed.positionals[1];
    if (!outArg) throw inputError('BAD_ARGUMENTS', 'missing -o OUT.srt|OUT.vtt', { path: '-o', hint: `Usage: ${this.usage}` });
    const output = resolve(outArg);
    const ext = extname(output).toLowerCase();
    if (ext !== '.srt' && ext !== '.vtt')
      throw inputError('BAD_ARGUMENTS', `captions are written as .srt or .vtt, not "${ext || '(no extension)'}"`, { path: '-o' });
    checkOutputPath(output, parsed.values.force === true);
    const cues = captionCues(loaded.doc, new MediaStore());
    const text = ext === '.srt' ? formatSrt(cues, loaded.doc) : formatVtt(cues, loaded.doc);
    writeFileAtomic(output, text);
    const summary = { ok: true, output, cues: cues.length, timings: [...new Set(cues.map((c) => c.timing))] };
    if (parsed.json) io.out(JSON.stringify(summary, null, 2));
    else io.out(`Wrote ${cues.length} caption(s) to ${output}`);
    return 0;
  },
};
