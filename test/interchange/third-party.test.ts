/**
 * Real files written by other tools (test/fixtures/interchange/third-party/, licences in its README): each imports
 * onto the frames the file says (expectations worked out by reading the file, not from Klappe's output), reports what
 * it approximates, and Klappe's own export of the result reads back to the same cut.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { timelineFormatOfFile } from '../../engine/common/timeline-formats.js';
import { parseCaptionBytes } from '../../engine/interchange/caption-files.js';
import { TIMELINE_CODECS } from '../../engine/interchange/timeline-formats.js';
import { loadProject } from '../../engine/model/project-file.js';
import type { Rate } from '../../engine/common/time.js';
import type { Project } from '../../engine/model/schema.js';
import { FIX, applyAll, cut, template } from '../support/interchange.js';
import { runCli, tempDir } from '../support/env.js';

const TP = join(FIX, 'third-party');

function load(file: string, rate?: Rate) {
  let doc = template();
  if (rate) doc = applyAll(doc, [{ type: 'sequence.update', patch: { rate } }]);
  const id = timelineFormatOfFile(file)!;
  const { commands, report } = TIMELINE_CODECS[id].read(doc, readFileSync(join(TP, file), 'utf8'), { file, projectDir: '/p' });
  const back = applyAll(doc, commands);
  return { back, report, notes: report.approximated.map((a) => a.what).join('\n') };
}
/** Name, source start, record start, duration of each clip per track. */
const clips = (doc: Project) => doc.sequence.tracks.map((t) => t.clips.map((c) => [c.name, c.sourceStart, c.recordStart, c.duration]));
const markers = (doc: Project) =>
  doc.sequence.markers.map((m) => [
    m.name,
    m.frame,
    m.color,
    m.clipId ? doc.sequence.tracks.flatMap((t) => t.clips).find((c) => c.id === m.clipId)?.name : null,
  ]);

/** Klappe's export of the imported cut, in the same format, reads back to it. */
function roundTrips(file: string, doc: Project) {
  const id = timelineFormatOfFile(file)!;
  const written = TIMELINE_CODECS[id].write(doc, { projectDir: '/p' });
  const again = applyAll(doc, TIMELINE_CODECS[id].read(doc, written, { file: `again-${file}`, projectDir: '/p' }).commands);
  expect(cut(again)).toEqual(cut(doc));
  expect(again.sequence.markers.map((m) => [m.name, m.frame])).toEqual(doc.sequence.markers.map((m) => [m.name, m.frame]));
  expect(again.sequence.tracks.flatMap((t) => t.clips.map((c) => c.transitionOut ?? null))).toEqual(
    doc.sequence.tracks.flatMap((t) => t.clips.map((c) => c.transitionOut ?? null)),
  );
}

