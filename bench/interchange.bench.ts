/** Interchange benchmarks: OTIO export and import of a 1,000-clip timeline; baseline: JSON.stringify/parse of the same document. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatOtio, otioToCommands } from '../engine/interchange/otio.js';
import { applyCommand } from '../engine/model/commands/index.js';
import { parseProject } from '../engine/model/project-file.js';
import type { Project } from '../engine/model/schema.js';
import { medianMs, report } from './support.js';

function thousandClips(): Project {
  const doc = parseProject(readFileSync(join(import.meta.dirname, '..', 'assets', 'templates', 'two-scenes', 'project.klappe'), 'utf8')).doc;
  const shotIds = doc.scenes.flatMap((s) => s.shots.map((sh) => sh.id));
  const v1 = doc.sequence.tracks.find((t) => t.kind === 'video')!;
  const clips = Array.from({ length: 1000 }, (_, i) => ({ id: `b${i}`, name: `Clip ${i}`, source: { type: 'shot' as const, shotId: shotIds[i % shotIds.length]! }, sourceStart: i % 7, recordStart: i * 30, duration: 24, gainDb: 0, fadeInSamples: 0, fadeOutSamples: 0, muted: false }));
  return { ...doc, sequence: { ...doc.sequence, tracks: doc.sequence.tracks.map((t) => (t === v1 ? { ...t, clips } : t)) } };
}

export async function benchInterchange(): Promise<void> {
  const doc = thousandClips();
  const opts = { projectDir: '/p' };
  let text = '';
  const json = await medianMs(5, () => JSON.parse(JSON.stringify(doc)));
  const exp = await medianMs(5, () => { text = formatOtio(doc, opts); });
  report({ name: 'otio export, 1,000 clips', value: exp, unit: 'ms', baseline: { name: 'JSON round trip of the project', value: json }, note: `${(text.length / 1024).toFixed(0)} KiB` });
  let commands: unknown[] = [];
  const imp = await medianMs(5, () => { commands = otioToCommands(doc, text, opts).commands; });
  report({ name: 'otio import (read + commands), 1,000 clips', value: imp, unit: 'ms', baseline: { name: 'JSON round trip of the project', value: json } });
  const apply = await medianMs(3, () => commands.reduce<Project>((d, c) => applyCommand(d, c).doc, doc));
  report({ name: 'otio import applied (its commands: one per track and media)', value: apply, unit: 'ms' });
}
