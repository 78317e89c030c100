import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFountain, parseFountain } from '../../engine/interchange/fountain.js';
import { scriptToCommands } from '../../engine/interchange/script-import.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { loadProject, parseProject } from '../../engine/model/project-file.js';
import type { Project } from '../../engine/model/schema.js';
import { ROOT, runCli, tempDir } from '../support/env.js';

const FIX = join(ROOT, 'test', 'fixtures', 'interchange');
const applyAll = (doc: Project, commands: unknown[]) => commands.reduce<Project>((d, c) => applyCommand(d, c).doc, doc);
/** The empty template without its starter scene. */
const empty = (): Project => {
  const doc = parseProject(readFileSync(join(ROOT, 'assets', 'templates', 'empty', 'project.klappe'), 'utf8')).doc;
  return applyAll(
    doc,
    doc.scenes.map((s) => ({ type: 'scene.remove', sceneId: s.id })),
  );
};
const text = () => readFileSync(join(FIX, 'the-cup.fountain'), 'utf8');
/** Every scene heading, cue, parenthetical and line of a project, in script order. */
const script = (doc: Project) =>
  doc.scenes.map((s) => [
    s.heading,
    s.number,
    s.shots.flatMap((sh) =>
      doc.lines
        .filter((l) => l.shotId === sh.id)
        .map((l) => [doc.characters.find((c) => c.id === l.characterId)?.name, l.extension, l.parenthetical, l.text, l.dual ?? false]),
    ),
  ]);

