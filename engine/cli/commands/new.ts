import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { inputError } from '../../errors.js';
import { parseProject, projectFilePath } from '../../model/project-file.js';
import { createProjectFile } from '../../model/project-writer.js';
import { assetPath } from '../../util/paths.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';

export function listTemplates(): string[] {
  return readdirSync(assetPath('templates')).filter((n) => existsSync(assetPath('templates', n, 'project.klappe'))).sort();
}

/** Creates a project folder from a template; refuses to overwrite an existing project. */
export function createProjectFromTemplate(dir: string, template: string, name?: string): string {
  if (!listTemplates().includes(template)) {
    throw inputError('UNKNOWN_TEMPLATE', `no template called "${template}"`, { path: '--template', hint: `Templates: ${listTemplates().join(', ')}` });
  }
  const file = projectFilePath(dir);
  if (existsSync(file)) throw inputError('PROJECT_EXISTS', `${file} already exists`, { file, hint: 'Pick an empty folder.' });
  const { doc } = parseProject(readFileSync(assetPath('templates', template, 'project.klappe'), 'utf8'), `template ${template}`);
  doc.id = `prj-${randomUUID().slice(0, 8)}`;
  doc.createdAt = new Date().toISOString();
  if (name) doc.name = name;
  return createProjectFile(file, doc);
}

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
