import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../engine/model/commands/index.js';
import { migrate } from '../../engine/model/migrations.js';
import { loadProject } from '../../engine/model/project-file.js';
import { ProjectSchema } from '../../engine/model/schema.js';
import { ROOT } from '../support/env.js';

describe('the export loudness saved with the project (schema v11)', () => {
  it('a new project (the templates) masters for streaming', () => {
    for (const t of ['empty', 'two-scenes']) expect(loadProject(join(ROOT, 'assets', 'templates', t)).doc.exportLoudness).toBe('streaming');
  });

  it('a project made before v11 keeps exporting its mix as it was', () => {
    const v8 = loadProject(join(ROOT, 'assets', 'templates', 'empty')).doc;
    const { exportLoudness: _dropped, ...v7 } = { ...v8, schemaVersion: 10 };
    const { doc, from } = migrate(v7);
    expect(from).toBe(10);
    expect(ProjectSchema.parse(doc).exportLoudness).toBe('off');
  });

  it('project.setExportLoudness sets it and refuses what the dialog does not offer', () => {
    const doc = loadProject(join(ROOT, 'assets', 'templates', 'empty')).doc;
    expect(applyCommand(doc, { type: 'project.setExportLoudness', loudness: 'broadcast' }).doc.exportLoudness).toBe('broadcast');
    expect(() => applyCommand(doc, { type: 'project.setExportLoudness', loudness: 'loud' as never })).toThrow(/loudness/);
  });
});
