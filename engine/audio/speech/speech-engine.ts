/**
 * The speech synthesizer interface. The embedded engine is Flite (WASI); better
 * voices (festival HTS, neural voices from a model pack) plug in behind it.
 * All times are integer samples at 48 kHz from the start of the line's audio.
 */
import type { Voice } from '../../model/schema.js';

export interface TimedUnit {
  /** A word's text, or an ARPAbet phone ("hh", "ax", "pau"). */
  text: string;
  startSample: number;
  endSample: number;
}

export interface SpokenLine {
  /** Mono PCM at 48 kHz, −1..1. */
  samples: Float32Array;
  words: TimedUnit[];
  phonemes: TimedUnit[];
  /** Which engine and voice actually spoke (after any fallback). */
  engine: string;
  voice: string;
}

export interface SpeechEngine {
  readonly id: string;
  /** Voices this engine offers. */
  voices(): string[];
  synthesize(text: string, voice: Voice, opts?: { signal?: AbortSignal }): Promise<SpokenLine>;
}

/**
 * Dialogue as it was spoken in a take: what generators put in the take's
 * metadata (`metadata.dialogue`), and what captions, lip-sync checks and the
 * dialogue track read. Samples are relative to the take's first sample.
 */
export interface SpokenDialogue {
  lineId: string;
  characterId: string;
  text: string;
  startSample: number;
  endSample: number;
  words: TimedUnit[];
  phonemes: TimedUnit[];
}
