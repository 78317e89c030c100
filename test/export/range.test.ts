/**
 * Exporting part of the sequence (engine/render/range.ts): the plan cut to
 * [in, out), checked ranges with errors naming the field, and real exports
 * (ffmpeg, lossless x264) whose frames equal the same frames of the whole
 * export, whose mix equals the same samples of the whole mix, and whose
 * captions are shifted with the range.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaStore } from '../../engine/cache/media-store.js';
import { isKlappeError } from '../../engine/common/errors.js';
import { exportProject, type ExportOptions } from '../../engine/export/export-project.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { probe } from '../../engine/media/probe.js';
import { applyCommand } from '../../engine/model/commands/index.js';
import { loadProject } from '../../engine/model/project-file.js';
import type { Project } from '../../engine/model/schema.js';
import { buildAudioMixArgs } from '../../engine/render/ffmpeg-graph.js';
import { planRender } from '../../engine/render/plan.js';
import { checkRange, cutPlan, parseFrameOrTimecode } from '../../engine/render/range.js';
import { resolveSources } from '../../engine/render/sources.js';
import { frameToSample } from '../../engine/common/time.js';
import { exportHistory } from '../../engine/export/export-history.js';
import { saveProject } from '../support/write-project.js';
import { ROOT, runCli, tempDir } from '../support/env.js';

const sample = () => loadProject(join(ROOT, 'assets', 'templates', 'two-scenes')).doc;
const fake = (clip: { id: string }) => ({ path: `/media/${clip.id}.mp4`, hasVideo: true, hasAudio: true });

function thrown(fn: () => unknown): { code: string; path?: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isKlappeError(e)) return { code: e.code, path: e.path, message: e.message };
    throw e;
  }
  throw new Error('did not throw');
}

describe('export range in the plan', () => {
  it('cuts video segments, transitions and audio parts to [in, out)', () => {
    let doc = sample();
    doc = applyCommand(doc, {
      type: 'clip.update',
      clipId: 'c1',
      patch: { transitionOut: { kind: 'dissolve', before: 12, after: 12 } },
    }).doc;
    const whole = planRender(doc, fake);
    const part = cutPlan(whole, { in: 90, out: 180 });
    expect(part.frames).toBe(90);
    expect(part.samples).toBe(90 * 2000);
    expect(part.video).toEqual([
      // the dissolve (84..108) cut 6 frames in: it goes on from there
      {
        kind: 'transition',
        transition: 'dissolve',
        frames: 18,
        length: 24,
        played: 6,
        from: { input: 0, sourceStart: 90 },
        to: { input: 1, sourceStart: -6 },
      },
      { kind: 'clip', clipId: 'c2', input: 1, sourceStart: 12, frames: 60 },
      { kind: 'clip', clipId: 'c3', input: 2, sourceStart: 0, frames: 12 },
    ]);
    expect(part.inputs).toEqual(['/media/c1.mp4', '/media/c2.mp4', '/media/c3.mp4']);
    const audio = part.audio.map((a) => [a.clipId, a.input, a.startSample, a.samples, a.skipSamples ?? 0]);
    expect(audio).toEqual([
      ['c1', 0, 0, 96 * 2000, 90 * 2000],
      ['c2', 1, 6 * 2000, 72 * 2000, 0],
      ['c3', 2, 78 * 2000, 72 * 2000, 0],
    ]);
    // the whole range is the plan itself
    expect(cutPlan(whole, { in: 0, out: whole.frames })).toBe(whole);
  });

  it('refuses bad ranges with an error naming the field', () => {
    const rate = { num: 24, den: 1 };
    expect(checkRange({}, 100, rate)).toEqual({ in: 0, out: 100 });
    expect(checkRange({ in: 10 }, 100, rate)).toEqual({ in: 10, out: 100 });
    const cli = { in: '--in', out: '--out' };
    expect(thrown(() => checkRange({ in: 50, out: 50 }, 100, rate, cli))).toMatchObject({ code: 'BAD_RANGE', path: '--out' });
    expect(thrown(() => checkRange({ in: 60, out: 20 }, 100, rate, cli)).message).toMatch(
      /--out: the out point \(frame 20\) must come after the in point \(frame 60\)/,
    );
    expect(thrown(() => checkRange({ in: 100 }, 100, rate, cli))).toMatchObject({ path: '--in' });
    expect(thrown(() => checkRange({ out: 101 }, 100, rate, cli))).toMatchObject({ path: '--out' });
    expect(thrown(() => checkRange({ in: -1 }, 100, rate))).toMatchObject({ path: 'params.range.in' });
    expect(parseFrameOrTimecode('48', rate, '--in')).toBe(48);
    expect(parseFrameOrTimecode('00:00:02:12', rate, '--in')).toBe(60);
    expect(thrown(() => parseFrameOrTimecode('2s', rate, '--out'))).toMatchObject({ code: 'BAD_RANGE', path: '--out' });
    expect(thrown(() => parseFrameOrTimecode('00:00:02:30', rate, '--out'))).toMatchObject({ code: 'BAD_RANGE', path: '--out' });
  });
});

describe('exporting a range with ffmpeg', () => {
  const t = tempDir('klappe-range-');
  const dir = join(t.dir, 'p');
  let doc: Project;
  const store = () => new MediaStore(join(t.dir, 'store'));
  /** A clip whose frames carry their number as brightness, with a gated tone (an edge every half second). */
  const media = async (name: string, base: number) => {
    const file = join(dir, `${name}.mp4`);
    await runFfmpeg([
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `nullsrc=s=64x36:r=24:d=3,geq=lum='${base}+N*2':cb=128:cr=128`,
      '-f',
      'lavfi',
      '-i',
      `aevalsrc='0.4*sin(2*PI*${name === 'a' ? 440 : 660}*t)*gt(mod(t\\,0.5)\\,0.25)':s=48000:d=3`,
      '-c:v',
      'libx264',
      '-qp',
      '0',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'pcm_s16le',
      '-f',
      'mov',
      '-y',
      file.replace('.mp4', '.mov'),
    ]);
    return file.replace('.mp4', '.mov');
  };

  beforeAll(async () => {
    cpSync(join(ROOT, 'assets', 'templates', 'empty'), dir, { recursive: true });
    await media('a', 16);
    await media('b', 120);
    doc = loadProject(dir).doc;
    doc = {
      ...doc,
      media: [
        { id: 'ma', path: 'a.mov', kind: 'video' },
        { id: 'mb', path: 'b.mov', kind: 'video' },
      ],
      sequence: { ...doc.sequence, width: 64, height: 36 },
    };
    const v1 = doc.sequence.tracks.find((x) => x.kind === 'video')!;
    doc.sequence.tracks = doc.sequence.tracks.map((tr) => (tr.id === v1.id ? { ...tr, clips: [] } : tr));
    doc = applyCommand(doc, { type: 'character.add', character: { id: 'mia', name: 'Mia' } }).doc;
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: v1.id,
      clip: {
        id: 'a',
        source: { type: 'media', mediaId: 'ma' },
        recordStart: 0,
        duration: 48,
        fadeOutSamples: 9600,
        transitionOut: { kind: 'dissolve', before: 6, after: 6 },
      },
    }).doc;
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: v1.id,
      clip: { id: 'b', source: { type: 'media', mediaId: 'mb' }, sourceStart: 10, recordStart: 48, duration: 48, fadeInSamples: 4800 },
    }).doc;
    // two caption lines on the dialogue lane: one before the range, one across its start
    doc = applyCommand(doc, { type: 'line.add', line: { id: 'l1', characterId: 'mia', text: 'Before the range.' } }).doc;
    doc = applyCommand(doc, { type: 'line.add', line: { id: 'l2', characterId: 'mia', text: 'Across the in point.' } }).doc;
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: 'd1',
      clip: { id: 'lc1', source: { type: 'line' }, lineId: 'l1', recordStart: 0, duration: 24 },
    }).doc;
    doc = applyCommand(doc, {
      type: 'clip.add',
      trackId: 'd1',
      clip: { id: 'lc2', source: { type: 'line' }, lineId: 'l2', recordStart: 36, duration: 24 },
    }).doc;
  });
  afterAll(() => t.cleanup());

  const opts = (o: Partial<ExportOptions> = {}): ExportOptions => ({
    store: store(),
    watermark: false,
    invisibleWatermark: false,
    sign: false,
    frameCheck: false,
    size: { width: 64, height: 36 },
    encode: { crf: 0, preset: 'ultrafast', audioBitrate: '128k' },
    ...o,
  });
  const frameHashes = async (file: string) => {
    const r = await runFfmpeg(['-v', 'error', '-i', file, '-map', '0:v', '-f', 'framemd5', '-'], { captureStdout: true });
    return r.stdout
      .toString()
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(',').pop()!.trim());
  };

  it('has exactly the frames and samples of the same part of the whole export, and its captions shifted', async () => {
    const loaded = { doc, dir, file: join(dir, 'project.klappe'), migratedFrom: doc.schemaVersion };
    const whole = await exportProject(loaded, join(t.dir, 'whole.mp4'), opts());
    const range = { in: 45, out: 70 };
    const part = await exportProject(loaded, join(t.dir, 'part.mp4'), opts({ range, captionFiles: true }));
    expect(part.range).toEqual(range);
    expect(part.plan.frames).toBe(25);
    const wholeFrames = await frameHashes(whole.output);
    const partFrames = await frameHashes(part.output);
    expect(wholeFrames).toHaveLength(96);
    // 45..70 starts inside a's fade-out and the dissolve (42..54), and crosses b's start: the same pictures
    expect(partFrames).toEqual(wholeFrames.slice(45, 70));
    const p = await probe(part.output);
    expect(Number(p.format.duration)).toBeCloseTo(25 / 24, 1);

    // the mix: the part's samples are the whole mix's samples from frame 45 on (float mix, compared to 1e-6)
    const resolver = await resolveSources(loaded, store());
    const mix = async (plan: ReturnType<typeof planRender>) =>
      new Float32Array(
        Uint8Array.from((await runFfmpeg(buildAudioMixArgs(plan, ['-f', 'f32le', '-ac', '2', 'pipe:1']), { captureStdout: true })).stdout)
          .buffer,
      );
    const wholePlan = planRender(doc, resolver, { width: 64, height: 36 });
    const a = await mix(wholePlan);
    const b = await mix(cutPlan(wholePlan, range));
    const from = frameToSample(45, doc.sequence.rate) * 2;
    expect(b.length).toBe((frameToSample(70, doc.sequence.rate) - frameToSample(45, doc.sequence.rate)) * 2);
    let worst = 0;
    for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(b[i]! - a[from + i]!));
    expect(worst).toBeLessThan(1e-6);
    // and not silence: the tone is there
    expect(Math.max(...b.map(Math.abs))).toBeGreaterThan(0.1);

    // captions: the line before the range is gone, the one across its start begins at 0 and ends 15 frames in
    const srt = readFileSync(part.captions![0]!, 'utf8');
    expect(srt).not.toMatch(/Before the range/);
    expect(srt).toMatch(/^1\n00:00:00,000 --> 00:00:00,625\nMIA: Across the in point\.\n/);
  });

  it('needs no take for a shot outside the range', async () => {
    // shot-1 of the template has no take: the whole sequence cannot be exported without making one, the range can
    const withShot = applyCommand(doc, {
      type: 'clip.add',
      trackId: 'v1',
      clip: { id: 'later', source: { type: 'shot', shotId: 'shot-1' }, recordStart: 96, duration: 24 },
    }).doc;
    const loaded = { doc: withShot, dir, file: join(dir, 'project.klappe'), migratedFrom: doc.schemaVersion };
    await expect(exportProject(loaded, join(t.dir, 'needs-take.mp4'), opts())).rejects.toMatchObject({ code: 'TAKES_MISSING' });
    const r = await exportProject(loaded, join(t.dir, 'range-only.mp4'), opts({ range: { in: 45, out: 70 } }));
    expect(r.plan.frames).toBe(25);
  });

  it('fails before writing anything for a range outside the sequence, naming the field', async () => {
    const loaded = { doc, dir, file: join(dir, 'project.klappe'), migratedFrom: doc.schemaVersion };
    const out = join(t.dir, 'bad.mp4');
    await expect(
      exportProject(loaded, out, opts({ range: { in: 10, out: 500 }, rangeFields: { in: '--in', out: '--out' } })),
    ).rejects.toMatchObject({
      code: 'BAD_RANGE',
      path: '--out',
    });
  });

  it('klappe render --in/--out writes that part, keeps it in the export history, and names the flag of a bad range', async () => {
    saveProject(dir, doc);
    const out = join(t.dir, 'cli.mp4');
    const flags = ['--no-watermark', '--no-invisible-watermark', '--no-sign', '--preset', '64x36', '--loudness', 'off', '--json'];
    const r = await runCli(['render', dir, '-o', out, '--in', '45', '--out', '00:00:02:22', ...flags]);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.range).toEqual({ in: 45, out: 70 });
    expect(summary.frames).toBe(25);
    expect(Number((await probe(out)).format.duration)).toBeCloseTo(25 / 24, 1);
    const [last] = exportHistory(dir);
    expect(last).toMatchObject({ output: out, range: { in: 45, out: 70 }, whole: false, width: 64, height: 36 });
    expect(last!.loudness!.integrated).toBeLessThan(0);
    expect(last!.loudness!.target).toBeUndefined();

    const bad = await runCli(['render', dir, '-o', join(t.dir, 'bad.mp4'), '--in', '80', '--out', '60', ...flags]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--out: the out point \(frame 60\) must come after the in point \(frame 80\)/);
    const junk = await runCli(['render', dir, '-o', join(t.dir, 'bad.mp4'), '--in', 'soon', ...flags]);
    expect(junk.status).toBe(2);
    expect(junk.stderr).toMatch(/--in: "soon" is neither a frame number nor a timecode/);
  });
});
