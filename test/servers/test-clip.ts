/** A small real MP4 (H.264 + AAC) made with ffmpeg's lavfi sources, for the test servers to serve. */
import { runFfmpeg } from '../../engine/media/run.js';

export async function makeTestClip(out: string, opts: { seconds?: number; width?: number; height?: number } = {}): Promise<string> {
  const { seconds = 1, width = 160, height = 90 } = opts;
  await runFfmpeg(
    [
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc=size=${width}x${height}:rate=24:duration=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      '-f',
      'mp4',
      out,
    ],
    { what: 'making the test clip' },
  );
  return out;
}

/** A solid-colour H.264 clip at 24 fps (`colour` as ffmpeg names it: "red", "0x808080"), with silent stereo AAC when `silence` is set. */
export async function makeColourClip(
  out: string,
  opts: { colour: string; seconds: number; width: number; height: number; silence?: boolean },
): Promise<string> {
  const { colour, seconds, width, height } = opts;
  const audio = opts.silence ? ['-f', 'lavfi', '-i', `anullsrc=r=48000:cl=stereo`, '-t', String(seconds), '-c:a', 'aac'] : [];
  await runFfmpeg(
    ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${colour}:s=${width}x${height}:r=24:d=${seconds}`, ...audio].concat([
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-y',
      out,
    ]),
    { what: 'making the test clip' },
  );
  return out;
}
