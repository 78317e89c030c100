/**
 * The waveform of a clip's audio as it will export: source peaks + the clip's
 * region edits and gain envelope → peaks of the edited audio. Pure and
 * browser-safe (no Node imports): the audio editor draws from it, and it reads
 * the edits the way export does, through `audioPieces` (edit-pieces.ts).
 *
 * Two time axes:
 *  - source samples: 48 kHz from the start of the media file (where edits live);
 *  - clip samples: 48 kHz from the clip's first output sample, i.e. the clip
 *    as it plays after its edits. Removed ranges (cut, delete) are skipped, so
 *    later source audio moves up and the clip keeps its length, reading
 *    further into the source (silence past the end of the source), as export does.
 *
 * Levels: what lands in each exported channel before the mix and loudness
 * pass: piece gain (gain and normalize edits, envelope), silence, fades, the
 * clip's own gain and fades when given. Export converts every clip to stereo
 * with swresample, which puts a mono source in both channels at −3 dB, so the
 * peaks of a mono source are scaled by √½ too. Track gain and pan are left out
 * (they belong to the mix, not the clip).
 */
import type { AudioEdit, GainPoint } from '../model/schema.js';
import { audioPieces, keptRanges } from './edit-pieces.js';

/** Peaks over a range of source samples, as `peaksForView` (peaks.ts) returns them. */
export interface PeaksView {
  samplesPerPeak: number;
  /** First source sample of the first pair. */
  startSample: number;
  /** Per channel, interleaved min/max in −1..1. */
  channels: number[][];
  /** Samples in the whole source, where known: the last block may end part-way, and the audio after it is silence. */
  length?: number;
}

export interface EditedClip {
  /** First source sample the clip plays. */
  sourceStartSample: number;
  /** Output length of the clip, samples. */
  samples: number;
  edits?: readonly AudioEdit[];
  envelope?: readonly GainPoint[];
  /** Clip gain, dB (export adds the track's gain in the mix). */
  gainDb?: number;
  /** Clip fades, output samples. */
  fadeInSamples?: number;
  fadeOutSamples?: number;
}

export interface EditedPeaks {
  samplesPerPeak: number;
  /** Clip samples the peaks cover: [0, length). */
  length: number;
  /** Per source channel, interleaved min/max in −1..1 (clamped: export clips there too), one pair per block of the clip. */
  channels: number[][];
}

/** gain in dB → factor */
const lin = (db: number) => Math.pow(10, db / 20);

/** The source range [start, end) the edited clip reads: fetch at least these peaks. */
export function sourceSpan(clip: Pick<EditedClip, 'sourceStartSample' | 'samples' | 'edits'>): [number, number] {
  const kept = keptRanges(clip.sourceStartSample, clip.samples, clip.edits ?? []);
  return [clip.sourceStartSample, kept.length ? kept[kept.length - 1]![1] : clip.sourceStartSample + clip.samples];
}

/**
 * Peak level (dBFS, −Infinity for silence) of each normalize edit's source
 * range, approximated from the peaks: export measures the exact sample peak of
 * the range with ffmpeg (normalize.ts, `peakDb`), which the renderer can't run.
 * Here it is the largest |min|/|max| of the blocks overlapping the range, so a
 * block straddling the range's edge can count a few samples outside it, and
 * Int16 peak quantisation shows below about −90 dBFS: close enough to draw.
 */
export function approximateNormalizePeaks(view: PeaksView, edits: readonly AudioEdit[] = []): Map<string, number> {
  const out = new Map<string, number>();
  const spp = view.samplesPerPeak;
  for (const e of edits) {
    if (e.op !== 'normalize') continue;
    const first = Math.max(0, Math.floor((e.startSample - view.startSample) / spp));
    const last = Math.floor((e.endSample - 1 - view.startSample) / spp);
    let peak = 0;
    for (const ch of view.channels) {
      const end = Math.min(last, ch.length / 2 - 1);
      for (let j = first; j <= end; j++) peak = Math.max(peak, Math.abs(ch[2 * j]!), Math.abs(ch[2 * j + 1]!));
    }
    out.set(e.id, peak > 0 ? 20 * Math.log10(peak) : -Infinity);
  }
  return out;
}

/**
 * The peaks of the edited clip at the view's resolution. `view` must cover
 * `sourceSpan(clip)` (missing blocks read as silence, like audio past the end
 * of the source). Normalize edits use `normalizePeaks` (measured, by edit id)
 * where given, else `approximateNormalizePeaks`.
 */
