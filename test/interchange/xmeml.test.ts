/**
 * Final Cut Pro 7 XML (xmeml): Klappe's export read back gives the same
 * sequence; a file as Premiere writes it (a file defined once and referenced
 * by id, start/end of −1 at a centred dissolve, a generator, a disabled clip,
 * a disabled audio track, markers, 29.97) imports onto the right frames.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatXmeml, xmemlToCommands } from '../../engine/interchange/xmeml.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { FIX, applyAll, cut, richProject, template } from '../support/interchange.js';

describe('Final Cut Pro 7 XML', () => {
  it('export → import gives back the same sequence: clips, tracks, markers, transitions, disabled clips', () => {
    let doc = richProject();
    doc = applyCommand(doc, { type: 'clip.update', clipId: 'c3', patch: { transitionOut: { kind: 'wipe', before: 0, after: 10 } } }).doc;
    doc = applyCommand(doc, { type: 'marker.add', marker: { id: 'mk-a', frame: 200, name: 'Act two', color: 'purple', note: 'turn' } }).doc;
    doc = applyCommand(doc, { type: 'marker.add', marker: { id: 'mk-b', frame: 35, name: 'Glance', clipId: 'c-take' } }).doc;
    doc = applyCommand(doc, { type: 'clip.update', clipId: 'c4', patch: { muted: true } }).doc;
    const xml = formatXmeml(doc, { projectDir: '/p' });
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE xmeml>\n<xmeml version="5">/);
    expect(xml).toMatch(/<transitionitem>\s*<start>240<\/start>\s*<end>250<\/end>\s*<alignment>start<\/alignment>/);
    const back = applyAll(doc, xmemlToCommands(doc, xml, { projectDir: '/p' }).commands);
    expect(back.sequence).toEqual(doc.sequence);
  });

  it('imports a file as Premiere writes it, with a report', () => {
    let doc = template();
    doc = applyCommand(doc, { type: 'sequence.update', patch: { rate: { num: 30000, den: 1001 } } }).doc;
    const { commands, report } = xmemlToCommands(doc, readFileSync(join(FIX, 'premiere-style.xml'), 'utf8'), {
      file: 'premiere-style.xml',
      projectDir: '/p',
    });
    const back = applyAll(doc, commands);
    expect(cut(back)).toEqual([
      [
        'track-1',
        'video',
        [
          ['interview_A.mov', 100, 0, 120, false],
          ['broll_street.mp4', 40, 120, 90, false],
          ['Black Video', 0, 240, 30, false],
          ['interview_A.mov', 400, 270, 60, true],
        ],
      ],
      ['track-2', 'sfx', [['theme.wav', 0, 30, 300, false]]],
    ]);
    expect(back.sequence.tracks[1]!.muted).toBe(true);
    expect(back.sequence.tracks[0]!.clips[0]!.transitionOut).toEqual({ kind: 'dissolve', before: 15, after: 15 });
    expect(back.sequence.markers.map((m) => [m.name, m.frame, m.note, m.clipId !== undefined])).toEqual([
      ['Act two', 240, '', false],
      ['Focus', 30, 'check focus', true],
    ]);
    expect(back.media.map((m) => m.path)).toEqual([
      '/Volumes/Shoot/interview_A.mov',
      '/Volumes/Shoot/broll street.mp4',
      'missing/Black Video',
      '/Volumes/Music/theme.wav',
    ]);
    expect(report.approximated.map((a) => a.what).join('\n')).toMatch(/generator "Black Video" has no media/);
  });

  it('names the element and line of a bad number', () => {
    const doc = template();
    expect(() =>
      xmemlToCommands(
        doc,
        '<xmeml>\n<sequence><media><video><track>\n<clipitem><start>x</start></clipitem></track></video></media></sequence></xmeml>',
        {
          file: 'y.xml',
          projectDir: '/p',
        },
      ),
    ).toThrow(/y\.xml:3: <clipitem> needs a number in <start>, found "x"/);
  });
});
