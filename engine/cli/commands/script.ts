import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { inputError } from '../../common/errors.js';
import { checkOutputPath } from '../../export/render.js';
import { formatFountain, parseFountain } from '../../interchange/fountain.js';
import { scriptToCommands, type ScriptImportReport } from '../../interchange/script-import.js';
import { loadProject } from '../../model/project-file.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { WAIT_HELP, WAIT_OPTION } from '../open-project.js';
import { editProject } from '../project-edit.js';

export const scriptCommand: CliCommand = {
  name: 'script',
  summary: 'import a Fountain screenplay as scenes, shots, characters and lines, or export the project as one',
  usage:
    'klappe script import PROJECT FILE.fountain [--no-breakdown] [--skip "N/SHOT NAME"]… [--wait SECONDS] | klappe script export PROJECT -o FILE.fountain [--no-ids] [--force]',
  details: [
    'import adds each scene with a proposed shot breakdown (establishing wide, a single on each speaker, an insert for each named prop;',
    '--no-breakdown: the wide only), the characters it meets and every dialogue line with its parenthetical and extension, as one undo step.',
    '--skip "N/SHOT NAME" leaves a proposed shot out (N: the scene\'s place in the report\'s breakdown, from 0; e.g. --skip "0/Insert: table");',
    "a left-out single's lines go to the wide. --json prints the breakdown with what was left out.",
    "Scenes, shots and lines named by the script's [[klappe …]] notes (written by export) are updated in place, so their takes stay.",
    'export writes the title page, scene headings with numbers, shot actions and dialogue, with the ids in notes (--no-ids leaves them out).',
    WAIT_HELP,
  ],
  options: {
    output: { type: 'string', short: 'o' },
    'no-breakdown': { type: 'boolean', default: false },
    skip: { type: 'string', multiple: true },
    'no-ids': { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const sub = requirePositional(parsed, 0, 'import|export', this.usage);
    const projectPath = requirePositional(parsed, 1, 'PROJECT', this.usage);
    if (sub === 'export') {
      const outArg = stringOption(parsed, 'output') ?? parsed.positionals[2];
      if (!outArg) throw inputError('BAD_ARGUMENTS', 'missing -o FILE.fountain', { path: '-o', hint: `Usage: ${this.usage}` });
      const output = resolve(outArg);
      if (extname(output).toLowerCase() !== '.fountain')
        throw inputError('BAD_ARGUMENTS', `a screenplay is written as .fountain, not "${extname(output) || '(no extension)'}"`, {
          path: '-o',
        });
      checkOutputPath(output, parsed.values.force === true);
      const { doc } = loadProject(projectPath);
      writeFileAtomic(output, formatFountain(doc, { ids: parsed.values['no-ids'] !== true }));
      if (parsed.json)
        io.out(JSON.stringify({ ok: true, output, scenes: doc.scenes.length, lines: doc.lines.filter((l) => l.shotId).length }, null, 2));
      else io.out(`Wrote ${doc.scenes.length} scene(s) to ${output}`);
      return 0;
    }
    if (sub !== 'import')
      throw inputError('BAD_ARGUMENTS', `unknown script action "${sub}": use import or export`, {
        path: 'ACTION',
        hint: `Usage: ${this.usage}`,
      });
    const file = resolve(requirePositional(parsed, 2, 'FILE.fountain', this.usage));
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw inputError('FILE_NOT_FOUND', `${file}: cannot read the file`, { file });
    }
    const script = parseFountain(text);
    if (!script.elements.some((e) => e.type === 'scene' || e.type === 'dialogue' || e.type === 'action')) {
      throw inputError('FOUNTAIN_EMPTY', `${file}: no scene, action or dialogue found`, {
        file,
        hint: 'A Fountain scene starts with a heading such as "INT. KITCHEN - NIGHT" after a blank line.',
      });
    }
    const breakdown = parsed.values['no-breakdown'] !== true;
    let report!: ScriptImportReport;
    await editProject(projectPath, parsed, io, 'Import screenplay', (doc) => {
      const r = scriptToCommands(doc, script, { breakdown, skip: new Set((parsed.values.skip as string[] | undefined) ?? []) });
      report = r.report;
      return r.commands;
    });
    if (parsed.json) io.out(JSON.stringify({ ok: true, ...report }, null, 2));
    else {
      io.out(
        `Imported ${file}: ${report.scenesAdded} scene(s) added, ${report.scenesUpdated} updated; ${report.shotsAdded} shot(s) added; ${report.linesAdded} line(s) added, ${report.linesUpdated} updated${report.charactersAdded.length ? `; new characters: ${report.charactersAdded.join(', ')}` : ''}`,
      );
      const skipped = Object.entries(report.notKept)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      if (skipped) io.out(`  not kept in the project: ${skipped}`);
    }
    return 0;
  },
};