describe('Fountain', () => {
  it('reads title page, headings (forced, numbered), cues with extensions and dual, parentheticals, notes, boneyard, sections, synopses, transitions, centered', () => {
    const s = parseFountain(text());
    expect(s.titlePage).toEqual([
      { key: 'Title', value: '**THE CUP**' },
      { key: 'Credit', value: 'Written by' },
      { key: 'Author', value: 'Ada Writer' },
      { key: 'Draft date', value: '1 May 2026' },
    ]);
    expect(s.elements.map((e) => e.type)).toEqual([
      'section',
      'synopsis',
      'scene',
      'action',
      'dialogue',
      'dialogue',
      'dialogue',
      'note',
      'transition',
      'scene',
      'dialogue',
      'scene',
      'dialogue',
      'centered',
    ]);
    const [kitchen, yard, garden] = s.elements.filter((e) => e.type === 'scene');
    expect(kitchen).toMatchObject({ heading: { prefix: 'INT', location: 'KITCHEN', timeOfDay: 'NIGHT' }, number: '1', line: 10 });
    expect(yard).toMatchObject({ heading: { prefix: '', location: 'BACK YARD', timeOfDay: '' } });
    expect(garden).toMatchObject({ heading: { prefix: 'EXT', location: 'GARDEN', timeOfDay: 'DAY' }, number: '2A' });
    const d = s.elements.filter((e) => e.type === 'dialogue');
    expect(d.map((x) => [x.character, x.extension, x.dual, x.parts.map((p) => [p.parenthetical, p.text])])).toEqual([
      [
        'MIA',
        undefined,
        false,
        [
          ['quietly', 'Is this your cup?'],
          ['beat', 'It was on the floor.'],
        ],
      ],
      ['LEO', 'O.S.', false, [[undefined, 'Not mine.']]],
      ['MIA', undefined, true, [[undefined, 'Then whose?']]],
      ['McCLANE', undefined, false, [[undefined, 'Yippee.']]],
      ['LEO', 'V.O.', false, [[undefined, 'I never liked that cup.']]],
    ]);
    expect(s.boneyard).toEqual([' an old scene\nINT. ATTIC - DAY\n']);
    expect(s.elements.find((e) => e.type === 'action')).toMatchObject({ text: 'Mia stands by the table. A cup sits on it.' });
  });

  it('imports scenes with headings, characters, lines and a proposed breakdown (wide, singles, inserts) as commands', () => {
    const doc = empty();
    const { commands, report } = scriptToCommands(doc, parseFountain(text()));
    const after = applyAll(doc, commands);
    expect(after.name).toBe('THE CUP');
    expect(after.creator.name).toBe('Ada Writer');
    expect(after.characters.map((c) => c.name)).toEqual(['Mia', 'Leo', 'Mcclane']);
    expect(after.scenes[0]!.shots.map((s) => s.name)).toEqual([
      'Establishing wide',
      'Single on Mia',
      'Single on Leo',
      'Insert: cup',
      'Insert: table',
    ]);
    expect(after.scenes[0]!.set.kind).toBe('room');
    expect(after.scenes[2]!.set.kind).toBe('outdoor');
    expect(report).toMatchObject({
      scenesAdded: 3,
      linesAdded: 6,
      notKept: {},
    });
    // the other elements are kept where they stand: before the first scene, within a scene (after its n-th action or line)
    expect(after.scriptExtras).toEqual([
      { kind: 'section', text: 'Act One', depth: 1, after: 0 },
      { kind: 'synopsis', text: 'Mia finds a cup.', after: 1 },
      { kind: 'boneyard', text: ' an old scene\nINT. ATTIC - DAY\n', after: 2 },
    ]);
    expect(after.scenes[0]!.scriptExtras).toEqual([
      { kind: 'note', text: 'Check the lighting here', after: 5 },
      { kind: 'transition', text: 'CUT TO:', after: 5 },
    ]);
    expect(after.scenes[2]!.scriptExtras).toEqual([{ kind: 'centered', text: 'THE END', after: 1 }]);
    // the singles speak their character's lines
    const mia = after.scenes[0]!.shots[1]!;
    expect(after.lines.filter((l) => l.shotId === mia.id).map((l) => l.text)).toEqual([
      'Is this your cup?',
      'It was on the floor.',
      'Then whose?',
    ]);
    expect(after.sequence.tracks[0]!.clips.length).toBe(after.scenes.flatMap((s) => s.shots).length);
  });

  it("leaves out the proposed shots the user unticked; a left-out single's lines go to the wide", () => {
    const doc = empty();
    const { commands, report } = scriptToCommands(doc, parseFountain(text()), {
      skip: new Set(['0/Insert: table', '0/Single on Leo', '0/Establishing wide']),
    });
    const after = applyAll(doc, commands);
    expect(after.scenes[0]!.shots.map((sh) => sh.name)).toEqual(['Establishing wide', 'Single on Mia', 'Insert: cup']);
    expect(report.breakdown[0]!.shots.filter((sh) => sh.skipped).map((sh) => sh.name)).toEqual(['Single on Leo', 'Insert: table']);
    const wide = after.scenes[0]!.shots[0]!;
    expect(after.lines.filter((l) => l.shotId === wide.id).map((l) => l.text)).toEqual(['Not mine.']);
  });

  it('Fountain → project → Fountain keeps every heading, cue, parenthetical and line; a studio edit shows in the script; a script edit re-imports onto the same lines and shots with their takes', () => {
    let doc = empty();
    doc = applyAll(doc, scriptToCommands(doc, parseFountain(text()), { breakdown: false }).commands);
    const out = formatFountain(doc);
    const again = applyAll(empty(), scriptToCommands(empty(), parseFountain(out), { breakdown: false }).commands);
    expect(script(again)).toEqual(script(doc));
    expect(again.scriptExtras).toEqual(doc.scriptExtras);
    expect(again.scenes.map((sc) => sc.scriptExtras)).toEqual(doc.scenes.map((sc) => sc.scriptExtras));
    expect(out).toMatch(
      /# Act One\n\n= Mia finds a cup\.[\s\S]*\[\[Check the lighting here\]\]\n\n> CUT TO:[\s\S]*>THE END<[\s\S]*\/\* an old scene/,
    );
    // a studio edit: the exported script says the new words
    const firstLine = doc.lines[0]!;
    doc = applyCommand(doc, { type: 'line.update', lineId: firstLine.id, patch: { text: 'Is this YOUR cup?' } }).doc;
    const shotId = doc.scenes[0]!.shots[0]!.id;
    doc = applyCommand(doc, {
      type: 'take.add',
      take: { id: 'tk1', shotId, backend: 'slate', duration: 48, createdAt: '2026-01-01T00:00:00Z' },
    }).doc;
    const exported = formatFountain(doc);
    expect(exported).toContain(`(quietly)\nIs this YOUR cup? [[klappe line=${firstLine.id}]]`);
    // a script edit, imported again: the same line changes, no new scene or shot, the take stays
    const edited = exported.replace('Not mine.', 'Not mine, honestly.').replace('(quietly)', '(whispering)');
    const r = scriptToCommands(doc, parseFountain(edited), { breakdown: false });
    const updated = applyAll(doc, r.commands);
    expect(r.report).toMatchObject({ scenesAdded: 0, scenesUpdated: 3, shotsAdded: 0, linesAdded: 0, linesUpdated: 6 });
    expect(updated.lines.map((l) => l.id)).toEqual(doc.lines.map((l) => l.id));
    expect(updated.lines.find((l) => l.text === 'Not mine, honestly.')?.id).toBe(doc.lines.find((l) => l.text === 'Not mine.')?.id);
    expect(updated.lines[0]!.parenthetical).toBe('whispering');
    expect(updated.takes.map((t) => t.id)).toEqual(['tk1']);
    expect(updated.scenes[0]!.shots.map((s) => s.id)).toEqual([shotId]);
  });
});

