/**
 * A clip's region edits and gain envelope → the pieces of source audio that
 * play, in order, each with its own gain. Pure: export renders the pieces
 * (atrim per piece, then concat), the editor can preview from them, and the
 * media file itself is never touched.
 *
 * Positions are 48 kHz samples in the source media. Removed ranges (cut,
 * delete) are skipped, so later audio moves up and the clip stays as long as
 * it was (reading further into the source).
 */
import type { AudioEdit, GainPoint } from '../model/schema.js';
import { removesAudio } from './audio-edit-ops.js';

export interface AudioPiece {
  /** First source sample of the piece. */
  sourceStartSample: number;
  samples: number;
  /** Constant gain (region gain and normalize edits), dB. */
  gainDb: number;
  /** Envelope gain at the start and the end of the piece, dB (linear in dB between). */
  envelopeDb: [number, number];
  /** Fade multiplier (0..1) at the start and the end of the piece, linear between. */
  ramp: [number, number];
  /** Silenced. */
  silent: boolean;
}

export interface PieceInput {
  sourceStartSample: number;
  /** Output length of the clip, samples. */
  samples: number;
  edits?: readonly AudioEdit[];
  envelope?: readonly GainPoint[];
  /** Measured peak (dBFS) of the source range of each normalize edit, by edit id; a missing one gives 0 dB. */
  normalizePeaks?: ReadonlyMap<string, number>;
}

/** True when the clip has nothing that changes its audio beyond clip gain and fades. */
export function hasAudioEdits(input: Pick<PieceInput, 'edits' | 'envelope'>): boolean {
  return !!(input.edits?.length || input.envelope?.length);
}

/** Envelope gain at a source sample: linear in dB between points, held outside them; 0 dB with no points. */
export function envelopeAt(points: readonly GainPoint[] | undefined, sourceSample: number): number {
  if (!points?.length) return 0;
  if (sourceSample <= points[0]!.sourceSample) return points[0]!.db;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (sourceSample <= b.sourceSample) {
      const span = b.sourceSample - a.sourceSample;
      return span === 0 ? b.db : a.db + ((b.db - a.db) * (sourceSample - a.sourceSample)) / span;
    }
  }
  return points[points.length - 1]!.db;
}

/** Source ranges [start, end) that play, in order, adding up to `samples`. */
export function keptRanges(sourceStart: number, samples: number, edits: readonly AudioEdit[] = []): Array<[number, number]> {
  const removed = edits
    .filter((e) => removesAudio(e.op))
    .map((e) => [e.startSample, e.endSample] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  let pos = sourceStart;
  let left = samples;
  for (const [rs, re] of removed) {
    if (left <= 0) break;
    if (re <= pos) continue;
    if (rs > pos) {
      const n = Math.min(left, rs - pos);
      out.push([pos, pos + n]);
      left -= n;
    }
    pos = Math.max(pos, re);
  }
  if (left > 0) out.push([pos, pos + left]);
  return out;
}

function fadeAt(edit: AudioEdit, s: number): number {
  const x = Math.min(1, Math.max(0, (s - edit.startSample) / (edit.endSample - edit.startSample)));
  return edit.op === 'fadeIn' ? x : 1 - x;
}

export function audioPieces(input: PieceInput): AudioPiece[] {
  const edits = input.edits ?? [];
  const envelope = input.envelope ?? [];
  const cuts = new Set<number>();
  for (const e of edits) {
    if (removesAudio(e.op)) continue;
    cuts.add(e.startSample);
    cuts.add(e.endSample);
  }
  for (const p of envelope) cuts.add(p.sourceSample);
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: AudioPiece[] = [];
  for (const [start, end] of keptRanges(input.sourceStartSample, input.samples, edits)) {
    const bounds = [start, ...points.filter((p) => p > start && p < end), end];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const a = bounds[i]!;
      const b = bounds[i + 1]!;
      const covering = edits.filter((e) => !removesAudio(e.op) && e.startSample <= a && e.endSample >= b);
      let gainDb = 0;
      let silent = false;
      let r0 = 1;
      let r1 = 1;
      for (const e of covering) {
        if (e.op === 'gain') gainDb += e.gainDb ?? 0;
        else if (e.op === 'silence') silent = true;
        else if (e.op === 'normalize') {
          const peak = input.normalizePeaks?.get(e.id);
          if (peak !== undefined && Number.isFinite(peak)) gainDb += (e.targetDb ?? -1) - peak;
        } else if (e.op === 'fadeIn' || e.op === 'fadeOut') {
          r0 *= fadeAt(e, a);
          r1 *= fadeAt(e, b);
        }
      }
      pieces.push({
        sourceStartSample: a,
        samples: b - a,
        gainDb,
        envelopeDb: [envelopeAt(envelope, a), envelopeAt(envelope, b)],
        ramp: [r0, r1],
        silent,
      });
    }
  }
  return pieces;
}

/** The ffmpeg filters (after atrim + asetpts) that give a piece its gain. */
export function pieceFilters(piece: AudioPiece): string[] {
  if (piece.silent) return ['volume=0'];
  const [e0, e1] = piece.envelopeDb;
  const [r0, r1] = piece.ramp;
  const filters: string[] = [];
  if (e0 === e1 && piece.gainDb + e0 !== 0) filters.push(`volume=${(piece.gainDb + e0).toFixed(3)}dB`);
  else if (e0 !== e1) {
    const T = (piece.samples / 48000).toFixed(6);
    filters.push(`volume='pow(10,(${(piece.gainDb + e0).toFixed(3)}+(${(e1 - e0).toFixed(3)})*min(t/${T},1))/20)':eval=frame`);
  }
  if (r0 === 0 && r1 === 1) filters.push(`afade=t=in:ss=0:ns=${piece.samples}`);
  else if (r0 === 1 && r1 === 0) filters.push(`afade=t=out:ss=0:ns=${piece.samples}`);
  else if (r0 !== 1 || r1 !== 1) {
    const T = (piece.samples / 48000).toFixed(6);
    filters.push(`volume='${r0.toFixed(5)}+(${(r1 - r0).toFixed(5)})*min(t/${T},1)':eval=frame`);
  }
  return filters;
}