describe('CMX3600 EDLs from the OpenTimelineIO test data (Avid, Premiere, Nucoda-style)', () => {
  it('Avid: a cut starting at 00:59:53:11 (before the hour) starts at frame 0; "* FROM CLIP:" is the source file', () => {
    const { back, notes } = load('otio/avid_example.edl');
    // 001 src 01:00:04:05-01:00:05:12 rec 00:59:53:11-00:59:54:18; 002 src 01:00:06:13-01:00:08:15 rec -00:59:56:20
    expect(clips(back)).toEqual([
      [
        ['take_1', 4 * 24 + 5, 0, 31],
        ['take_2', 6 * 24 + 13, 31, 50],
      ],
    ]);
    expect(back.media.map((m) => m.path)).toEqual(['S:\\path\\to\\ZZ100_501.take_1.0001.exr', 'S:\\path\\to\\ZZ100_502A.take_2.0101.exr']);
    expect(notes).toMatch(/starts at 00:59:53:11, before the hour: that is frame 0/);
    roundTrips('avid_example.edl', back);
  });

  it('Avid screening cut: nine events, LOC locators become coloured markers, an AVX effect is reported', () => {
    const { back, notes } = load('otio/screening_example.edl');
    const t = clips(back)[0]!;
    expect(t).toHaveLength(9);
    // record ins 00:59:53:11, 54:18, 56:20, 58:00, 01:00:02:19, 07:00, 13:17, 20:19, 26:11 (base 00:59:53:11 = 86243)
    expect(t.map((c) => c[2])).toEqual([0, 31, 81, 109, 224, 325, 486, 656, 792]);
    expect(t.map((c) => c[0])).toEqual([
      'ZZ100_501 (LAY3)',
      'ZZ100_502A (LAY3)',
      'ZZ100_503A (LAY1)',
      'ZZ100_504C (LAY1)',
      'ZZ100_504B (LAY1)',
      'ZZ100_507C (LAY2)',
      'ZZ100_508 (LAY2)',
      'ZZ100_510 (LAY1)',
      'ZZ100_510B (LAY1)',
    ]);
    // the last event 01:00:26:11 → 01:00:37:04 = 257 frames; source 01:00:04:05
    expect(t[8]).toEqual(['ZZ100_510B (LAY1)', 101, 792, 257]);
    // LOC 01:00:01:14 RED (86438 − 86243) and LOC 01:00:15:13 GREEN (86773 − 86243)
    expect(markers(back)).toEqual([
      ['ANIM FIX NEEDED', 195, 'red', 'ZZ100_504C (LAY1)'],
      ['CHANGE APPROVED', 530, 'green', 'ZZ100_508 (LAY2)'],
    ]);
    expect(notes).toMatch(/effect "AVX2 EFFECT, RESIZE" is not kept/);
    roundTrips('screening_example.edl', back);
  });

  it('CRLF dissolves (zero-length outgoing event + D nnn): transitions from the cut, out-of-order event numbers', () => {
    const { back } = load('otio/dissolve_test_4.edl');
    const v = back.sequence.tracks[0]!.clips;
    // 001 rec 01:04:11:17 (hour base: 4 min 11 s 17 f = 6041) … 060 rec 01:04:25:23-01:04:31:14
    expect(clips(back)[0]).toEqual([
      ['ABC0000.', 6 * 24 + 18, 6041, 30],
      ['ABC0010.', 6 * 24 + 15, 6071, 51],
      ['ABC0020.', 6 * 24 + 22, 6122, 81],
      ['ABC0030.', 6 * 24 + 10, 6203, 84],
      ['ABC0040.', 8 * 24 + 14, 6287, 96],
      ['ABC0050.', 12 * 24 + 6, 6383, 135],
    ]);
    expect(v.map((c) => c.transitionOut ?? null)).toEqual([
      null,
      { kind: 'dissolve', before: 0, after: 35 },
      { kind: 'dissolve', before: 0, after: 64 },
      null,
      null,
      null,
    ]);
    roundTrips('dissolve_test_4.edl', back);
  });

  it('a wipe (W001 010) with FROM and TO clip names: the incoming event is clip_B', () => {
    const { back } = load('otio/wipe_test.edl');
    expect(clips(back)[0]).toEqual([
      ['clip_A', 4 * 24 + 5, 0, 9],
      ['clip_B', 8 * 24 + 8, 9, 10],
      ['clip_B', 8 * 24 + 18, 19, 1],
    ]);
    expect(back.sequence.tracks[0]!.clips[0]!.transitionOut).toEqual({ kind: 'wipe', before: 0, after: 10 });
    roundTrips('wipe_test.edl', back);
  });

  it('25 fps with a blank first line; at 24 fps its frame 24 is a clear error', () => {
    const { back } = load('otio/25fps.edl', { num: 25, den: 1 });
    expect(clips(back)[0]).toEqual([
      ['sq001_s001', 0, 0, 6 * 25 + 11],
      ['sq001_s002', 0, 161, 8 * 25],
      ['sq001_s003', 0, 361, 3 * 25 + 11],
      ['sq001_s004', 0, 447, 25 + 24],
    ]);
    roundTrips('25fps.edl', back);
    expect(() => load('otio/25fps.edl')).toThrow(/25fps\.edl:13:42: "01:00:01:24" has a field out of range for 24 fps/);
  });

  it('comments without "*" and gaps between events', () => {
    const { back, notes } = load('otio/gap_test.edl');
    // rec 00:00:00:00-01:00, 00:00:01:16-02:16, 00:00:04:06-05:06; sources at 00:10:00:00, 23:00:00:00, 10:00:00:00
    expect(clips(back)[0]).toEqual([
      ['shot1', 10 * 60 * 24, 0, 24],
      ['shot2', 0, 40, 24],
      ['shot3', 0, 102, 24],
    ]);
    expect(notes).toBe('');
    roundTrips('gap_test.edl', back);
  });

  it('an AA event with a further "AUD 3" channel: one audio clip, reported; AX has no media', () => {
    const { back, report, notes } = load('otio/multi_audio.edl');
    expect(back.sequence.tracks.map((t) => t.kind)).toEqual(['sfx']);
    expect(clips(back)).toEqual([[['AX', 0, 0, (56 * 60 + 55) * 24 + 22]]]);
    expect(report.missing).toBe(1);
    expect(notes).toMatch(/"AUD {2}3": the event's further audio channels are not kept apart/);
    roundTrips('multi_audio.edl', back);
  });

  it('Premiere: reel AX, the file name in FROM CLIP NAME', () => {
    const { back, report } = load('otio/premiere_example.edl');
    expect(clips(back)[0]!.map((c) => c[0])).toEqual(['ZZ100_501.take_1.0001.exr', 'ZZ100_502A.take_2.0101.exr']);
    expect(report.missing).toBe(2);
    roundTrips('premiere_example.edl', back);
  });
});

describe('FCPXML exported by Final Cut Pro (OpenTimelineIO test data) and the FCPXML adapter’s test files', () => {
  it('a Final Cut Pro 10.4 library (FCPXML 1.8): the first project, not the compound clip in the resources', () => {
    const { back, notes } = load('otio/fcpx_example.fcpxml', { num: 30, den: 1 });
    const byName = (lane: string) => clips(back)[back.sequence.tracks.findIndex((t) => t.name === lane)]!;
    // primary storyline (30 fps): IMG_0715 0-10 s, gaps 10-80 s, ref-clip 80 s (start 10900/3000 s = 109), …
    expect(byName('Lane 0')).toEqual([
      ['IMG_0715', 0, 0, 300],
      ['compound_clip_1', 109, 2400, 900],
      ['IMG_0233', 0, 3300, 300],
      ['IMG_0687', 376, 3600, 300],
      ['IMG_0268', 232, 3900, 300],
      ['compound_clip_1', 57, 4200, 300],
    ]);
    // anchored on gaps whose local time starts at 3600 s: lane 1 at 20 s; the anchored storyline at 50 s with a dissolve
    expect(byName('Lane 1')).toEqual([
      ['IMG_0513', 0, 600, 300],
      ['IMG_0268', 0, 1500, 285],
      ['IMG_0740', 15, 1785, 285],
    ]);
    // lane 2: offset 108137/30 s in a gap starting at 3600 s, 60 s in → 1800 + 137
    expect(byName('Lane 2')).toEqual([['IMG_0857', 0, 1937, 300]]);
    // expanded audio (clip > gap > audio lane −1) plays its asset: 648176909/180000 s − 3600 s → 29 frames after 600
    expect(byName('Lane -1').map((c) => [c[0], c[2]])).toEqual([
      ['IMG_0715', 0],
      ['IMG_0513', 629],
      ['IMG_0687', 1200],
      ['IMG_0233', 3450],
      ['IMG_0687', 3600],
      ['compound_clip_1', 4200],
    ]);
    const lane1 = back.sequence.tracks.find((t) => t.name === 'Lane 1')!.clips;
    expect(lane1[1]!.transitionOut).toEqual({ kind: 'dissolve', before: 15, after: 15 });
    // markers: 6 s in IMG_0715; 109/30 s and 141/10 s in the ref-clip starting at 109; Marker 9 on a gap (6.525 s in)
    expect(markers(back)).toEqual(
      expect.arrayContaining([
        ['Marker 1', 180, 'blue', 'IMG_0715'],
        ['Marker 7', 2400, 'blue', 'compound_clip_1'],
        ['Marker 8', 2400 + 423 - 109, 'blue', 'compound_clip_1'],
        ['Marker 5', 660, 'blue', 'IMG_0513'],
        ['Marker 4', 1785 + 167 - 15, 'blue', 'IMG_0740'],
        ['Marker 2', 629 + 211, 'blue', 'IMG_0513'],
        ['Marker 9', 900 + 196, 'blue', null],
      ]),
    );
    expect(back.sequence.markers).toHaveLength(7);
    expect(notes).toMatch(/the file holds 2 projects: the first, "OpenTimeline_Project", was imported/);
    expect(notes).toMatch(/marker "Marker 3" lies outside the part of its clip in the cut/);
    expect(notes).toMatch(/a transition into a gap at frame 300 \(a fade to black in Final Cut\) is not kept/);
    roundTrips('fcpx_example.fcpxml', back);
  });

  it('an event’s clips only (no project): a clear error, nothing applied', () => {
    expect(() => load('otio/fcpx_clips.fcpxml')).toThrow(/fcpx_clips\.fcpxml: no <project> with a <sequence> in the file/);
  });

  it('clips placed over their transitions (FCPXML 1.14): heads trimmed, ends where the file puts them', () => {
    const { back, notes } = load('otio-fcpx-xml-adapter/fcpx_transitions.fcpxml', { num: 30, den: 1 });
    expect(clips(back)[0]).toEqual([
      ['Clip_A', 0, 0, 300],
      ['Clip_B', 15, 300, 285],
      ['Clip_C', 15, 585, 285],
    ]);
    expect(back.sequence.tracks[0]!.clips.map((c) => c.transitionOut ?? null)).toEqual([
      { kind: 'dissolve', before: 15, after: 15 },
      { kind: 'dissolve', before: 15, after: 15 },
      null,
    ]);
    expect(notes).toMatch(/"Clip_B" starts under the transition before it: its first 15 frames are trimmed/);
    roundTrips('fcpx_transitions.fcpxml', back);
  });

  it('23.976 media-rep assets with a timecode start, a disabled clip', () => {
    const { back } = load('otio-fcpx-xml-adapter/fcpx_version_1_14.fcpxml', { num: 24000, den: 1001 });
    // 4007003/24000 s = 4003 frames of 1001/24000 s; the clip starts at its asset's start
    expect(clips(back)[0]).toEqual([
      ['TestClip_A', 0, 0, 4003],
      ['TestClip_B_Disabled', 0, 4003, 240],
    ]);
    expect(back.sequence.tracks[0]!.clips.map((c) => c.muted)).toEqual([false, true]);
    roundTrips('fcpx_version_1_14.fcpxml', back);
  });
});

describe('Final Cut Pro 7 XML written by Premiere Pro and Hiero', () => {
  it('Premiere (25 fps): disabled clips and track, a stereo track written as two exploded tracks kept once', () => {
    const { back, notes } = load('otio/premiere_enable_property.xml', { num: 25, den: 1 });
    expect(back.sequence.tracks.map((t) => [t.kind, t.name, t.muted])).toEqual([
      ['video', 'base', false],
      ['video', 'overlay_1', false],
      ['video', 'disabled_track', true],
      ['sfx', 'audio_with_disabled', false],
      ['sfx', '', false],
      ['sfx', '', false],
    ]);
    expect(clips(back).slice(0, 5)).toEqual([
      [
        ['source.mp4', 0, 0, 81],
        ['video_track_1_disabled_1', 0, 81, 96],
        ['source3.mp4', 0, 177, 43],
        ['video_track_1_disabled_2', 0, 220, 36],
      ],
      [['source.mp4', 0, 81, 96]],
      [['video_track_3_disabled_1', 0, 81, 96]],
      [
        ['source.mp4', 0, 0, 81],
        ['source.mp4', 0, 81, 96],
        ['audio_track_1_disabled_1', 0, 177, 43],
        ['source4.mp4', 0, 220, 36],
      ],
      [['source.mp4', 0, 81, 96]],
    ]);
    expect(back.sequence.tracks[0]!.clips.map((c) => c.muted)).toEqual([false, true, false, true]);
    expect(back.media.map((m) => m.path)).toEqual(['/source.mp4', '/source3.mp4', '/source4.mp4']);
    expect(notes.match(/channel 2 of a stereo track Premiere wrote as two tracks/g)).toHaveLength(3);
    roundTrips('premiere_enable_property.xml', back);
  });

  it("a Windows file URL wrapped in whitespace, as in Premiere's premiere_example.xml (OpenTimelineIO), is D:/…", () => {
    const doc = template();
    const xml = `<xmeml version="4"><sequence><rate><timebase>24</timebase><ntsc>FALSE</ntsc></rate><media><video><track>
      <clipitem id="clipitem-1"><name>sc01_sh010_anim.mov</name><start>0</start><end>100</end><in>0</in><out>100</out>
        <file id="file-1"><name>sc01_sh010_anim.mov</name><pathurl>
                                file://localhost/D%3a/media/sc01_sh010_anim.mov
                            </pathurl></file></clipitem></track></video></media></sequence></xmeml>`;
    const back = applyAll(doc, TIMELINE_CODECS.xmeml.read(doc, xml, { file: 'w.xml', projectDir: '/p' }).commands);
    expect(back.media.map((m) => m.path)).toEqual(['D:/media/sc01_sh010_anim.mov']);
  });

  it('Hiero: float frame counts ("1055.0"), a Time Remap speed effect reported', () => {
    const { back, report, notes } = load('otio/hiero_xml_export.xml');
    expect(clips(back)[0]).toEqual([
      ['A160C005_171213_R0MN', 0, 14, 1055],
      ['/', 326400, 1085, 239],
    ]);
    expect(report.missing).toBe(1);
    expect(notes).toMatch(/effect "Time Remap" \(speed 0\.25\) is not kept/);
    roundTrips('hiero_xml_export.xml', back);
  });
});

describe('captions from other tools (webvtt-py and go-astisub test files)', () => {
  const read = (f: string) => parseCaptionBytes(readFileSync(join(TP, f)));
  const ms = (c: { startSample: number; endSample: number; text: string; speakerName?: string }) => [
    c.startSample / 48,
    c.endSample / 48,
    c.text,
    c.speakerName,
  ];

  it('YouTube (via youtube-dl): Kind/Language/Style header, a cue with no blank line before it, inline timestamps', () => {
    expect(read('webvtt-py/youtube_dl.vtt').cues.map(ms)).toEqual([
      [286070, 286470, 'yeah', undefined],
      [286470, 304080, 'yeah what', undefined],
      [304080, 305069, "this will happen is I'm telling", undefined],
      [305069, 305400, "this will happen is I'm telling", undefined],
    ]);
  });

  it('Netflix: NOTE blocks, whitespace-only lines, cue settings with trailing spaces, italics stripped', () => {
    const f = read('webvtt-py/netflix_chicas_del_cable.vtt');
    expect(f.cues).toHaveLength(14);
    expect(ms(f.cues[0]!)).toEqual([7960, 9480, '[Alba] En 1928,', undefined]);
    expect(ms(f.cues[1]!)).toEqual([9640, 13080, 'las mujeres éramos algo así como adornos', undefined]);
    expect(f.cues[0]!.identifier).toBe('1');
    expect(f.cues[0]!.settings).toBe('position:50.00%,middle  align:middle size:80.00%  line:84.67%');
    expect(f.notes).toHaveLength(2);
  });

  it('Microsoft Teams: 0:0:0.0 times and voices as speakers, also as UTF-16LE with BOM', () => {
    const want = [
      [0, 570, 'There you go.', 'Yuri Bakulin'],
      [210, 1130, 'Why hello there, Yuri.', 'Adrian Petrescu'],
    ];
    expect(read('webvtt-py/teams_timeframe.vtt').cues.map(ms)).toEqual(want);
    expect(read('webvtt-py/teams_timeframe.utf16le.vtt').cues.map(ms)).toEqual(want);
  });

  it('a UTF-8 BOM and no final newline', () => {
    expect(read('webvtt-py/captions_with_bom.vtt').cues.map((c) => c.text)).toEqual([
      'Caption text #1',
      'Caption text #2',
      'Caption text #3',
      'Caption text #4',
    ]);
  });

  it('SRT without sequence numbers: no milliseconds, 2-digit fractions, "." or ",", coordinates after the times', () => {
    expect(read('go-astisub/missing-sequence-in.srt').cues.map(ms)).toEqual([
      [99000, 101040, '(deep rumbling)', undefined],
      [124080, 127120, 'How did we end up here?', 'MAN'],
      [132160, 135200, 'This place is horrible.', undefined],
      [140240, 142280, 'Smells like balls.', undefined],
      [148320, 151360, "We don't belong in this shithole.", undefined],
      [151400, 153440, '(computer playing electronic melody)', undefined],
    ]);
  });
});

describe('klappe timeline import / captions import with real files', () => {
  it('imports a YouTube WebVTT, an Avid EDL and a Premiere XML into a project from the template', async () => {
    const t = tempDir('klappe-third-party-');
    try {
      const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
      const project = join(t.dir, 'p');
      expect((await runCli(['new', project, '--template', 'two-scenes'], env)).status).toBe(0);
      const c = await runCli(['captions', 'import', project, join(TP, 'webvtt-py', 'youtube_dl.vtt'), '--track', 'd1', '--json'], env);
      expect(c.status, c.stderr).toBe(0);
      expect(JSON.parse(c.stdout)).toMatchObject({ imported: 4, format: 'vtt', moved: 0 });
      // 286.07 s → frame 6865 (floor) … cues back to back between frames stay back to back, not overlapping by one
      const lineClips = () =>
        loadProject(project)
          .doc.sequence.tracks.find((x) => x.id === 'd1')!
          .clips.map((k) => [k.recordStart, k.duration]);
      expect(lineClips()).toEqual([
        [6865, 11],
        [6876, 422],
        [7298, 24],
        [7322, 8],
      ]);
      // Teams: the second speaker starts (0.21 s) before the first ends (0.57 s): moved to its end, and said so
      const m = await runCli(['captions', 'import', project, join(TP, 'webvtt-py', 'teams_timeframe.vtt'), '--track', 'd1', '--json'], env);
      expect(m.status, m.stderr).toBe(0);
      expect(JSON.parse(m.stdout)).toMatchObject({ imported: 2, moved: 1 });
      expect(lineClips().slice(0, 2)).toEqual([
        [0, 14],
        [14, 14],
      ]);
      const e = await runCli(['timeline', 'import', project, join(TP, 'otio', 'screening_example.edl'), '--json'], env);
      expect(e.status, e.stderr).toBe(0);
      expect(JSON.parse(e.stdout)).toMatchObject({ clips: 9, tracks: 1 });
      let doc = loadProject(project).doc;
      expect(doc.sequence.tracks[0]!.clips.map((c) => c.recordStart)).toEqual([0, 31, 81, 109, 224, 325, 486, 656, 792]);
      expect(doc.sequence.markers.map((m) => [m.name, m.frame])).toEqual([
        ['ANIM FIX NEEDED', 195],
        ['CHANGE APPROVED', 530],
      ]);
      const x = await runCli(['timeline', 'import', project, join(TP, 'otio', 'premiere_enable_property.xml'), '--json'], env);
      expect(x.status, x.stderr).toBe(0);
      doc = loadProject(project).doc;
      // 25 fps into the template's 24: each frame count × 24/25, to the nearest frame (reported)
      expect(doc.sequence.tracks[0]!.clips.map((c) => [c.name, c.recordStart, c.duration, c.muted])).toEqual([
        ['source.mp4', 0, 78, false],
        ['video_track_1_disabled_1', 78, 92, true],
        ['source3.mp4', 170, 41, false],
        ['video_track_1_disabled_2', 211, 35, true],
      ]);
    } finally {
      t.cleanup();
    }
  }, 90_000);
});

describe('every real timeline, exported to every format, reads back to the same cut', () => {
  const cases: Array<[string, number]> = [
    ['otio/fcpx_example.fcpxml', 30],
    ['otio-fcpx-xml-adapter/fcpx_transitions.fcpxml', 30],
    ['otio/premiere_enable_property.xml', 25],
    ['otio/hiero_xml_export.xml', 24],
    ['otio/screening_example.edl', 24],
    ['otio/dissolve_test_4.edl', 24],
    ['otio/wipe_test.edl', 24],
  ];
  for (const [file, fps] of cases)
    it(`${file} → OTIO, FCPXML, FCP7 XML, EDL → the same clips, transitions and markers`, () => {
      const { back } = load(file, { num: fps, den: 1 });
      for (const to of ['otio', 'fcpxml', 'xmeml', 'edl'] as const) {
        const text = TIMELINE_CODECS[to].write(back, { projectDir: '/p' });
        const again = applyAll(back, TIMELINE_CODECS[to].read(back, text, { file: `again.${to}`, projectDir: '/p' }).commands);
        expect(cut(again), to).toEqual(cut(back));
        expect(again.sequence.tracks.flatMap((t) => t.clips.map((c) => c.transitionOut ?? null))).toEqual(
          back.sequence.tracks.flatMap((t) => t.clips.map((c) => c.transitionOut ?? null)),
        );
        // CMX locators belong to events: an EDL carries the clips' markers, not a marker on a gap
        const kept = (doc: Project) =>
          doc.sequence.markers.filter((m) => to !== 'edl' || m.clipId !== undefined).map((m) => [m.name, m.frame]);
        expect(kept(again), to).toEqual(kept(back));
      }
    });
});
