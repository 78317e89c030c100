/**
 * The audio edit operations, one table: the document schema's op list, what
 * each does to the audio (edit-pieces) and how the audio editor shows it
 * (button label, region colour). Browser-safe.
 */
export const AUDIO_EDIT_OPS = ['cut', 'delete', 'silence', 'gain', 'fadeIn', 'fadeOut', 'normalize'] as const;

export type AudioEditOpName = (typeof AUDIO_EDIT_OPS)[number];

export interface AudioEditOpInfo {
  /** The editor's button and undo label. */
  label: string;
  /** Removes its range: the audio after it moves up (the others keep the clip's length). */
  removes: boolean;
  /** The editor paints the op's range in this colour. */
  color: string;
}

export const AUDIO_EDIT_OP_INFO: Record<AudioEditOpName, AudioEditOpInfo> = {
  cut: { label: 'Cut', removes: true, color: 'rgba(220, 60, 60, 0.35)' },
  delete: { label: 'Delete', removes: true, color: 'rgba(220, 60, 60, 0.35)' },
  silence: { label: 'Silence', removes: false, color: 'rgba(90, 90, 90, 0.45)' },
  gain: { label: 'Gain', removes: false, color: 'rgba(240, 170, 40, 0.30)' },
  fadeIn: { label: 'Fade in', removes: false, color: 'rgba(150, 90, 220, 0.30)' },
  fadeOut: { label: 'Fade out', removes: false, color: 'rgba(150, 90, 220, 0.30)' },
  normalize: { label: 'Normalize', removes: false, color: 'rgba(40, 170, 200, 0.30)' },
};

/** True for an op that removes its range (cut, delete). */
export function removesAudio(op: AudioEditOpName): boolean {
  return AUDIO_EDIT_OP_INFO[op].removes;
}
