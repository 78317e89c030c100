/**
 * One finished export as the project's export history keeps it
 * (engine/export/export-history.ts): where it went, which frames of the
 * sequence, and the loudness measured on the file with the target it had.
 * Browser-safe: the studio shows it (the Mixer's "last export").
 */
export interface ExportRecord {
  /** The file written. */
  output: string;
  /** When it finished (ISO time). */
  finishedAt: string;
  /** The frames of the sequence exported, [in, out), at `rate`. */
  range: { in: number; out: number };
  /** Whether that was the whole sequence. */
  whole: boolean;
  rate: { num: number; den: number };
  width: number;
  height: number;
  /** EBU R128 measured on the file's sound: integrated LUFS, true peak dBTP; the target when one was set (LUFS). */
  loudness?: { integrated: number; truePeak: number; range: number; target?: number };
}

/** How far from its target a master may measure and still meet it, LU (engine/audio/loudness.ts LOUDNESS_TOLERANCE). */
export const LOUDNESS_MET_WITHIN = 0.5;

/** "met" / "missed by 1.3 LU" for a reading against its target; undefined without a target. */
export function loudnessVerdict(l: { integrated: number; target?: number }): { met: boolean; text: string } | undefined {
  if (l.target === undefined) return undefined;
  // ebur128's absolute gate: silence, or a range shorter than one 400 ms block, has no loudness to bring to a target
  if (l.integrated <= -70) return { met: false, text: 'silent or shorter than 0.4 s: no target applied' };
  const miss = l.integrated - l.target;
  if (Number.isFinite(miss) && Math.abs(miss) <= LOUDNESS_MET_WITHIN) return { met: true, text: 'target met' };
  return { met: false, text: Number.isFinite(miss) ? `missed by ${Math.abs(miss).toFixed(1)} LU` : 'no sound to measure' };
}
