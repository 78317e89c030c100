import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edlToCommands, formatEdl } from '../../engine/interchange/edl.js';
import { formatOtio, otioToCommands, rateFromFloat } from '../../engine/interchange/otio.js';
import { parseLooseJson, stringifyLooseJson } from '../../engine/interchange/loose-json.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import { runCli, tempDir } from '../support/env.js';
import { FIX, applyAll, cut, richProject, template } from '../support/interchange.js';

describe('OpenTimelineIO', () => {
  it('reads non-strict JSON: bare Inf/NaN, integers beyond 64 bits; names line and column of an error', () => {
    const v = parseLooseJson(
      '{"a": Inf, "b": -Infinity, "c": NaN, "d": 170141183460469231731687303715884105728, "e": [1.5e3, "x\\u00e9"]}',
    ) as Record<string, unknown>;
    expect(v.a).toBe(Infinity);
    expect(v.b).toBe(-Infinity);
    expect(v.c).toBeNaN();
    expect(v.d).toBe(1.7014118346046923e38);
    expect(v.e).toEqual([1500, 'xé']);
    expect(stringifyLooseJson({ a: Infinity, b: NaN })).toBe('{\n    "a": Inf,\n    "b": NaN\n}');
    expect(() => parseLooseJson('{\n  "a": 1,\n  "b" 2\n}', 'x.otio')).toThrow(/x\.otio:3:7: expected ":" after an object key/);
  });

  it('maps truncated NTSC float rates to their rational rate', () => {
    expect(rateFromFloat(23.976)).toEqual({ num: 24000, den: 1001 });
    expect(rateFromFloat(23.976023976023978)).toEqual({ num: 24000, den: 1001 });
    expect(rateFromFloat(29.97)).toEqual({ num: 30000, den: 1001 });
    expect(rateFromFloat(59.94)).toEqual({ num: 60000, den: 1001 });
    expect(rateFromFloat(25)).toEqual({ num: 25, den: 1 });
  });

  it('export → import gives back the same sequence with takes, shot links, lines and Klappe fields', () => {
    const doc = richProject();
    const text = formatOtio(doc, { projectDir: '/p' });
    const otio = JSON.parse(text);
    expect(otio.OTIO_SCHEMA).toBe('Timeline.1');
    expect(otio.tracks.children.map((t: { kind: string }) => t.kind)).toEqual(['Video', 'Audio', 'Audio', 'Audio', 'Video']);
    const v1 = otio.tracks.children[0].children;
    expect(v1[0].media_references.DEFAULT_MEDIA).toMatchObject({ OTIO_SCHEMA: 'GeneratorReference.1', generator_kind: 'Slate' });
    expect(v1[0].source_range.duration).toEqual({ OTIO_SCHEMA: 'RationalTime.1', rate: 24, value: 96 });
    const d1 = otio.tracks.children[1].children;
    expect(d1.map((c: { OTIO_SCHEMA: string }) => c.OTIO_SCHEMA)).toEqual(['Gap.1', 'Clip.2']);
    expect(d1[1].media_references.DEFAULT_MEDIA.OTIO_SCHEMA).toBe('MissingReference.1');
    // back onto the same project: the same sequence, field for field
    const { commands, report } = otioToCommands(doc, text, { projectDir: '/p' });
    expect(report.approximated).toEqual([]);
    const back = applyAll(doc, commands);
    expect(back.sequence).toEqual(doc.sequence);
    expect(back.media).toEqual(doc.media);
  });

  it('writes 23.976 as the float num/den and reads it back on the same frames', () => {
    let doc = template();
    doc = applyCommand(doc, { type: 'sequence.update', patch: { rate: { num: 24000, den: 1001 } } }).doc;
    const text = formatOtio(doc, { projectDir: '/p' });
    expect(JSON.parse(text).tracks.children[0].children[0].source_range.duration.rate).toBe(24000 / 1001);
    expect(cut(applyAll(doc, otioToCommands(doc, text, { projectDir: '/p' }).commands))).toEqual(cut(doc));
  });

  it('imports a hand-written 23.976 file: gaps, disabled clips, generator and missing references, nested stack, with a report', () => {
    let doc = template();
    doc = applyCommand(doc, { type: 'sequence.update', patch: { rate: { num: 24000, den: 1001 } } }).doc;
    const { commands, report } = otioToCommands(doc, readFileSync(join(FIX, 'own-ntsc.otio'), 'utf8'), {
      file: 'own-ntsc.otio',
      projectDir: '/p',
    });
    const back = applyAll(doc, commands);
    expect(cut(back)).toEqual([
      [
        'track-1',
        'video',
        [
          ['A001', 10, 0, 48, false],
          ['slate', 0, 72, 24, true],
          ['B002', 10, 96, 30, false],
        ],
      ],
      ['track-2', 'sfx', [['music', 0, 12, 96, false]]],
    ]);
    expect(back.media.map((m) => m.path)).toEqual(['/media/A001.mov', 'missing/slate', 'missing/B002', '/media/music.wav']);
    expect(report).toMatchObject({ tracks: 2, clips: 4, gaps: 2, missing: 2 });
    const what = report.approximated.map((a) => `${a.path}: ${a.what}`).join('\n');
    expect(what).toMatch(/children\[0\]\.children\[0\]\.effects: effect LinearTimeWarp\.1/);
    // kept: the clip's marker (at its record frame), the dissolve after it, other tools' effects and metadata for export
    expect(back.sequence.markers).toEqual([
      { id: 'marker-1', frame: 10, duration: 0, name: 'note', color: 'red', note: 'fix', clipId: 'clip-1' },
    ]);
    const a001 = back.sequence.tracks[0]!.clips[0]!;
    expect(a001.transitionOut).toEqual({ kind: 'dissolve', before: 6, after: 6 });
    expect(a001.interchange?.effects).toHaveLength(1);
    expect(what).toMatch(/generator "SMPTEBars"/);
    expect(what).toMatch(/a nested Stack was flattened/);
    expect(what).toMatch(/unknown schema "FancyPlugin\.3" is not played \(kept for export\)/);
    // written back: the marker, the transition, the effect and the unknown item
    const again = JSON.parse(formatOtio(back, { projectDir: '/p' }));
    const v1 = again.tracks.children[0].children;
    expect(v1[0].markers[0]).toMatchObject({ name: 'note', color: 'RED', comment: 'fix' });
    expect(v1[0].effects[0].OTIO_SCHEMA).toBe('LinearTimeWarp.1');
    expect(v1[1]).toMatchObject({ OTIO_SCHEMA: 'Transition.1', transition_type: 'SMPTE_Dissolve' });
    expect(JSON.stringify(again)).toContain('FancyPlugin.3');
  });

  it("imports the OpenTimelineIO project's own sample files (Clip.1, big integers, Inf/NaN) and re-imports its export", () => {
    for (const [name, expected] of [
      [
        'simple_cut.otio',
        [
          ['Clip-001', 3, 0, 3],
          ['Clip-002', 2, 3, 6],
          ['Clip-003', 0, 9, 4],
          ['Clip-004', 0, 13, 6],
        ],
      ],
      ['big_int.otio', [['black', 0, 0, 24]]],
    ] as const) {
      const doc = template();
      const text = readFileSync(join(FIX, 'otio-upstream', name), 'utf8');
      const back = applyAll(doc, otioToCommands(doc, text, { file: name, projectDir: '/p' }).commands);
      expect(back.sequence.tracks[0]!.clips.map((c) => [c.name, c.sourceStart, c.recordStart, c.duration])).toEqual(expected);
      const again = applyAll(back, otioToCommands(back, formatOtio(back, { projectDir: '/p' }), { projectDir: '/p' }).commands);
      expect(cut(again)).toEqual(cut(back));
      expect(again.media).toEqual(back.media);
    }
  });

  it('refuses a file that is not a timeline, naming the JSON path', () => {
    expect(() => otioToCommands(template(), '{"OTIO_SCHEMA": "Marker.2"}', { file: 'm.otio', projectDir: '/p' })).toThrow(
      /m\.otio: \$: expected a Timeline, Stack or Track, found "Marker\.2"/,
    );
    const bad =
      '{"OTIO_SCHEMA":"Timeline.1","tracks":{"OTIO_SCHEMA":"Stack.1","children":[{"OTIO_SCHEMA":"Track.1","children":[{"OTIO_SCHEMA":"Clip.1","source_range":{"start_time":{"rate":24,"value":0},"duration":{"rate":24}}}]}]}}';
    expect(() => otioToCommands(template(), bad, { file: 'b.otio', projectDir: '/p' })).toThrow(
      /b\.otio: \$\.tracks\.children\[0\]\.children\[0\]\.source_range\.duration: expected a RationalTime/,
    );
  });
});

