/**
 * What the audio editor's buttons do, as document commands (pure, browser-safe):
 * a selected range of the clip's source audio + an action → `audio.edit.add`.
 */
import type { AudioEditOpName } from '../../engine/common/audio-edit-ops.js';
import { clipToSource, type EditedClip } from '../../engine/common/edited-peaks.js';
import type { AudioEditOp } from '../../engine/model/schema.js';

export type EditAction = AudioEditOpName;

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

/**
 * A selection in the editor's view → source samples. The view's time axis is
 * the clip as it plays after its edits (seconds from the clip's start, as
 * exported), so after a cut or delete the audio right of it comes from
 * further into the source; the selection maps through the same pieces. A
 * selection across such a seam spans the removed audio too (it stays unheard).
 */
export function viewToRange(
  clip: Pick<EditedClip, 'sourceStartSample' | 'samples' | 'edits'>,
  startSeconds: number,
  endSeconds: number,
): SampleRange {
  const a = Math.max(0, Math.round(Math.min(startSeconds, endSeconds) * 48000));
  const b = Math.max(a + 1, Math.round(Math.max(startSeconds, endSeconds) * 48000));
  const start = Math.max(0, clipToSource(clip, a));
  return { startSample: start, endSample: Math.max(start + 1, clipToSource(clip, b, { end: true })) };
}

export function editCommand(
  clipId: string,
  action: EditAction,
  range: SampleRange,
  opts: { gainDb?: number; targetDb?: number } = {},
): EditCommand {
  const edit: EditCommand['edit'] = { op: action, startSample: range.startSample, endSample: range.endSample };
  if (action === 'gain') edit.gainDb = opts.gainDb ?? -6;
  if (action === 'normalize') edit.targetDb = opts.targetDb ?? -1;
  return { type: 'audio.edit.add', clipId, edit };
}
