/**
 * FCPXML: Klappe's export read back gives the same sequence (markers,
 * transitions, media rates, every track); a file as Final Cut writes it
 * (rational times at 29.97, an anchored title and audio, a chapter marker, a
 * disabled clip, a compound clip, a transition) imports onto the right frames;
 * malformed files fail naming line and column and change nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fcpTime, fcpxmlToCommands, formatFcpxml } from '../../engine/interchange/fcpxml.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import type { Project } from '../../engine/model/schema.js';
import { FIX, applyAll, cut, richProject, template } from '../support/interchange.js';

/** The rich project with markers, a dissolve and a clip whose media runs at 48 fps. */
function editedProject(): Project {
  let doc = richProject();
  doc = applyCommand(doc, { type: 'clip.update', clipId: 'c1', patch: { transitionOut: { kind: 'dissolve', before: 12, after: 12 } } }).doc;
  doc = applyCommand(doc, {
    type: 'marker.add',
    marker: { id: 'mk-seq', frame: 100, name: 'Music in', color: 'green', note: 'strings' },
  }).doc;
  doc = applyCommand(doc, {
    type: 'marker.add',
    marker: { id: 'mk-clip', frame: 40, duration: 5, name: 'Flash', color: 'red', clipId: 'c-take' },
  }).doc;
  doc = applyCommand(doc, { type: 'clip.update', clipId: 'c2', patch: { muted: true } }).doc;
  return doc;
}

describe('FCPXML', () => {
  it('writes rational seconds as Final Cut does', () => {
    expect(fcpTime(96, { num: 24, den: 1 })).toBe('4s');
    expect(fcpTime(1, { num: 30000, den: 1001 })).toBe('1001/30000s');
    expect(fcpTime(25, { num: 24, den: 1 })).toBe('25/24s');
  });

  it('export → import gives back the same sequence: clips, tracks, markers, transitions, disabled clips', () => {
    const doc = editedProject();
    const xml = formatFcpxml(doc, { projectDir: '/p', mediaFile: (h) => `/cache/${h}.mp4` });
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE fcpxml>\n<fcpxml version="1.10">/);
    expect(xml).toContain('<transition name="Cross Dissolve" offset="7/2s" duration="1s"/>');
    expect(xml).toContain('value="Music in"');
    const { commands, report } = fcpxmlToCommands(doc, xml, { projectDir: '/p' });
    const back = applyAll(doc, commands);
    expect(back.sequence).toEqual(doc.sequence);
    expect(report.clips).toBe(doc.sequence.tracks.reduce((n, t) => n + t.clips.length, 0));
  });

  it("imports a file as Final Cut writes it, onto the sequence's frames, with a report", () => {
    let doc = template();
    doc = applyCommand(doc, { type: 'sequence.update', patch: { rate: { num: 30000, den: 1001 } } }).doc;
    const { commands, report } = fcpxmlToCommands(doc, readFileSync(join(FIX, 'final-cut-style.fcpxml'), 'utf8'), {
      file: 'final-cut-style.fcpxml',
      projectDir: '/p',
    });
    const back = applyAll(doc, commands);
    expect(cut(back)).toEqual([
      [
        'track-1',
        'video',
        [
          ['A001_C003', 10, 0, 60, false],
          ['B002_C001', 300, 60, 90, true],
          ['Compound', 0, 210, 150, false],
        ],
      ],
      ['track-2', 'video', [['Basic Title', 0, 10, 30, false]]],
      ['track-3', 'sfx', [['score', 0, 0, 120, false]]],
    ]);
    expect(back.sequence.tracks[0]!.clips[0]!.transitionOut).toEqual({ kind: 'dissolve', before: 6, after: 6 });
    const a001 = back.sequence.tracks[0]!.clips[0]!.id;
    expect(back.sequence.markers.map((m) => [m.name, m.frame, m.color, m.note, m.clipId])).toEqual([
      ['Pick up', 10, 'blue', 'from here', a001],
      ['Chapter 1', 20, 'orange', '', a001],
    ]);
    expect(back.media.map((m) => m.path)).toEqual([
      '/Volumes/Media/A001_C003.mov',
      '/Volumes/Media/B002_C001.mov',
      'missing/Basic Title',
      '/Volumes/Media/score final.wav',
    ]);
    const what = report.approximated.map((a) => `${a.path}: ${a.what}`).join('\n');
    expect(what).toMatch(/<title> \(Basic Title\) has no media file/);
    expect(what).toMatch(/a <clip> is imported as its first media \(A001_C003\)/);
  });

  it('refuses malformed or foreign XML naming line and column', () => {
    const doc = template();
    const bad = (text: string) => () => fcpxmlToCommands(doc, text, { file: 'x.fcpxml', projectDir: '/p' });
    expect(bad('<fcpxml version="1.10">\n  <resources>\n  </resource>\n</fcpxml>')).toThrow(
      /x\.fcpxml:3:3: <\/resource> closes <resources>/,
    );
    expect(bad('<fcpxml>\n<library><sequence><spine><asset-clip offset="x"/></spine></sequence></library></fcpxml>')).toThrow(
      /x\.fcpxml: line 2, asset-clip offset: "x" is not a time/,
    );
    expect(bad('<xmeml version="4"/>')).toThrow(/the root element is <xmeml>, not <fcpxml>/);
    expect(bad('<fcpxml a="1" a="2"/>')).toThrow(/x\.fcpxml:1:15: attribute "a" twice/);
  });
});