describe('klappe timeline', () => {
  it('exports and imports an .otio through the CLI as one undo step; a broken file changes nothing', async () => {
    const t = tempDir('klappe-timeline-');
    try {
      const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
      const project = join(t.dir, 'p');
      expect((await runCli(['new', project, '--template', 'two-scenes'], env)).status).toBe(0);
      const out = join(t.dir, 'cut.otio');
      const e = await runCli(['timeline', 'export', project, '-o', out, '--json'], env);
      expect(e.status, e.stderr).toBe(0);
      expect(JSON.parse(e.stdout)).toMatchObject({ tracks: 4, clips: 5 });
      const before = loadProject(project).doc;
      const i = await runCli(['timeline', 'import', project, join(FIX, 'otio-upstream', 'simple_cut.otio'), '--json'], env);
      expect(i.status, i.stderr).toBe(0);
      expect(JSON.parse(i.stdout)).toMatchObject({ clips: 4, tracks: 1 });
      expect(loadProject(project).doc.sequence.tracks.map((x) => x.clips.length)).toEqual([4]);
      const back = await runCli(['timeline', 'import', project, out], env);
      expect(back.status, back.stderr).toBe(0);
      expect(loadProject(project).doc.sequence).toEqual(before.sequence);
      const file = join(project, 'project.klappe');
      const saved = readFileSync(file, 'utf8');
      const broken = join(t.dir, 'broken.otio');
      writeFileSync(broken, readFileSync(out, 'utf8').replace('"rate": 24', '"rate": oops'));
      const b = await runCli(['timeline', 'import', project, broken], env);
      expect(b.status).toBe(2);
      expect(b.stderr).toMatch(/broken\.otio:\d+:\d+: expected a value/);
      expect(readFileSync(file, 'utf8')).toBe(saved);
    } finally {
      t.cleanup();
    }
  }, 90_000);
});

