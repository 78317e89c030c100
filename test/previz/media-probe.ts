/** Reads an exported file back with ffmpeg: mono audio samples, raw RGB frames, framemd5 lines. */
import { runFfmpeg } from '../../engine/media/run.js';

export async function decodeAudioMono(file: string): Promise<Float32Array> {
  const { stdout } = await runFfmpeg(['-i', file, '-map', '0:a:0', '-ac', '1', '-ar', '48000', '-f', 'f32le', 'pipe:1'], {
    captureStdout: true,
  });
  return new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.length));
}

export async function decodeFramesRgb(file: string, width: number, height: number): Promise<Buffer[]> {
  const { stdout } = await runFfmpeg(['-i', file, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
    captureStdout: true,
  });
  const size = width * height * 3;
  const frames: Buffer[] = [];
  for (let o = 0; o + size <= stdout.length; o += size) frames.push(stdout.subarray(o, o + size));
  return frames;
}

/** ffmpeg's per-frame md5 of the decoded stream (`v` or `a`), without the header comments. */
export async function frameMd5(file: string, stream: 'v' | 'a'): Promise<string[]> {
  const { stdout } = await runFfmpeg(['-i', file, '-map', `0:${stream}:0`, '-f', 'framemd5', 'pipe:1'], { captureStdout: true });
  return stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
}
