/**
 * Where the invisible watermark is embedded: one point every `every` output
 * frames, each taken from the middle of its interval (or the clip covering
 * most of it), and that frame read straight from its take at the working
 * size — a seek and one decoded frame, instead of a second pass over the
 * whole sequence.
 */
import { runTool } from '../media/run.js';
import type { RenderPlan } from '../render/plan.js';
import type { WorkGeometry } from './watermark-geometry.js';

export interface EmbedPoint {
  /** First output frame the residual of this point covers. */
  start: number;
  /** The take (plan input) and its time in seconds, or none for a gap (black). */
  source?: { input: number; seconds: number };
}

/** One point per `every` output frames; its source is the clip (or transition) that covers most of the interval, at that part's middle. */
export function embedPoints(plan: RenderPlan, every: number): EmbedPoint[] {
  const points: EmbedPoint[] = [];
  const rate = plan.rate.num / plan.rate.den;
  for (let start = 0; start < plan.frames; start += every) {
    const end = Math.min(plan.frames, start + every);
    let at = 0;
    let best: { input: number; seconds: number; frames: number } | undefined;
    for (const seg of plan.video) {
      const a = Math.max(start, at);
      const b = Math.min(end, at + seg.frames);
      if (seg.kind !== 'gap' && b > a && (!best || b - a > best.frames)) {
        const mid = Math.floor((a + b) / 2) - at;
        // a transition: the clip that shows more at that frame (its first frame holds before the media starts)
        // (a transition cut by an export range: its position in the whole transition)
        const src = seg.kind === 'clip' ? seg : mid + (seg.played ?? 0) < (seg.length ?? seg.frames) / 2 ? seg.from : seg.to;
        best = { input: src.input, seconds: Math.max(0, src.sourceStart + mid) / rate, frames: b - a };
      }
      at += seg.frames;
    }
    points.push({ start, ...(best ? { source: { input: best.input, seconds: best.seconds } } : {}) });
  }
  return points;
}

/** How many seeks one ffmpeg run does. */
const BATCH = 24;

/**
 * ffmpeg's `-ss` on an input whose video has B-frames seeks 3/23 s before the time asked (room for their reordering):
 * for a frame that is a key frame, that means decoding from the key frame before it (a second of frames for a previz
 * take). So the seek asks this much later, without ffmpeg's exact seek, and the filter takes the first frame at or
 * after the wanted time: the same frame, decoded from the nearest key frame at or before it (an input without
 * B-frames may give one up to this much later).
 */
const SEEK_PAST_MARGIN = 3 / 23 + 0.001;

/** Which frame of which take a point shows: points with the same key show the same picture. */
export function sourceKey(source: NonNullable<EmbedPoint['source']>): string {
  return `${source.input}@${source.seconds.toFixed(4)}`;
}

/** The points that show a frame no earlier point showed (the first showing of each take frame), in order. */
export function firstShowings(points: EmbedPoint[]): number[] {
  const seen = new Set<string>();
  const firsts: number[] = [];
  points.forEach((p, i) => {
    if (!p.source || seen.has(sourceKey(p.source))) return;
    seen.add(sourceKey(p.source));
    firsts.push(i);
  });
  return firsts;
}

/**
 * The source frame of each first showing (firstShowings), in point order, as rgb24 at the working size, fitted like
 * the render fits its clips: BATCH points per ffmpeg run, and only that batch in memory (a long film's frames are
 * never all held at once). `frame` is undefined where ffmpeg gave none.
 */
export async function* sourceFrames(
  plan: RenderPlan,
  points: EmbedPoint[],
  g: WorkGeometry,
  signal?: AbortSignal,
): AsyncGenerator<{ index: number; frame?: Uint8Array }> {
  const firsts = firstShowings(points);
  const frameBytes = g.width * g.height * 3;
  const fit = `scale=${g.width}:${g.height}:force_original_aspect_ratio=decrease:flags=area,pad=${g.width}:${g.height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=rgb24`;
  for (let b = 0; b < firsts.length; b += BATCH) {
    const batch = firsts.slice(b, b + BATCH);
    const args: string[] = ['-v', 'error'];
    for (const i of batch) {
      const source = points[i]!.source!;
      args.push(
        '-threads',
        '1',
        '-noaccurate_seek',
        '-ss',
        (source.seconds + SEEK_PAST_MARGIN).toFixed(4),
        '-i',
        plan.inputs[source.input]!,
      );
    }
    // (timestamps start at the seek point: the wanted frame is at -SEEK_PAST_MARGIN, within half a frame)
    const from = (-SEEK_PAST_MARGIN - plan.rate.den / plan.rate.num / 2).toFixed(4);
    const chains = batch.map((_, k) => `[${k}:v]select='gte(t\\,${from})',trim=end_frame=1,setpts=PTS-STARTPTS,${fit}[s${k}]`);
    const labels = batch.map((_, k) => `[s${k}]`).join('');
    chains.push(`${labels}concat=n=${batch.length}:v=1:a=0[out]`);
    args.push('-filter_complex', chains.join(';'), '-map', '[out]', '-vsync', '0', '-f', 'rawvideo', 'pipe:1');
    const { stdout } = await runTool('ffmpeg', args, { captureStdout: true, signal, what: 'reading frames for the invisible watermark' });
    for (let k = 0; k < batch.length; k++)
      yield {
        index: batch[k]!,
        ...((k + 1) * frameBytes <= stdout.length ? { frame: stdout.subarray(k * frameBytes, (k + 1) * frameBytes) } : {}),
      };
  }
}
