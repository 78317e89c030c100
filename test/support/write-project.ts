/** Tests write their fixture projects through the same writer the ProjectSession uses. */
import { writeProjectFile } from '../../engine/model/project-writer.js';
import type { Project } from '../../engine/model/schema.js';

export function saveProject(pathOrDir: string, doc: Project, opts: { backup?: boolean } = {}): string {
  return writeProjectFile(pathOrDir, doc, { ...opts, by: 'test fixture' });
}
