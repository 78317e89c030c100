/**
 * The real talking-face clips in ../shared/media/faces and the variants the
 * face tests make from them with ffmpeg (a still frame repeated, a loop, a
 * freeze, two faces side by side, no face, audio removed, audio 0.5 s late).
 *
 * Video clips from "The Grid Audio-Visual Speech Corpus", Martin Cooke, Jon Barker,
 * Stuart Cunningham, Xu Shao (2006), https://doi.org/10.5281/zenodo.3625687, licensed under
 * CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Unmodified. Obtained via
 * github.com/rizkiarm/LipNet (evaluation samples).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runFfmpeg } from '../../engine/media/run.js';

export const GRID_DIR = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'media', 'faces');
/** Speaker s1, "bin blue at F two now"; speaker s2, "set white with P two soon". */
export const GRID_A = join(GRID_DIR, 'grid_bbaf2n.mpg');
export const GRID_B = join(GRID_DIR, 'grid_s2_swwp2s.mpg');
export const GRID_PHRASE_A = 'bin blue at F two now';
export const GRID_PHRASE_B = 'set white with P two soon';

export function gridAvailable(): boolean {
  return existsSync(GRID_A) && existsSync(GRID_B);
}

export type GridVariant = 'still' | 'loop' | 'frozen' | 'two-faces' | 'no-face' | 'silent' | 'shifted';

/** Picture conditions for the likeness calibration: the same faces made harder to recognise. */
export const GRID_CONDITIONS = {
  original: [],
  small: ['-vf', 'scale=120:96'],
  dark: ['-vf', 'eq=brightness=-0.25:contrast=0.6'],
  blur: ['-vf', 'boxblur=2:1'],
  noisy: ['-vf', 'noise=alls=25:allf=t'],
  compressed: ['-crf', '45'],
  mirrored: ['-vf', 'hflip'],
} as const;
export type GridCondition = keyof typeof GRID_CONDITIONS;

/** `src` under one picture condition, video only. */
export async function makeGridCondition(condition: GridCondition, src: string, out: string): Promise<string> {
  const extra: readonly string[] = GRID_CONDITIONS[condition];
  const crf = extra[0] === '-crf' ? [] : ['-crf', '18'];
  await runFfmpeg(
    ['-v', 'error', '-y', '-i', src, '-an', ...extra, '-c:v', 'libx264', '-preset', 'veryfast', ...crf, '-pix_fmt', 'yuv420p', out],
    {
      what: `making the ${condition} condition of ${src}`,
    },
  );
  return out;
}

const ENCODE = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p'];
const AUDIO = ['-c:a', 'aac', '-b:a', '96k'];

/** Writes one variant of `src` (a GRID clip, 25 fps, 3 s) to `out`; `other` is the second speaker for 'two-faces'. */
export async function makeGridVariant(kind: GridVariant, src: string, out: string, other = GRID_B): Promise<string> {
  const args = ['-v', 'error', '-y', '-i', src];
  switch (kind) {
    case 'still':
      // frame 10 repeated for 3 s, with the original speech
      args.push(
        '-filter_complex',
        '[0:v]trim=start_frame=10:end_frame=11,loop=loop=74:size=1:start=0,setpts=N/25/TB[v]',
        '-map',
        '[v]',
        '-map',
        '0:a',
      );
      break;
    case 'loop':
      // 1.0–2.5 s played twice (the speaking part), original audio
      args.push(
        '-filter_complex',
        '[0:v]trim=start_frame=25:end_frame=63,setpts=N/25/TB,loop=loop=1:size=38:start=0,setpts=N/25/TB[v]',
        '-map',
        '[v]',
        '-map',
        '0:a',
      );
      break;
    case 'frozen':
      // the first 1.2 s, then frame 30 held for 1.8 s
      args.push(
        '-filter_complex',
        '[0:v]split[a][b];[a]trim=end_frame=30,setpts=N/25/TB[a1];[b]trim=start_frame=30:end_frame=31,setpts=N/25/TB,loop=loop=44:size=1:start=0,setpts=N/25/TB[b1];[a1][b1]concat=n=2:v=1:a=0[v]',
        '-map',
        '[v]',
        '-map',
        '0:a',
      );
      break;
    case 'two-faces':
      args.push('-i', other, '-filter_complex', '[0:v][1:v]hstack=inputs=2[v]', '-map', '[v]', '-map', '0:a');
      break;
    case 'no-face':
      // the background strip left of the face, scaled to the full frame
      args.push('-vf', 'crop=90:288:0:0,scale=360:288', '-map', '0:v', '-map', '0:a');
      break;
    case 'silent':
      args.push('-map', '0:v', '-an');
      break;
    case 'shifted':
      args.push('-af', 'adelay=500|500', '-map', '0:v', '-map', '0:a');
      break;
  }
  args.push(...ENCODE);
  if (kind !== 'silent') args.push(...AUDIO);
  args.push('-t', '3', out);
  await runFfmpeg(args, { what: `making the ${kind} variant of ${src}` });
  return out;
}