describe('klappe script', () => {
  it('imports a screenplay as one undo step and exports it with ids; re-import updates the same lines', async () => {
    const t = tempDir('klappe-script-');
    try {
      const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
      const project = join(t.dir, 'p');
      expect((await runCli(['new', project, '--template', 'two-scenes'], env)).status).toBe(0);
      const before = loadProject(project).doc;
      const r = await runCli(['script', 'import', project, join(FIX, 'the-cup.fountain'), '--skip', '0/Insert: table', '--json'], env);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).breakdown[0].shots.find((sh: { name: string }) => sh.name === 'Insert: table')).toMatchObject({
        skipped: true,
      });
      expect(
        loadProject(project)
          .doc.scenes.flatMap((sc) => sc.shots)
          .map((sh) => sh.name),
      ).not.toContain('Insert: table');
      expect(JSON.parse(r.stdout)).toMatchObject({ scenesAdded: 3, linesAdded: 6, charactersAdded: ['Mcclane'] });
      const doc = loadProject(project).doc;
      expect(doc.scenes.length).toBe(before.scenes.length + 3);
      expect(doc.characters.map((c) => c.name)).toEqual(['Mia', 'Leo', 'Mcclane']);
      const out = join(t.dir, 'out.fountain');
      expect((await runCli(['script', 'export', project, '-o', out], env)).status).toBe(0);
      const exported = readFileSync(out, 'utf8');
      expect(exported).toMatch(/^Title: \*\*THE CUP\*\*\n/);
      expect(exported).toContain('INT. KITCHEN - NIGHT #1#');
      expect(exported).toMatch(/LEO \(O\.S\.\)\nNot mine\. \[\[klappe line=[\w.-]+\]\]/);
      writeFileSync(out, exported.replace('Not mine.', 'Not mine at all.'));
      const again = await runCli(['script', 'import', project, out, '--json'], env);
      expect(again.status, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ scenesAdded: 0, linesAdded: 0, shotsAdded: 0 });
      const after = loadProject(project).doc;
      expect(after.lines.map((l) => l.id)).toEqual(doc.lines.map((l) => l.id));
      expect(after.lines.some((l) => l.text === 'Not mine at all.')).toBe(true);
    } finally {
      t.cleanup();
    }
  }, 90_000);
});
