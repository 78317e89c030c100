/**
 * Where the invisible watermark is embedded: one point every `every` output
 * frames, each taken from the middle of its interval (or the clip covering
 * most of it), and that frame read straight from its take at the working
 * size — a seek and one decoded frame, instead of a second pass over the
 * whole sequence.
 */
import { mp4KeyFrameTimes } from '../media/mp4-key-frames.js';
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
 *
 * A frame that is a key frame of an MP4 take (mp4KeyFrameTimes: previz takes have one on the middle of each second,
 * where the points fall) is read with its take's other key frames only, one input per take; any other frame is sought
 * (one input each, decoded from the key frame before it). Opening an input is most of a read's cost.
 */
export async function* sourceFrames(
  plan: RenderPlan,
  points: EmbedPoint[],
  g: WorkGeometry,
  signal?: AbortSignal,
): AsyncGenerator<{ index: number; frame?: Uint8Array }> {
  const firsts = firstShowings(points);
  const keyFrames = new Map<number, number[] | undefined>();
  const keyFramesOf = (input: number) => {
    if (!keyFrames.has(input)) keyFrames.set(input, mp4KeyFrameTimes(plan.inputs[input]!));
    return keyFrames.get(input);
  };
  const halfFrame = plan.rate.den / plan.rate.num / 2;
  for (let b = 0; b < firsts.length; b += BATCH) {
    const sources = firsts.slice(b, b + BATCH).map((i) => points[i]!.source!);
    const keyed = keyFrameReads(sources, keyFramesOf, halfFrame);
    const frames = await readFrames(plan, sources, keyed, g, signal);
    // a key frame the take's tables promised but the decoder did not give (timestamps offset by the file's start)
    const again = sources.flatMap((_, k) => (keyed[k] && !frames[k] ? [k] : []));
    if (again.length) {
      const sought = await readFrames(
        plan,
        again.map((k) => sources[k]!),
        again.map(() => false),
        g,
        signal,
      );
      again.forEach((k, j) => (frames[k] = sought[j]));
    }
    for (let k = 0; k < sources.length; k++) yield { index: firsts[b + k]!, ...(frames[k] ? { frame: frames[k] } : {}) };
  }
}

/**
 * Which sources are read among their take's key frames: those on a key frame, in a take whose key frames up to the
 * last such source are not many more than the sources (an intra-only or densely keyed file is sought instead).
 */
function keyFrameReads(
  sources: Array<NonNullable<EmbedPoint['source']>>,
  keyFramesOf: (input: number) => number[] | undefined,
  halfFrame: number,
): boolean[] {
  const onKey = sources.map((s) => keyFramesOf(s.input)?.some((t) => Math.abs(t - s.seconds) < halfFrame) ?? false);
  for (const input of new Set(sources.map((s) => s.input))) {
    const mine = sources.flatMap((s, k) => (s.input === input && onKey[k] ? [k] : []));
    const last = Math.max(...mine.map((k) => sources[k]!.seconds));
    const decoded = keyFramesOf(input)?.filter((t) => t < last + halfFrame).length ?? 0;
    if (decoded > 2 * mine.length + 2) for (const k of mine) onKey[k] = false;
  }
  return onKey;
}

/** rgb24 value of the stand-in frame a key-frame read gives when its frame is missing. */
const MISSING = [1, 2, 3];

/** One ffmpeg run: each source's frame, in order (undefined where none came). */
async function readFrames(
  plan: RenderPlan,
  sources: Array<NonNullable<EmbedPoint['source']>>,
  keyed: boolean[],
  g: WorkGeometry,
  signal?: AbortSignal,
): Promise<Array<Uint8Array | undefined>> {
  const frameBytes = g.width * g.height * 3;
  const halfFrame = plan.rate.den / plan.rate.num / 2;
  const fit = `scale=${g.width}:${g.height}:force_original_aspect_ratio=decrease:flags=area,pad=${g.width}:${g.height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=rgb24`;
  const args: string[] = ['-v', 'error'];
  const chains: string[] = [];
  let inputs = 0;
  // key-frame reads: one input per take, its key frames only, up to the last wanted one; each wanted frame picked by
  // its time, or the stand-in when the decoder gave none there
  for (const input of new Set(sources.filter((_, k) => keyed[k]).map((s) => s.input))) {
    const mine = sources.flatMap((s, k) => (keyed[k] && s.input === input ? [k] : []));
    const last = Math.max(...mine.map((k) => sources[k]!.seconds));
    args.push('-threads', '1', '-skip_frame', 'nokey', '-t', (last + 2 * halfFrame).toFixed(4), '-i', plan.inputs[input]!);
    chains.push(`[${inputs}:v]split=${mine.length}${mine.map((k) => `[k${k}]`).join('')}`);
    for (const k of mine) {
      const t = sources[k]!.seconds;
      chains.push(
        `[k${k}]select='between(t\\,${(t - halfFrame).toFixed(4)}\\,${(t + halfFrame).toFixed(4)})',trim=end_frame=1,setpts=PTS-STARTPTS,${fit}[f${k}]`,
        `color=c=0x${MISSING.map((v) => v.toString(16).padStart(2, '0')).join('')}:s=${g.width}x${g.height}:r=24:d=0.05,format=rgb24,setsar=1[m${k}]`,
        `[f${k}][m${k}]concat=n=2:v=1:a=0,trim=end_frame=1[s${k}]`,
      );
    }
    inputs++;
  }
  // sought reads (timestamps start at the seek point: the wanted frame is at -SEEK_PAST_MARGIN, within half a frame)
  const from = (-SEEK_PAST_MARGIN - halfFrame).toFixed(4);
  sources.forEach((s, k) => {
    if (keyed[k]) return;
    args.push('-threads', '1', '-noaccurate_seek', '-ss', (s.seconds + SEEK_PAST_MARGIN).toFixed(4), '-i', plan.inputs[s.input]!);
    chains.push(`[${inputs++}:v]select='gte(t\\,${from})',trim=end_frame=1,setpts=PTS-STARTPTS,${fit}[s${k}]`);
  });
  chains.push(`${sources.map((_, k) => `[s${k}]`).join('')}concat=n=${sources.length}:v=1:a=0[out]`);
  args.push('-filter_complex', chains.join(';'), '-map', '[out]', '-vsync', '0', '-f', 'rawvideo', 'pipe:1');
  const { stdout } = await runTool('ffmpeg', args, { captureStdout: true, signal, what: 'reading frames for the invisible watermark' });
  return sources.map((_, k) => {
    if ((k + 1) * frameBytes > stdout.length) return undefined;
    const frame = stdout.subarray(k * frameBytes, (k + 1) * frameBytes);
    return keyed[k] && isStandIn(frame) ? undefined : frame;
  });
}

function isStandIn(frame: Uint8Array): boolean {
  for (let i = 0; i < frame.length; i++) if (frame[i] !== MISSING[i % 3]) return false;
  return true;
}
