/** Project templates (assets/templates/NAME/project.klappe): list them, make a project from one. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { inputError } from '../common/errors.js';
import { assetPath } from '../util/paths.js';
import { parseProject, projectFilePath } from './project-file.js';
import { createProjectFile } from './project-writer.js';

export function listTemplates(): string[] {
  return readdirSync(assetPath('templates'))
    .filter((n) => existsSync(assetPath('templates', n, 'project.klappe')))
    .sort();
}

/** Creates a project folder from a template; refuses to overwrite an existing project. */
export function createProjectFromTemplate(dir: string, template: string, name?: string): string {
  if (!listTemplates().includes(template)) {
    throw inputError('UNKNOWN_TEMPLATE', `no template called "${template}"`, {
      path: '--template',
      hint: `Templates: ${listTemplates().join(', ')}`,
    });
  }
  const file = projectFilePath(dir);
  if (existsSync(file)) throw inputError('PROJECT_EXISTS', `${file} already exists`, { file, hint: 'Pick an empty folder.' });
  const { doc } = parseProject(readFileSync(assetPath('templates', template, 'project.klappe'), 'utf8'), `template ${template}`);
  doc.id = `prj-${randomUUID().slice(0, 8)}`;
  doc.createdAt = new Date().toISOString();
  if (name) doc.name = name;
  return createProjectFile(file, doc);
}
