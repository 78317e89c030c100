/**
 * The slate generator: a card with scene/shot/take numbers, the shot's action,
 * its dialogue as subtitles, a running timecode and a 1 kHz tone at the head,
 * for the shot's duration. Made with ffmpeg's lavfi sources and drawtext.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../../common/errors.js';
import { runFfmpeg } from '../../media/run.js';
import { framesToMicros, framesToSamples, rateToString } from '../../common/time.js';
import { assetPath } from '../../util/paths.js';
import type { Backend, Capabilities, GenerateContext, GeneratedMedia, ShotRequest } from '../backend.js';
import { dialogueCues, toneFrames } from '../../render/dialogue-cues.js';
import { slateTitle, startTimecodeFor, wrapText } from './slate-layout.js';
import { takeOutputArgs } from '../../media/take-encode.js';

const MAX_SECONDS = 600;

export const slateBackend: Backend = {
  id: 'slate',
  version: '1',

  capabilities(): Capabilities {
    return { modes: ['text-to-video'], sizes: [], maxDurationSeconds: MAX_SECONDS, audio: true, remote: false };
  },

  estimate(request) {
    const seconds = (request.shot.duration * request.rate.den) / request.rate.num;
    return { seconds: 0.3 + seconds * 0.05 * ((request.size.width * request.size.height) / (1280 * 720)), costUsd: 0 };
  },

  validate(request) {
    const { width, height } = request.size;
    if (width % 2 || height % 2) throw inputError('BAD_SIZE', `size ${width}x${height} must have even width and height`, { path: 'size' });
    const seconds = (request.shot.duration * request.rate.den) / request.rate.num;
    if (seconds > MAX_SECONDS)
      throw inputError('TOO_LONG', `shot ${request.shot.number} lasts ${seconds.toFixed(1)} s; a slate is at most ${MAX_SECONDS} s`, {
        path: 'duration',
      });
  },

  async generate(request: ShotRequest, ctx: GenerateContext): Promise<GeneratedMedia> {
    this.validate!(request);
    const { width, height } = request.size;
    const frames = request.shot.duration;
    const rate = rateToString(request.rate);
    const samples = framesToSamples(frames, request.rate);
    const toneSamples = framesToSamples(toneFrames(request), request.rate);
    const font = assetPath('fonts', 'DejaVuSans.ttf');
    const bold = assetPath('fonts', 'DejaVuSans-Bold.ttf');
    const mono = assetPath('fonts', 'DejaVuSansMono.ttf');
    const unit = Math.round(Math.min(width, height) / 20);
    const textFile = (name: string, text: string): string => {
      const p = join(ctx.workDir, `${name}.txt`);
      writeFileSync(p, text);
      return p;
    };
    const esc = (p: string) => p.replace(/\\/g, '/').replace(/:/g, '\\:').replace(/'/g, "\\'");
    const maxChars = Math.max(12, Math.floor(width / (unit * 0.62)));

    const filters: string[] = [
      `drawbox=x=0:y=0:w=iw:h=${Math.round(unit * 1.6)}:color=0xf2f2f2@1:t=fill`,
      ...stripes(width, Math.round(unit * 1.6)),
      `drawtext=fontfile='${esc(bold)}':textfile='${esc(textFile('title', slateTitle(request)))}':fontsize=${Math.round(unit * 1.25)}:fontcolor=white:x=(w-text_w)/2:y=${Math.round(unit * 3.4)}`,
      `drawtext=fontfile='${esc(font)}':textfile='${esc(textFile('name', request.shot.name || request.scene.name || ' '))}':fontsize=${Math.round(unit * 0.8)}:fontcolor=0xc8d0e0:x=(w-text_w)/2:y=${Math.round(unit * 5.1)}`,
      `drawtext=fontfile='${esc(mono)}':timecode='${startTimecodeFor(request.rate).replace(/:/g, '\\:')}':rate=${rate}:fontsize=${Math.round(unit * 0.9)}:fontcolor=0xffd060:x=w-text_w-${unit}:y=${Math.round(unit * 2.2)}`,
      `drawtext=fontfile='${esc(font)}':text='SLATE · no generated take yet':fontsize=${Math.round(unit * 0.6)}:fontcolor=0x8890a0:x=${unit}:y=${Math.round(unit * 2.3)}`,
    ];
    const action = wrapText(
      request.shot.action || request.shot.prompt || '(no action written)',
      maxChars,
      Math.max(2, Math.floor(height / unit / 5)),
    );
    action.forEach((line, i) => {
      filters.push(
        `drawtext=fontfile='${esc(font)}':textfile='${esc(textFile(`action${i}`, line))}':fontsize=${Math.round(unit * 0.85)}:fontcolor=0xe8e8e8:x=(w-text_w)/2:y=${Math.round(unit * (7 + i * 1.2))}`,
      );
    });
    dialogueCues(request).forEach((cue, i) => {
      wrapText(cue.text, Math.floor(maxChars * 1.05), 2).forEach((line, j, all) => {
        const y = `h-${Math.round(unit * (1.6 + (all.length - j) * 1.15))}`;
        filters.push(
          `drawtext=fontfile='${esc(bold)}':textfile='${esc(textFile(`cue${i}_${j}`, line))}':fontsize=${Math.round(unit * 0.8)}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=${Math.round(unit * 0.2)}:x=(w-text_w)/2:y=${y}:enable='between(n,${cue.start},${cue.end - 1})'`,
        );
      });
    });

    const out = join(ctx.workDir, 'slate.mp4');
    const args = [
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=0x1d2230:s=${width}x${height}:r=${rate}`,
      // lavfi's sine has amplitude 1/8: a −18 dBFS reference tone
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=1000:sample_rate=48000',
      '-filter_complex',
      `[0:v]trim=end_frame=${frames},${filters.join(',')},format=yuv420p[v];` +
        `[1:a]atrim=end_sample=${toneSamples},apad=whole_len=${samples},atrim=end_sample=${samples},aformat=sample_fmts=fltp:channel_layouts=stereo[a]`,
      '-map',
      '[v]',
      '-map',
      '[a]',
      ...takeOutputArgs({
        rate,
        crf: 23,
        gop: Math.max(1, Math.round(request.rate.num / request.rate.den)),
        audioBitrate: '128k',
        output: out,
      }),
    ];
    const durationUs = framesToMicros(frames, request.rate);
    await runFfmpeg(args, {
      signal: ctx.signal,
      durationUs,
      what: `making the slate for shot ${request.shot.number}`,
      onProgress: (p) => ctx.onProgress({ fraction: p.fraction ?? 0, stage: 'slate' }),
    });
    return {
      video: out,
      model: 'slate',
      modelVersion: this.version,
      durationFrames: frames,
      metadata: { dialogueCues: dialogueCues(request), toneSamples },
    };
  },
};

/** The clapper's diagonal stripes along the top bar. */
function stripes(width: number, barHeight: number): string[] {
  const out: string[] = [];
  const w = barHeight;
  for (let x = 0; x < width; x += w * 2) out.push(`drawbox=x=${x}:y=0:w=${w}:h=${barHeight}:color=0x202020@1:t=fill`);
  return out;
}
