/**
 * Editing a project from the CLI: read the document and apply typed commands
 * (one undo step) through the one writer, the project's session or the
 * owner's api (open-project.ts), then save when the session is ours.
 */
import type { CommandInput } from '../model/commands/index.js';
import type { Project } from '../model/schema.js';
import type { CliIO, Parsed } from './command.js';
import { openProject, type OpenedProject } from './open-project.js';

async function docOf(project: OpenedProject): Promise<Project> {
  return project.kind === 'local' ? project.session.doc : (await project.client.call('project.get'))!.doc;
}

/**
 * Opens the project, asks `plan` for the commands to apply to its document (in the project folder `dir`),
 * applies them as one step and saves; returns the document after.
 */
export async function editProject(
  path: string,
  parsed: Parsed,
  io: CliIO,
  label: string,
  plan: (doc: Project, dir: string) => CommandInput[],
): Promise<Project> {
  const project = await openProject(path, parsed, io);
  try {
    const commands = plan(await docOf(project), project.dir);
    if (commands.length) {
      if (project.kind === 'local') {
        project.session.apply(commands, label);
        project.session.save();
      } else {
        await project.client.call('project.apply', { commands, label });
      }
    }
    return await docOf(project);
  } finally {
    project.close();
  }
}
