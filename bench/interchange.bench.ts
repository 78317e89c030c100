/**
 * Interchange benchmarks: OTIO export and import of a 1,000-clip timeline
 * (baseline: JSON.stringify/parse of the same document), and the import of a
 * generated 120-page screenplay (parse, commands, applied as one undo step).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatOtio, otioToCommands } from '../engine/interchange/otio.js';
import { parseFountain } from '../engine/interchange/fountain.js';
import { scriptToCommands } from '../engine/interchange/script-import.js';
import { applyCommand } from '../engine/model/commands/index.js';
import { createHistory, execute } from '../engine/model/history.js';
import { parseProject } from '../engine/model/project-file.js';
import type { Project } from '../engine/model/schema.js';
import { medianMs, report } from './support.js';

function thousandClips(): Project {
  const doc = parseProject(
    readFileSync(join(import.meta.dirname, '..', 'assets', 'templates', 'two-scenes', 'project.klappe'), 'utf8'),
  ).doc;
  const shotIds = doc.scenes.flatMap((s) => s.shots.map((sh) => sh.id));
  const v1 = doc.sequence.tracks.find((t) => t.kind === 'video')!;
  const clips = Array.from({ length: 1000 }, (_, i) => ({
    id: `b${i}`,
    name: `Clip ${i}`,
    source: { type: 'shot' as const, shotId: shotIds[i % shotIds.length]! },
    sourceStart: i % 7,
    recordStart: i * 30,
    duration: 24,
    gainDb: 0,
    fadeInSamples: 0,
    fadeOutSamples: 0,
    muted: false,
  }));
  return { ...doc, sequence: { ...doc.sequence, tracks: doc.sequence.tracks.map((t) => (t === v1 ? { ...t, clips } : t)) } };
}

export async function benchInterchange(): Promise<void> {
  const doc = thousandClips();
  const opts = { projectDir: '/p' };
  let text = '';
  const json = await medianMs(5, () => JSON.parse(JSON.stringify(doc)));
  const exp = await medianMs(5, () => {
    text = formatOtio(doc, opts);
  });
  report({
    name: 'otio export, 1,000 clips',
    value: exp,
    unit: 'ms',
    baseline: { name: 'JSON round trip of the project', value: json },
    note: `${(text.length / 1024).toFixed(0)} KiB`,
  });
  let commands: unknown[] = [];
  const imp = await medianMs(5, () => {
    commands = otioToCommands(doc, text, opts).commands;
  });
  report({
    name: 'otio import (read + commands), 1,000 clips',
    value: imp,
    unit: 'ms',
    baseline: { name: 'JSON round trip of the project', value: json },
  });
  const apply = await medianMs(3, () => commands.reduce<Project>((d, c) => applyCommand(d, c).doc, doc));
  report({ name: 'otio import applied (its commands: one per track and media)', value: apply, unit: 'ms' });

  const script = generateScreenplay(120);
  const base = {
    ...doc,
    scenes: [],
    lines: [],
    takes: [],
    sequence: { ...doc.sequence, tracks: doc.sequence.tracks.map((t) => ({ ...t, clips: [] })) },
  };
  let scenes = 0;
  const parseMs = await medianMs(3, () => parseFountain(script));
  const importMs = await medianMs(3, () => {
    const r = scriptToCommands(base, parseFountain(script));
    scenes = r.report.scenesAdded;
    execute(createHistory(base), r.commands, 'Import screenplay');
  });
  report({
    name: 'screenplay import, 120 pages (parse + breakdown + one undo step)',
    value: importMs,
    unit: 'ms',
    baseline: { name: 'Fountain parse alone', value: parseMs },
    note: `${scenes} scenes, ${(script.length / 1024).toFixed(0)} KiB`,
  });
}

/** A screenplay of about `pages` pages (~55 lines a page): scenes of action and dialogue between four characters. */
export function generateScreenplay(pages: number): string {
  const who = ['MIA', 'LEO', 'ANNA (O.S.)', 'TOM'];
  const out = ['Title: Bench', 'Author: Klappe', ''];
  let lines = 0;
  for (let s = 1; lines < pages * 55; s++) {
    out.push(
      `${s % 3 ? 'INT' : 'EXT'}. PLACE ${s} - ${s % 2 ? 'DAY' : 'NIGHT'} #${s}#`,
      '',
      `Mia walks to the table and picks up the cup. Leo watches from the door, scene ${s}.`,
      '',
    );
    lines += 4;
    for (let d = 0; d < 8; d++) {
      out.push(
        who[d % 4]!,
        ...(d % 3 === 0 ? ['(quietly)'] : []),
        `This is line ${d + 1} of scene ${s}, said with some feeling and a few more words.`,
        '',
      );
      lines += d % 3 === 0 ? 4 : 3;
    }
  }
  return out.join('\n');
}
