/** Projects and comparisons shared by the interchange tests (OTIO, EDL, FCPXML, FCP7 XML). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyCommand } from '../../engine/model/commands/index.js';
import { parseProject } from '../../engine/model/project-file.js';
import type { Project } from '../../engine/model/schema.js';
import { ROOT } from './env.js';

export const FIX = join(ROOT, 'test', 'fixtures', 'interchange');
export const template = (): Project =>
  parseProject(readFileSync(join(ROOT, 'assets', 'templates', 'two-scenes', 'project.klappe'), 'utf8')).doc;
export const applyAll = (doc: Project, commands: unknown[]) => commands.reduce<Project>((d, c) => applyCommand(d, c).doc, doc);
/** What a timeline is, for comparing: per track, the clips' order, source and record ranges. */
export const cut = (doc: Project) =>
  doc.sequence.tracks.map((t) => [t.id, t.kind, t.clips.map((c) => [c.name, c.sourceStart, c.recordStart, c.duration, c.muted])]);

/** The template with a take on shot s1, played by a clip on a second video track, and a line clip on the dialogue track. */
export function richProject(): Project {
  let doc = template();
  doc = applyCommand(doc, {
    type: 'take.add',
    take: { id: 'take-a', shotId: 's1', backend: 'slate', duration: 96, createdAt: '2026-01-01T00:00:00Z' },
  }).doc;
  doc = applyCommand(doc, { type: 'track.add', track: { id: 'v2', kind: 'video', name: 'Overlay' } }).doc;
  doc = applyCommand(doc, {
    type: 'clip.add',
    trackId: 'v2',
    clip: { id: 'c-take', source: { type: 'take', takeId: 'take-a' }, sourceStart: 12, recordStart: 30, duration: 40, gainDb: -3 },
  }).doc;
  doc = applyCommand(doc, { type: 'line.add', line: { id: 'l-x', characterId: doc.characters[0]!.id, text: 'Hello there.' } }).doc;
  doc = applyCommand(doc, {
    type: 'clip.add',
    trackId: 'd1',
    clip: { id: 'c-line', source: { type: 'line' }, recordStart: 10, duration: 20, lineId: 'l-x', fadeInSamples: 480 },
  }).doc;
  return doc;
}
