import { createProjectFromTemplate } from '../../model/templates.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';

export const newCommand: CliCommand = {
  name: 'new',
  summary: 'create a project folder from a template',
  usage: 'klappe new DIR [--template NAME] [--name TITLE]',
  details: ['Templates: two-scenes (the sample film), empty.'],
  options: { template: { type: 'string', default: 'two-scenes' }, name: { type: 'string' } },
  async run(parsed, io) {
    const dir = requirePositional(parsed, 0, 'DIR', this.usage);
    const file = createProjectFromTemplate(dir, stringOption(parsed, 'template')!, stringOption(parsed, 'name'));
    if (parsed.json) io.out(JSON.stringify({ ok: true, project: file }));
    else io.out(`Created ${file}`);
    return 0;
  },
};
