/**
 * What the audio editor's buttons do, as document commands (pure, browser-safe):
 * a selected range of the clip's source audio + an action → `audio.edit.add`.
 */
import { clipToSource, type EditedClip } from '../../engine/common/edited-peaks';
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

/**
 * A selection in the editor's view → source samples. The view's time axis is
 * the clip as it plays after its edits (seconds from the clip's start, as
 * exported), so after a cut or delete the audio right of it comes from
 * further into the source; the selection maps through the same pieces. A
 * selection across such a seam spans the removed audio too (it stays unheard).
 */
export function viewToRange(clip: Pick<EditedClip, 'sourceStartSample' | 'samples' | 'edits'>, startSeconds: number, endSeconds: number): SampleRange {
  const a = Math.max(0, Math.round(Math.min(startSeconds, endSeconds) * 48000));
  const b = Math.max(a + 1, Math.round(Math.max(startSeconds, endSeconds) * 48000));
  const start = Math.max(0, clipToSource(clip, a));
  return { startSample: start, endSample: Math.max(start + 1, clipToSource(clip, b, { end: true })) };
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
