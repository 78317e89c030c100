import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { MediaStore } from '../../cache/media-store.js';
import { inputError } from '../../common/errors.js';
import { checkOutputPath } from '../../export/render.js';
import { TIMELINE_FORMATS, timelineFormatOfFile } from '../../common/timeline-formats.js';
import type { OtioImportReport } from '../../interchange/otio.js';
import { TIMELINE_CODECS } from '../../interchange/timeline-formats.js';
import { loadProject } from '../../model/project-file.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { WAIT_HELP, WAIT_OPTION } from '../open-project.js';
import { editProject } from '../project-edit.js';

const EXTENSIONS = TIMELINE_FORMATS.map((f) => f.ext).join('|');

export const timelineCommand: CliCommand = {
  name: 'timeline',
  summary: 'export the sequence for another editor (OpenTimelineIO, FCPXML, Final Cut Pro 7 XML, CMX3600 EDL), or import one',
  usage: `klappe timeline export PROJECT -o CUT${EXTENSIONS.replaceAll('|', '|CUT')} [--force] | klappe timeline import PROJECT CUT.otio|… [--wait SECONDS]`,
  details: [
    `The format follows the file's extension: ${TIMELINE_FORMATS.map((f) => `${f.ext} ${f.label.replace(/ \(.*\)$/, '')}`).join(', ')}.`,
    "export writes the sequence's tracks, clips, transitions and markers; takes point at their video in the cache, shots with no take are slates (OTIO GeneratorReference) or gaps.",
    "import replaces the sequence's tracks and markers with the file's, as one undo step; a file that cannot be read changes nothing.",
    'What could not be kept as it was (effects, speed changes, nested stacks, generators, rate conversion) is listed in the report (--json for all of it).',
    WAIT_HELP,
  ],
  options: { output: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false }, ...WAIT_OPTION },
  async run(parsed, io) {
    const sub = requirePositional(parsed, 0, 'export|import', this.usage);
    const projectPath = requirePositional(parsed, 1, 'PROJECT', this.usage);
    if (sub === 'export') {
      const outArg = stringOption(parsed, 'output') ?? parsed.positionals[2];
      if (!outArg) throw inputError('BAD_ARGUMENTS', 'missing -o CUT.otio', { path: '-o', hint: `Usage: ${this.usage}` });
      const output = resolve(outArg);
      const format = timelineFormatOfFile(output);
      if (!format)
        throw inputError(
          'BAD_ARGUMENTS',
          `a timeline is written as ${EXTENSIONS.replaceAll('|', ', ')}, not "${extname(output) || '(no extension)'}"`,
          {
            path: '-o',
          },
        );
      checkOutputPath(output, parsed.values.force === true);
      const loaded = loadProject(projectPath);
      const store = new MediaStore();
      const exportOpts = { projectDir: loaded.dir, mediaFile: (h: string) => (store.has(h) ? store.require(h) : undefined) };
      writeFileAtomic(output, TIMELINE_CODECS[format].write(loaded.doc, exportOpts));
      const clips = loaded.doc.sequence.tracks.reduce((n, t) => n + t.clips.length, 0);
      if (parsed.json) io.out(JSON.stringify({ ok: true, output, tracks: loaded.doc.sequence.tracks.length, clips }, null, 2));
      else io.out(`Wrote ${clips} clip(s) on ${loaded.doc.sequence.tracks.length} track(s) to ${output}`);
      return 0;
    }
    if (sub !== 'import')
      throw inputError('BAD_ARGUMENTS', `unknown timeline action "${sub}": use export or import`, {
        path: 'ACTION',
        hint: `Usage: ${this.usage}`,
      });
    const file = resolve(requirePositional(parsed, 2, 'CUT.otio', this.usage));
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw inputError('FILE_NOT_FOUND', `${file}: cannot read the file`, { file });
    }
    const format = timelineFormatOfFile(file);
    if (!format)
      throw inputError(
        'BAD_ARGUMENTS',
        `${file}: a timeline is read from ${EXTENSIONS.replaceAll('|', ', ')}, not "${extname(file) || '(no extension)'}"`,
        {
          file,
          path: 'CUT',
        },
      );
    const { read } = TIMELINE_CODECS[format];
    let report!: OtioImportReport;
    await editProject(projectPath, parsed, io, 'Import timeline', (doc, dir) => {
      const r = read(doc, text, { file, projectDir: dir });
      report = r.report;
      return r.commands;
    });
    if (parsed.json) io.out(JSON.stringify({ ok: true, ...report }, null, 2));
    else {
      io.out(
        `Imported ${report.clips} clip(s) on ${report.tracks} track(s) from ${file}${report.missing ? ` (${report.missing} with missing media)` : ''}`,
      );
      for (const a of report.approximated.slice(0, 20)) io.out(`  approximated: ${a.path}: ${a.what}`);
      if (report.approximated.length > 20) io.out(`  … and ${report.approximated.length - 20} more (--json lists all)`);
    }
    return 0;
  },
};
