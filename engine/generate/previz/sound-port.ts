/**
 * The previz picture meets the previz sound here (the sound contract): the
 * scene's speech, the visemes, the shot mix and WAV come from engine/audio.
 * The prompt parser is loaded when it exists (it arrives with the sound
 * branch's prompt work); without it prompts are recorded but not applied.
 * Tests and benchmarks may pass another PrevizSound to the backend.
 */
import { speakScene } from '../../audio/scene-speech.js';
import { renderShotAudio } from '../../audio/shot-sound.js';
import { mouthAt } from '../../audio/speech/visemes.js';
import { encodeWav } from '../../audio/wav.js';
import type { ActionVerb, CameraMove, Character, Prop } from '../../model/schema.js';

export type { ScheduledLine } from '../../audio/scene-speech.js';
export type { Listener, ShotSoundInput } from '../../audio/shot-sound.js';
export type { MouthShape } from '../../audio/speech/visemes.js';

export interface PromptParse {
  characterIds: string[];
  propIds: string[];
  actions: Array<{ actorId: string; verb: ActionVerb; targetId?: string; to?: [number, number] }>;
  dialogue: Array<{ characterId: string; text: string }>;
  camera: { shotSize?: string; angle?: 'low' | 'high' | 'eye'; move?: CameraMove['type']; direction?: 'in' | 'out' | 'left' | 'right' | 'up' | 'down' };
  understood: string[];
  ignored: string[];
}

/** What previz needs from the sound side. */
export interface PrevizSound {
  speakScene: typeof speakScene;
  renderShotAudio: typeof renderShotAudio;
  mouthAt: typeof mouthAt;
  encodeWav: typeof encodeWav;
  parsePrompt?(prompt: string, ctx: { characters: Character[]; props: Prop[] }): PromptParse;
}

const PROMPT_MODULE = './prompt/parse-prompt.js';
let prompt: Promise<PrevizSound['parsePrompt']> | undefined;

/** The sound modules, and the prompt parser when this build has one. */
export async function loadSound(): Promise<PrevizSound> {
  prompt ??= (async () => {
    try {
      // A specifier held in a variable: the module arrives with the prompt parser's branch.
      const mod = (await import(PROMPT_MODULE)) as { parsePrompt?: PrevizSound['parsePrompt'] };
      return mod.parsePrompt;
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(String(e))) return undefined;
      throw e;
    }
  })();
  const parsePrompt = await prompt;
  return { speakScene, renderShotAudio, mouthAt, encodeWav, ...(parsePrompt ? { parsePrompt } : {}) };
}
