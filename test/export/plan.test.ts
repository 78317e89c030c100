import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import { planRender } from '../../engine/render/plan.js';
import { buildFfmpegArgs } from '../../engine/render/ffmpeg-graph.js';
import { ROOT } from '../support/env.js';

const sample = () => loadProject(join(ROOT, 'assets', 'templates', 'two-scenes')).doc;
const resolver = (clip: { id: string }) => ({ path: `/media/${clip.id}.mp4`, hasVideo: true, hasAudio: true });

describe('render plan', () => {
  it('places clips frame-exactly and fills gaps with black', () => {
    let doc = sample();
    doc = applyCommand(doc, { type: 'clip.move', clipId: 'c5', recordStart: 400 }).doc;
    doc = applyCommand(doc, { type: 'clip.trim', clipId: 'c4', edge: 'start', delta: 10 }).doc;
    const plan = planRender(doc, resolver);
    expect(plan.frames).toBe(472);
    expect(plan.video.map((s) => s.frames).reduce((a, b) => a + b)).toBe(472);
    expect(plan.video).toEqual([
      { kind: 'clip', clipId: 'c1', input: 0, sourceStart: 0, frames: 96 },
      { kind: 'clip', clipId: 'c2', input: 1, sourceStart: 0, frames: 72 },
      { kind: 'clip', clipId: 'c3', input: 2, sourceStart: 0, frames: 72 },
      { kind: 'gap', frames: 10 },
      { kind: 'clip', clipId: 'c4', input: 3, sourceStart: 10, frames: 86 },
      { kind: 'gap', frames: 64 },
      { kind: 'clip', clipId: 'c5', input: 4, sourceStart: 0, frames: 72 },
    ]);
  });

  it('puts upper video tracks on top', () => {
    let doc = sample();
    doc = applyCommand(doc, { type: 'track.add', track: { id: 'v2', kind: 'video' }, index: 1 }).doc;
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: 'v2',
      clip: { id: 'ins', source: { type: 'shot', shotId: 's5' }, sourceStart: 3, recordStart: 50, duration: 20 },
    }).doc;
    const plan = planRender(doc, resolver);
    expect(plan.video.slice(0, 3)).toEqual([
      { kind: 'clip', clipId: 'c1', input: 0, sourceStart: 0, frames: 50 },
      { kind: 'clip', clipId: 'ins', input: 1, sourceStart: 3, frames: 20 },
      { kind: 'clip', clipId: 'c1', input: 0, sourceStart: 70, frames: 26 },
    ]);
  });

  it('computes audio in exact samples at 23.976 with gain and fades', () => {
    let doc = sample();
    doc = applyCommand(doc, { type: 'sequence.update', patch: { rate: { num: 24000, den: 1001 } } }).doc;
    doc = applyCommand(doc, { type: 'clip.update', clipId: 'c2', patch: { gainDb: -6, fadeInSamples: 4800 } }).doc;
    doc = applyCommand(doc, { type: 'track.update', trackId: 'v1', patch: { gainDb: 2 } }).doc;
    const plan = planRender(doc, resolver);
    const c2 = plan.audio.find((a) => a.clipId === 'c2')!;
    expect(c2.startSample).toBe(96 * 2002);
    expect(c2.samples).toBe(72 * 2002);
    expect(c2.gainDb).toBe(-4);
    expect(c2.fadeInSamples).toBe(4800);
    expect(plan.samples).toBe(408 * 2002);
  });

  it('mute and solo decide which tracks sound', () => {
    let doc = sample();
    doc = applyCommand(doc, { type: 'track.update', trackId: 'v1', patch: { muted: true } }).doc;
    expect(planRender(doc, resolver).audio).toHaveLength(0);
  });

  it('builds one ffmpeg graph that reads each file once', () => {
    const plan = planRender(sample(), () => ({ path: '/media/same.mp4', hasVideo: true, hasAudio: true }));
    const args = buildFfmpegArgs(plan, '/tmp/out.mp4');
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('[0:v]split=5');
    expect(graph).toContain('[0:a]asplit=5');
  });
});
