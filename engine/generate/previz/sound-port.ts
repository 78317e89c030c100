/**
 * The previz picture meets the previz sound here (the sound contract): the
 * scene's speech, the visemes, the shot mix, WAV, and the prompt parser.
 * The backend takes another PrevizSound where a test or benchmark needs one.
 */
import { speakScene } from '../../audio/scene-speech.js';
import { renderShotAudio } from '../../audio/shot-sound.js';
import { mouthAt } from '../../audio/speech/visemes.js';
import { encodeWav } from '../../audio/wav.js';
import { parsePrompt } from './prompt/parse-prompt.js';

export type { ScheduledLine } from '../../audio/scene-speech.js';
export type { Listener, ShotSoundInput } from '../../audio/shot-sound.js';
export type { MouthShape } from '../../audio/speech/visemes.js';
export type { PromptParse } from './prompt/parse-prompt.js';

/** What previz needs from the sound side. */
export interface PrevizSound {
  speakScene: typeof speakScene;
  renderShotAudio: typeof renderShotAudio;
  mouthAt: typeof mouthAt;
  encodeWav: typeof encodeWav;
  parsePrompt: typeof parsePrompt;
}

export const defaultSound: PrevizSound = { speakScene, renderShotAudio, mouthAt, encodeWav, parsePrompt };
