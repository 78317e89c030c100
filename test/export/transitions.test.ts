/**
 * Transitions, markers and clip source rates (schema 8) in the render plan, and
 * a real ffmpeg render of a dissolve between a red and a blue clip: red before,
 * a blend in the middle, blue after; the media's missing handles hold.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import { buildFfmpegArgs } from '../../engine/render/ffmpeg-graph.js';
import { planRender } from '../../engine/render/plan.js';
import { runFfmpeg } from '../../engine/media/run.js';
import type { Project } from '../../engine/model/schema.js';
import { ROOT, tempDir } from '../support/env.js';

const sample = () => loadProject(join(ROOT, 'assets', 'templates', 'two-scenes')).doc;
const fake = (clip: { id: string }) => ({ path: `/media/${clip.id}.mp4`, hasVideo: true, hasAudio: true });

describe('transitions and source rates in the plan', () => {
  it('cuts a centred dissolve out of the two clips it joins', () => {
    let doc = sample();
    doc = applyCommand(doc, {
      type: 'clip.update',
      clipId: 'c1',
      patch: { transitionOut: { kind: 'dissolve', before: 12, after: 12 } },
    }).doc;
    const plan = planRender(doc, fake);
    expect(plan.video.slice(0, 3)).toEqual([
      { kind: 'clip', clipId: 'c1', input: 0, sourceStart: 0, frames: 84 },
      { kind: 'transition', transition: 'dissolve', frames: 24, from: { input: 0, sourceStart: 84 }, to: { input: 1, sourceStart: -12 } },
      { kind: 'clip', clipId: 'c2', input: 1, sourceStart: 12, frames: 60 },
    ]);
    expect(plan.video.reduce((n, s) => n + s.frames, 0)).toBe(plan.frames);
    // removed with null; a clip moved away leaves its transition without effect
    const removed = applyCommand(doc, { type: 'clip.update', clipId: 'c1', patch: { transitionOut: null } }).doc;
    expect(planRender(removed, fake).video.some((s) => s.kind === 'transition')).toBe(false);
    const moved = applyCommand(doc, { type: 'clip.move', clipId: 'c2', recordStart: 500 }).doc;
    expect(planRender(moved, fake).video.some((s) => s.kind === 'transition')).toBe(false);
  });

  it('counts a clip source in its media rate', () => {
    let doc = sample();
    const clip = doc.sequence.tracks[0]!.clips[0]!;
    doc = {
      ...doc,
      sequence: {
        ...doc.sequence,
        tracks: [
          {
            ...doc.sequence.tracks[0]!,
            clips: [{ ...clip, sourceStart: 48, sourceRate: { num: 48, den: 1 } }, ...doc.sequence.tracks[0]!.clips.slice(1)],
          },
          ...doc.sequence.tracks.slice(1),
        ],
      },
    };
    const plan = planRender(doc, fake);
    expect(plan.video[0]).toMatchObject({ clipId: 'c1', sourceStart: 24 });
    expect(plan.audio.find((a) => a.clipId === 'c1')!.sourceStartSample).toBe(48_000);
    // trimming the start by 2 sequence frames moves the source by 4 frames of the media
    const trimmed = applyCommand(doc, { type: 'clip.trim', clipId: 'c1', edge: 'start', delta: 2 }).doc;
    expect(trimmed.sequence.tracks[0]!.clips[0]!.sourceStart).toBe(52);
  });

  it('keeps markers: add, edit, remove; a clip takes its markers along when deleted', () => {
    let doc = sample();
    doc = applyCommand(doc, { type: 'marker.add', marker: { id: 'mk1', frame: 100, name: 'Music in', color: 'green' } }).doc;
    doc = applyCommand(doc, { type: 'marker.add', marker: { id: 'mk2', frame: 10, name: 'Flash frame', clipId: 'c1' } }).doc;
    doc = applyCommand(doc, { type: 'marker.update', markerId: 'mk1', patch: { note: 'strings enter' } }).doc;
    expect(doc.sequence.markers).toEqual([
      { id: 'mk1', frame: 100, duration: 0, name: 'Music in', color: 'green', note: 'strings enter' },
      { id: 'mk2', frame: 10, duration: 0, name: 'Flash frame', color: 'blue', note: '', clipId: 'c1' },
    ]);
    expect(() => applyCommand(doc, { type: 'marker.add', marker: { frame: 1, clipId: 'nope' } })).toThrow(/nope/);
    doc = applyCommand(doc, { type: 'clip.remove', clipId: 'c1' }).doc;
    expect(doc.sequence.markers.map((m) => m.id)).toEqual(['mk1']);
    doc = applyCommand(doc, { type: 'marker.remove', markerId: 'mk1' }).doc;
    expect(doc.sequence.markers).toEqual([]);
  });
});

describe('a dissolve rendered by ffmpeg', () => {
  const t = tempDir('klappe-transition-');
  const colour = async (name: string, c: string) => {
    const file = join(t.dir, `${name}.mp4`);
    await runFfmpeg([
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `color=c=${c}:s=64x36:r=24:d=1`,
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=48000:cl=stereo',
      '-t',
      '1',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-y',
      file,
    ]);
    return file;
  };
  let files: Record<string, string>;
  beforeAll(async () => {
    files = { a: await colour('red', 'red'), b: await colour('blue', 'blue') };
  });
  afterAll(() => t.cleanup());

  it('blends red into blue over the transition, holding the frames the media lacks', async () => {
    let doc: Project = sample();
    const v1 = doc.sequence.tracks.find((tr) => tr.kind === 'video')!;
    doc = { ...doc, sequence: { ...doc.sequence, width: 64, height: 36, tracks: [{ ...v1, clips: [] }] } };
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: v1.id,
      clip: {
        id: 'a',
        source: { type: 'shot', shotId: 's1' },
        recordStart: 0,
        duration: 24,
        transitionOut: { kind: 'dissolve', before: 6, after: 6 },
      },
    }).doc;
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: v1.id,
      clip: { id: 'b', source: { type: 'shot', shotId: 's2' }, recordStart: 24, duration: 24 },
    }).doc;
    const plan = planRender(doc, (clip) => ({ path: files[clip.id]!, hasVideo: true, hasAudio: true }));
    const out = join(t.dir, 'out.mp4');
    await runFfmpeg(buildFfmpegArgs(plan, out, { crf: 10, preset: 'ultrafast', audioBitrate: '64k' }));
    const frame = async (n: number) => {
      const r = await runFfmpeg(
        [
          '-v',
          'error',
          '-i',
          out,
          '-vf',
          `select=eq(n\\,${n}),scale=1:1`,
          '-frames:v',
          '1',
          '-f',
          'rawvideo',
          '-pix_fmt',
          'rgb24',
          'pipe:1',
        ],
        { captureStdout: true },
      );
      return [...r.stdout.subarray(0, 3)];
    };
    const [r0, , b0] = await frame(10);
    expect(r0).toBeGreaterThan(200);
    expect(b0).toBeLessThan(60);
    const [rm, , bm] = await frame(24);
    expect(rm).toBeGreaterThan(60);
    expect(rm).toBeLessThan(200);
    expect(bm).toBeGreaterThan(60);
    expect(bm).toBeLessThan(200);
    const [r1, , b1] = await frame(40);
    expect(r1).toBeLessThan(60);
    expect(b1).toBeGreaterThan(200);
  });
});