describe('CMX3600 EDL', () => {
  it('writes a dissolve as CMX does (from the cut, whole length); Klappe reads its own exact one back', () => {
    let doc = template();
    doc = applyCommand(doc, {
      type: 'clip.update',
      clipId: 'c1',
      patch: { transitionOut: { kind: 'dissolve', before: 12, after: 12 } },
    }).doc;
    const edl = formatEdl(doc, { projectDir: '/p' });
    expect(edl).toMatch(/001 {2}BL {7}V {5}C {8}00:00:00:00 00:00:04:00 01:00:00:00 01:00:04:00\n/);
    expect(edl).toMatch(/002 {2}BL {7}V {5}C {8}00:00:04:00 00:00:04:00 01:00:04:00 01:00:04:00\n002 {2}BL {7}V {5}D {4}024 00:00:00:00 /);
    const back = applyAll(doc, edlToCommands(doc, edl, { projectDir: '/p' }).commands);
    expect(back.sequence).toEqual(doc.sequence);
    // another tool's reading (no KLAPPE comments): the dissolve from the cut over 24 frames
    const plain = edl
      .split('\n')
      .filter((l) => !l.startsWith('* KLAPPE'))
      .join('\n');
    const other = applyAll(doc, edlToCommands(doc, plain, { projectDir: '/p' }).commands);
    expect(other.sequence.tracks[0]!.clips[0]!.transitionOut).toEqual({ kind: 'dissolve', before: 0, after: 24 });
  });

  it('export → import gives back the same sequence (Klappe comments), and the EDL has reels, clip names and timecodes', () => {
    const doc = richProject();
    const edl = formatEdl(doc, { projectDir: '/p' });
    expect(edl).toMatch(
      /^TITLE: .*\nFCM: NON-DROP FRAME\n\* KLAPPE TRACKS: .*\n\n001 {2}BL {7}V {5}C {8}00:00:00:00 00:00:04:00 01:00:00:00 01:00:04:00\n\* FROM CLIP NAME: /,
    );
    const { commands } = edlToCommands(doc, edl, { projectDir: '/p' });
    const back = applyAll(doc, commands);
    expect(back.sequence).toEqual(doc.sequence);
  });

  it("reads another tool's drop-frame EDL: dissolve, speed line, gaps, audio channel, with a report", () => {
    let doc = template();
    doc = applyCommand(doc, { type: 'sequence.update', patch: { rate: { num: 30000, den: 1001 } } }).doc;
    const { commands, report } = edlToCommands(doc, readFileSync(join(FIX, 'other-tool-ntsc.edl'), 'utf8'), {
      file: 'x.edl',
      projectDir: '/p',
    });
    const back = applyAll(doc, commands);
    expect(cut(back)).toEqual([
      [
        'track-1',
        'video',
        [
          ['A001C003_take1.mov', 0, 0, 60, false],
          ['B002C001.mov', 300, 60, 90, false],
        ],
      ],
      ['track-2', 'sfx', [['score.wav', 0, 30, 120, false]]],
    ]);
    // the dissolve starts at the cut: the clip before plays on over its 15 frames
    expect(back.sequence.tracks[0]!.clips[0]!.transitionOut).toEqual({ kind: 'dissolve', before: 0, after: 15 });
    expect(report.approximated.map((a) => a.what).join('\n')).toMatch(/speed change/);
    expect(() => edlToCommands(doc, 'TITLE: x\n001  AX V C 00:00:00:00 00:00:01:00\n', { file: 'b.edl', projectDir: '/p' })).toThrow(
      /b\.edl:2:1: expected an event/,
    );
  });
});
