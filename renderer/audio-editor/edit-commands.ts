/**
 * What the audio editor's buttons do, as document commands (pure, browser-safe):
 * a selected range of the clip's source audio + an action → `audio.edit.add`.
 */
import type { AudioEditOp } from '../../engine/model/schema';

export type EditAction = 'cut' | 'delete' | 'silence' | 'gain' | 'fadeIn' | 'fadeOut' | 'normalize';

export interface SampleRange {
  /** Source samples (48 kHz from the start of the media file), end exclusive. */
  startSample: number;
  endSample: number;
}

export interface EditCommand {
  type: 'audio.edit.add';
  clipId: string;
  edit: { op: AudioEditOp; startSample: number; endSample: number; gainDb?: number; targetDb?: number };
}

export const ACTION_LABELS: Record<EditAction, string> = {
  cut: 'Cut',
  delete: 'Delete',
  silence: 'Silence',
  gain: 'Gain',
  fadeIn: 'Fade in',
  fadeOut: 'Fade out',
  normalize: 'Normalize',
};

/** Seconds in the editor's view of a clip → source samples. */
export function viewToRange(clipSourceStart: number, startSeconds: number, endSeconds: number): SampleRange {
  const a = clipSourceStart + Math.round(Math.min(startSeconds, endSeconds) * 48000);
  const b = clipSourceStart + Math.round(Math.max(startSeconds, endSeconds) * 48000);
  return { startSample: Math.max(0, a), endSample: Math.max(a + 1, b) };
}

export function editCommand(clipId: string, action: EditAction, range: SampleRange, opts: { gainDb?: number; targetDb?: number } = {}): EditCommand {
  const edit: EditCommand['edit'] = { op: action, startSample: range.startSample, endSample: range.endSample };
  if (action === 'gain') edit.gainDb = opts.gainDb ?? -6;
  if (action === 'normalize') edit.targetDb = opts.targetDb ?? -1;
  return { type: 'audio.edit.add', clipId, edit };
}

export const EDIT_COLORS: Record<AudioEditOp, string> = {
  cut: 'rgba(220, 60, 60, 0.35)',
  delete: 'rgba(220, 60, 60, 0.35)',
  silence: 'rgba(90, 90, 90, 0.45)',
  gain: 'rgba(240, 170, 40, 0.30)',
  fadeIn: 'rgba(150, 90, 220, 0.30)',
  fadeOut: 'rgba(150, 90, 220, 0.30)',
  normalize: 'rgba(40, 170, 200, 0.30)',
};
