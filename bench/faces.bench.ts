/**
 * Face benchmarks on the GRID clips (3 s, 360×288, 25 fps): the verified-
 * recording check per recording, face analysis frames per second (detection +
 * mesh), embedding time per face, and likeness matching per second of video;
 * baselines measured in the same run: decoding the same frames with ffmpeg,
 * and VAD over the same audio.
 *
 * Video clips from "The Grid Audio-Visual Speech Corpus", Martin Cooke, Jon Barker,
 * Stuart Cunningham, Xu Shao (2006), https://doi.org/10.5281/zenodo.3625687, licensed under
 * CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Unmodified. Obtained via
 * github.com/rizkiarm/LipNet (evaluation samples).
 */
import { verifyRecording } from '../engine/cameo/verify-recording.js';
import { matchLikeness } from '../engine/safety/likeness.js';
import { detectFaces } from '../engine/vision/face-detect.js';
import { embedFace } from '../engine/vision/face-embed.js';
import { faceMesh } from '../engine/vision/face-mesh.js';
import { analyseFaces } from '../engine/vision/face-analysis.js';
import { decodeFrames } from '../engine/vision/frames.js';
import { speechTrack } from '../engine/vision/lip-sync.js';
import { GRID_A, GRID_B, GRID_PHRASE_A, gridAvailable } from '../test/support/grid-faces.js';
import { medianMs, report } from './support.js';

export async function benchFaces(): Promise<void> {
  if (!gridAvailable()) {
    process.stdout.write('faces: skipped, the GRID clips are not in ../shared/media/faces\n');
    return;
  }
  // warm the sessions
  await verifyRecording(GRID_B);
  const decodeMs = await medianMs(3, () => decodeFrames(GRID_A, { fps: 25 }));
  const vadMs = await medianMs(3, () => speechTrack(GRID_A));
  const checkMs = await medianMs(3, () => verifyRecording(GRID_A, { challenge: GRID_PHRASE_A }));
  report({
    name: 'verify recording (3 s clip, 75 frames)',
    value: checkMs,
    unit: 'ms',
    baseline: { name: 'ffmpeg decode of the same frames', value: decodeMs },
  });
  report({ name: 'VAD of the same recording', value: vadMs, unit: 'ms' });

  const analysis = await analyseFaces(GRID_A, { fps: 25 });
  report({
    name: 'face analysis (detect + mesh)',
    value: (analysis.frames.length / analysis.modelMs) * 1000,
    unit: 'frames/s',
    note: `${analysis.width}×${analysis.height}, decode ${analysis.decodeMs.toFixed(0)} ms for ${analysis.frames.length} frames`,
  });

  const { frames } = await decodeFrames(GRID_A, { fps: 5 });
  const boxes = await Promise.all(frames.map(async (f) => (await detectFaces(f))[0]!));
  const per = async (fn: (i: number) => Promise<unknown>) =>
    (await medianMs(3, async () => {
      for (let i = 0; i < frames.length; i++) await fn(i);
    })) / frames.length;
  const detectMs = await per((i) => detectFaces(frames[i]!));
  const meshMs = await per((i) => faceMesh(frames[i]!, boxes[i]!));
  const embedMs = await per((i) => embedFace(frames[i]!, boxes[i]!));
  report({
    name: 'embedding per face (align + MobileFaceNet)',
    value: embedMs,
    unit: 'ms',
    baseline: { name: 'detection per frame (YuNet)', value: detectMs },
  });
  report({ name: 'mesh per face (MediaPipe 468)', value: meshMs, unit: 'ms' });

  const likenessMs = await medianMs(3, () => matchLikeness(GRID_B, []));
  report({ name: 'likeness matching at 2 frames/s', value: likenessMs / 3, unit: 'ms per second of video' });
}
