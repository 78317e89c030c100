/** Levels of a stretch of a file's audio, measured by ffmpeg (volumedetect). */
import { runFfmpeg } from '../../engine/media/run.js';

export async function meanVolumeDb(file: string, startSeconds: number, endSeconds: number): Promise<number> {
  const { stderr } = await runFfmpeg([
    '-i',
    file,
    '-vn',
    '-af',
    `atrim=start=${startSeconds}:end=${endSeconds},volumedetect`,
    '-f',
    'null',
    '-',
  ]);
  const m = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr);
  if (!m) throw new Error(`no mean_volume in ffmpeg output:\n${stderr.slice(-500)}`);
  return m[1] === '-inf' ? -Infinity : Number(m[1]);
}