export function editedPeaks(view: PeaksView, clip: EditedClip, opts: { normalizePeaks?: ReadonlyMap<string, number> } = {}): EditedPeaks {
  const spp = view.samplesPerPeak;
  const total = Math.max(0, clip.samples);
  const blocks = Math.ceil(total / spp);
  const normalizePeaks = opts.normalizePeaks ?? approximateNormalizePeaks(view, clip.edits);
  const pieces = audioPieces({
    sourceStartSample: clip.sourceStartSample,
    samples: total,
    edits: clip.edits,
    envelope: clip.envelope,
    normalizePeaks,
  });
  const channelScale = lin(clip.gainDb ?? 0) * (view.channels.length === 1 ? Math.SQRT1_2 : 1);
  const fadeIn = Math.min(total, clip.fadeInSamples ?? 0);
  const fadeOut = Math.min(total, clip.fadeOutSamples ?? 0);
  const clipFade = (o: number) =>
    (fadeIn > 0 && o < fadeIn ? o / fadeIn : 1) * (fadeOut > 0 && o >= total - fadeOut ? (total - o) / fadeOut : 1);

  const sourceEnd = view.length ?? Infinity;
  const lo = view.channels.map(() => new Float64Array(blocks).fill(Infinity));
  const hi = view.channels.map(() => new Float64Array(blocks).fill(-Infinity));
  let pieceOut = 0; // clip sample where the piece starts
  for (const p of pieces) {
    const n = p.samples;
    const gainAt = (rel: number): number => {
      if (p.silent) return 0;
      const x = n > 0 ? rel / n : 0;
      const db = p.gainDb + p.envelopeDb[0] + (p.envelopeDb[1] - p.envelopeDb[0]) * x;
      const ramp = p.ramp[0] + (p.ramp[1] - p.ramp[0]) * x;
      return lin(db) * ramp * channelScale * clipFade(pieceOut + rel);
    };
    // the piece's part in each clip block it touches
    for (let o0 = pieceOut; o0 < pieceOut + n;) {
      const k = Math.floor(o0 / spp);
      const o1 = Math.min(pieceOut + n, (k + 1) * spp);
      // the gain is monotonic over a piece (linear ramps, linear dB): its largest value is at an end
      const g = Math.max(gainAt(o0 - pieceOut), gainAt(o1 - 1 - pieceOut));
      const s0 = p.sourceStartSample + (o0 - pieceOut);
      const s1 = p.sourceStartSample + (o1 - pieceOut);
      // past the end of the source the clip plays silence (export pads it)
      const heard = Math.min(s1, sourceEnd);
      const j0 = Math.floor((s0 - view.startSample) / spp);
      const j1 = heard > s0 ? Math.floor((heard - 1 - view.startSample) / spp) : j0 - 1;
      const padded = heard < s1 || j0 < 0;
      view.channels.forEach((ch, c) => {
        const have = ch.length / 2;
        let a = padded ? 0 : Infinity;
        let b = padded ? 0 : -Infinity;
        for (let j = Math.max(0, j0); j <= j1; j++) {
          if (j >= have) {
            a = Math.min(a, 0);
            b = Math.max(b, 0);
            break;
          } // not in the view: silence
          a = Math.min(a, ch[2 * j]!);
          b = Math.max(b, ch[2 * j + 1]!);
        }
        lo[c]![k] = Math.min(lo[c]![k]!, a * g);
        hi[c]![k] = Math.max(hi[c]![k]!, b * g);
      });
      o0 = o1;
    }
    pieceOut += n;
  }
  const round = (v: number) => (Number.isFinite(v) ? Math.round(Math.max(-1, Math.min(1, v)) * 10000) / 10000 || 0 : 0);
  const channels = view.channels.map((_, c) => {
    const out = new Array<number>(2 * blocks);
    for (let k = 0; k < blocks; k++) {
      out[2 * k] = round(lo[c]![k]!);
      out[2 * k + 1] = round(hi[c]![k]!);
    }
    return out;
  });
  return { samplesPerPeak: spp, length: total, channels };
}

/** The source sample heard at clip sample `clipSample` (0 ≤ clipSample ≤ samples; the end maps past the last sample heard). */
export function clipToSource(
  clip: Pick<EditedClip, 'sourceStartSample' | 'samples' | 'edits'>,
  clipSample: number,
  opts: { end?: boolean } = {},
): number {
  const kept = keptRanges(clip.sourceStartSample, clip.samples, clip.edits ?? []);
  let out = 0;
  for (const [a, b] of kept) {
    const n = b - a;
    // an end position on a seam belongs to the range before it, a start to the range after
    if (clipSample < out + n || (opts.end && clipSample === out + n)) return a + Math.max(0, clipSample - out);
    out += n;
  }
  const last = kept[kept.length - 1];
  return last ? last[1] + (clipSample - out) : clip.sourceStartSample + clipSample;
}

/**
 * Where a source range is heard in the clip: clip-sample ranges [start, end),
 * in order; empty when none of it plays (removed, or outside the clip). With
 * `seams`, a removed range gives a zero-length range at the point where the
 * audio around it now meets (how a cut or delete is shown).
 */
export function sourceToClip(
  clip: Pick<EditedClip, 'sourceStartSample' | 'samples' | 'edits'>,
  startSample: number,
  endSample: number,
  opts: { seams?: boolean } = {},
): Array<[number, number]> {
  const kept = keptRanges(clip.sourceStartSample, clip.samples, clip.edits ?? []);
  const out: Array<[number, number]> = [];
  let pos = 0;
  let gapStart = clip.sourceStartSample; // source audio skipped before the next kept range
  for (const [a, b] of kept) {
    if (opts.seams && a > gapStart && startSample < a && endSample > gapStart) out.push([pos, pos]);
    const s = Math.max(a, startSample);
    const e = Math.min(b, endSample);
    if (e > s) out.push([pos + s - a, pos + e - a]);
    pos += b - a;
    gapStart = b;
  }
  return out;
}
