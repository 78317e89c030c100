/** Short texts for audio numbers in panels. */
import { AUDIO_RATE } from '../../../engine/common/time.js';

/** A length in 48 kHz samples as seconds to a tenth, "1.4 s"; undefined when it is not known. */
export function secondsText(samples: number | undefined): string | undefined {
  if (samples === undefined || !Number.isFinite(samples) || samples < 0) return undefined;
  return `${(samples / AUDIO_RATE).toFixed(1)} s`;
}
