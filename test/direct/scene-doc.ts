/** A scene of one's own made with typed commands (what the CLI and the studio send): two characters, a set, three shots by size and subject. */
import { join } from 'node:path';
import { applyCommand } from '../../engine/model/commands/index.js';
import type { CommandInput } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import type { Project } from '../../engine/model/schema.js';
import { ROOT } from '../support/env.js';

export function emptyProject(): Project {
  return loadProject(join(ROOT, 'assets', 'templates', 'empty')).doc;
}

export function applyAll(doc: Project, cmds: CommandInput[]): Project {
  for (const c of cmds) doc = applyCommand(doc, c).doc;
  return doc;
}

export const SCENE_COMMANDS: CommandInput[] = [
  { type: 'character.add', character: { id: 'leo', name: 'Leo', voice: { voice: 'kal' }, look: { shirt: '#305080' } } },
  { type: 'character.add', character: { id: 'mia', name: 'Mia', look: { height: 1.65 } } },
  { type: 'scene.add', scene: { id: 'kitchen', name: 'Kitchen', set: { name: 'Kitchen', width: 6, depth: 5 } } },
  { type: 'mark.place', sceneId: 'kitchen', characterIds: ['leo', 'mia'] },
  {
    type: 'shot.add',
    sceneId: 'kitchen',
    shot: { id: 'wide', framing: { size: 'wide', subjectId: 'leo' }, duration: 72 },
    clip: { trackId: 'v1' },
  },
  { type: 'line.add', line: { characterId: 'leo', text: 'I kept it for three years.', shotId: 'wide' } },
  {
    type: 'shot.add',
    sceneId: 'kitchen',
    shot: { id: 'close', framing: { size: 'close-up', subjectId: 'leo' }, duration: 72 },
    clip: { trackId: 'v1' },
  },
  { type: 'line.add', line: { characterId: 'leo', text: 'Every single day.', shotId: 'close' } },
  {
    type: 'shot.add',
    sceneId: 'kitchen',
    shot: { id: 'ots', framing: { size: 'over-the-shoulder', subjectId: 'mia', overId: 'leo' }, duration: 60 },
    clip: { trackId: 'v1' },
  },
  { type: 'line.add', line: { characterId: 'mia', text: 'Then let it go.', shotId: 'ots' } },
];
