import { resolve } from 'node:path';
import { inputError } from '../../common/errors.js';
import { analyseFaces } from '../../vision/face-analysis.js';
import { lipSyncOfAnalysis, speechTrack } from '../../vision/lip-sync.js';
import { countBlinks, quantile } from '../../vision/liveness-measures.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';

export const facesCommand: CliCommand = {
  name: 'faces',
  summary: 'where the faces of a video are, whether they face the camera, blinks, and lip sync against the speech',
  usage: 'klappe faces FILE [--fps N] [--json]',
  details: [
    'Analyses FILE at N frames a second (default 10, at most the video rate) with the face models in assets/models/faces:',
    'faces per frame, frontal share, head yaw range, blinks, mouth openness, and the lip-sync check (mouth movement against the speech VAD finds).',
    'Exit status: 0 when the mouth follows the speech or there is no speech, 3 when a face speaks out of sync. See docs/faces.md.',
  ],
  options: { fps: { type: 'string' } },
  async run(parsed, io) {
    const file = resolve(requirePositional(parsed, 0, 'FILE', this.usage));
    const fpsText = stringOption(parsed, 'fps');
    const fps = fpsText === undefined ? 10 : Number(fpsText);
    if (!Number.isFinite(fps) || fps <= 0 || fps > 60)
      throw inputError('BAD_ARGUMENTS', `--fps must be a number from 0 to 60, got ${fpsText}`, {
        path: 'fps',
        hint: `Usage: ${this.usage}`,
      });
    const analysis = await analyseFaces(file, { fps, signal: io.signal });
    const speech = await speechTrack(file, { signal: io.signal });
    const lipSync = lipSyncOfAnalysis(analysis, speech);
    const counts = analysis.frames.map((f) => f.faces.length);
    const withFace = analysis.frames.filter((f) => f.faces.length > 0);
    const main = analysis.frames.map((f) => (f.faces.length === 1 ? f.faces[0]!.measures : undefined));
    const yaws = main.flatMap((m) => (m ? [m.yawDeg] : []));
    const summary = {
      file,
      fps: analysis.fps,
      frames: analysis.frames.length,
      framesWithFace: withFace.length,
      maxFacesInAFrame: Math.max(0, ...counts),
      frontalShare: withFace.length ? withFace.filter((f) => f.faces.every((x) => x.frontal)).length / withFace.length : 0,
      yawRangeDeg: [quantile(yaws, 0.05), quantile(yaws, 0.95)],
      blinks: countBlinks(
        main.map((m) => m?.eyeOpen),
        analysis.fps,
      ).blinks,
      speechSec: speech?.speechSec ?? 0,
      lipSync,
      perFrame: analysis.frames.map((f) => ({
        timeMs: f.timeMs,
        faces: f.faces.map((x) => ({
          box: [x.box.x, x.box.y, x.box.width, x.box.height].map((v) =>
            Math.round((v * analysis.sourceWidth) / Math.max(1, analysis.width)),
          ),
          score: round(x.box.score),
          frontal: x.frontal,
          ...(x.measures
            ? { mouthOpen: round(x.measures.mouthOpen), eyeOpen: round(x.measures.eyeOpen), yawDeg: round(x.measures.yawDeg) }
            : {}),
        })),
      })),
    };
    if (parsed.json) io.out(JSON.stringify(summary, null, 2));
    else {
      io.out(
        `${file}: ${summary.frames} frames at ${summary.fps} fps, a face in ${summary.framesWithFace}, at most ${summary.maxFacesInAFrame} in one frame`,
      );
      io.out(
        `  frontal:   ${Math.round(summary.frontalShare * 100)}% of the frames with a face; yaw ${summary.yawRangeDeg.map((v) => v.toFixed(0)).join('° to ')}°`,
      );
      io.out(`  blinks:    ${summary.blinks}${analysis.fps < 10 ? ' (analyse at 10 fps or more to see blinks)' : ''}`);
      io.out(`  speech:    ${summary.speechSec.toFixed(1)} s`);
      io.out(
        `  lip sync:  ${lipSync.passed ? 'in sync' : (lipSync.reason ?? 'not in sync')} (score ${lipSync.score.toFixed(2)}, best at ${lipSync.lagSec >= 0 ? '+' : ''}${lipSync.lagSec.toFixed(2)} s)`,
      );
    }
    return lipSync.reason === 'not-in-sync' ? 3 : 0;
  },
};

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
