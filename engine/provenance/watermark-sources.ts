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

/** Which frame of which take a point shows: points with the same key show the same picture. */
export function sourceKey(source: NonNullable<EmbedPoint['source']>): string {
  return `${source.input}@${source.seconds.toFixed(4)}`;
}

/**
 * The source frames of `points` (gaps: none) as rgb24 at the working size, fitted like the render fits its clips.
 * A frame that several points show (a take used again later in the cut) is read once: those points share one array.
 */
export async function readSourceFrames(
  plan: RenderPlan,
  points: EmbedPoint[],
  g: WorkGeometry,
  signal?: AbortSignal,
): Promise<Map<number, Uint8Array>> {
  const frames = new Map<number, Uint8Array>();
  const firstOf = new Map<string, number>();
  const repeats: Array<{ i: number; first: number }> = [];
  const withSource: Array<{ p: EmbedPoint; i: number }> = [];
  points.forEach((p, i) => {
    if (!p.source) return;
    const key = sourceKey(p.source);
    const first = firstOf.get(key);
    if (first === undefined) {
      firstOf.set(key, i);
      withSource.push({ p, i });
    } else repeats.push({ i, first });
  });
  const frameBytes = g.width * g.height * 3;
  const fit = `scale=${g.width}:${g.height}:force_original_aspect_ratio=decrease:flags=area,pad=${g.width}:${g.height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=rgb24`;
  for (let b = 0; b < withSource.length; b += BATCH) {
    const batch = withSource.slice(b, b + BATCH);
    const args: string[] = ['-v', 'error'];
    for (const { p } of batch) args.push('-threads', '1', '-ss', p.source!.seconds.toFixed(4), '-i', plan.inputs[p.source!.input]!);
    const chains = batch.map((_, k) => `[${k}:v]trim=end_frame=1,${fit}[s${k}]`);
    const labels = batch.map((_, k) => `[s${k}]`).join('');
    chains.push(`${labels}concat=n=${batch.length}:v=1:a=0[out]`);
    args.push('-filter_complex', chains.join(';'), '-map', '[out]', '-vsync', '0', '-f', 'rawvideo', 'pipe:1');
    const { stdout } = await runTool('ffmpeg', args, { captureStdout: true, signal, what: 'reading frames for the invisible watermark' });
    batch.forEach(({ i }, k) => {
      if ((k + 1) * frameBytes <= stdout.length) frames.set(i, Uint8Array.from(stdout.subarray(k * frameBytes, (k + 1) * frameBytes)));
    });
  }
  for (const { i, first } of repeats) {
    const f = frames.get(first);
    if (f) frames.set(i, f);
  }
  return frames;
}
