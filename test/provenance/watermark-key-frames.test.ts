/**
 * Source frames of the invisible watermark read among a take's key frames: the same pixels as an exact seek,
 * whichever way each frame is read (among the key frames, or sought), and the MP4 tables read for those key frames.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mp4KeyFrameTimes } from '../../engine/media/mp4-key-frames.js';
import { runFfmpeg } from '../../engine/media/run.js';
import { takeOutputArgs } from '../../engine/media/take-encode.js';
import type { RenderPlan } from '../../engine/render/plan.js';
import { workGeometry } from '../../engine/provenance/watermark-geometry.js';
import { embedPoints, sourceFrames } from '../../engine/provenance/watermark-sources.js';
import { makeTestClip } from '../servers/test-clip.js';

const dir = mkdtempSync(join(tmpdir(), 'klappe-wm-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 4 s moving take written the way generated takes are (key frames on frame 0 and the middle of each second). */
async function take(): Promise<string> {
  const out = join(dir, 'take.mp4');
  await runFfmpeg(
    [
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x180:rate=24:duration=4',
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=48000:cl=stereo',
      '-t',
      '4',
      ...takeOutputArgs({ rate: '24', crf: 23, gop: 24, audioBitrate: '96k', output: out }),
    ],
    { what: 'making a take' },
  );
  return out;
}

/** The frame at `seconds`, by ffmpeg's exact seek. */
async function exactFrame(file: string, seconds: number, g: { width: number; height: number }): Promise<Buffer> {
  const { stdout } = await runFfmpeg(
    [
      '-v',
      'error',
      '-ss',
      seconds.toFixed(4),
      '-i',
      file,
      '-frames:v',
      '1',
      '-vf',
      `scale=${g.width}:${g.height}:flags=area,format=rgb24`,
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    { captureStdout: true },
  );
  return stdout;
}

describe('invisible watermark source frames on key frames', () => {
  it('finds the key frames of a take in its MP4 tables', async () => {
    expect(mp4KeyFrameTimes(await take())).toEqual([0, 0.5, 1.5, 2.5, 3.5]);
    // not an MP4: no tables
    expect(mp4KeyFrameTimes(join(import.meta.dirname, 'watermark-key-frames.test.ts'))).toBeUndefined();
  });

  it('does not follow tables that say more than they hold (the frames are sought instead)', async () => {
    const bytes = readFileSync(await take());
    const stss = bytes.indexOf('stss');
    const broken = Buffer.from(bytes);
    broken.writeUInt32BE(0xffffff, stss + 8); // its entry count, far past the box
    const file = join(dir, 'broken-stss.mp4');
    writeFileSync(file, broken);
    expect(mp4KeyFrameTimes(file)).toBeUndefined();
    const stts = bytes.indexOf('stts');
    const huge = Buffer.from(bytes);
    huge.writeUInt32BE(0xffffffff, stts + 12); // the first run's sample count
    writeFileSync(file, huge);
    expect(mp4KeyFrameTimes(file)).toBeUndefined();
  });

  it('gives the exact frame whether it is read among the key frames or sought', async () => {
    const keyed = await take();
    const plain = await makeTestClip(join(dir, 'plain.mp4'), { seconds: 4, width: 320, height: 180 });
    // points at 0.5, 1.5, 2.5 s of the take (key frames), then 1.25 and 2.75 s of it (between key frames), then the
    // middle of each second of a clip with ffmpeg's default key frames
    const video: RenderPlan['video'] = [
      { kind: 'clip', clipId: 'a', input: 0, sourceStart: 0, frames: 72 },
      { kind: 'clip', clipId: 'b', input: 0, sourceStart: 18, frames: 48 },
      { kind: 'clip', clipId: 'c', input: 1, sourceStart: 0, frames: 48 },
    ];
    const plan: RenderPlan = {
      width: 640,
      height: 360,
      rate: { num: 24, den: 1 },
      frames: 168,
      samples: 0,
      inputs: [keyed, plain],
      video,
      audio: [],
    };
    const g = workGeometry(plan.width, plan.height);
    const points = embedPoints(plan, 24);
    expect(points.map((p) => p.source!.seconds)).toEqual([0.5, 1.5, 2.5, 1.25, 2.25, 0.5, 1.5]);
    const read: Buffer[] = [];
    for await (const { index, frame } of sourceFrames(plan, points, g)) {
      expect(index).toBe(read.length);
      read.push(Buffer.from(frame!));
    }
    expect(read).toHaveLength(points.length);
    for (const [k, p] of points.entries()) {
      const exact = await exactFrame(plan.inputs[p.source!.input]!, p.source!.seconds, g);
      expect(Buffer.compare(read[k]!, exact), `point ${k} (${p.source!.seconds} s of input ${p.source!.input})`).toBe(0);
    }
  });
});
