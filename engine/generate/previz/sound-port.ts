/**
 * The previz picture meets the previz sound here. The sound modules (speech
 * per scene, visemes, the shot mix, WAV) are built on their own branch with
 * the signatures in the sound contract; these types mirror that contract, and
 * `loadSound()` finds the modules at run time. Until they exist the backend
 * makes pictures with closed mouths and a silent track, and says so in the
 * take's metadata (`sound.missing`).
 */
import type { ContactEvent } from '../../audio/sfx/contact-event.js';
import type { SpeechEngine, SpokenDialogue, TimedUnit } from '../../audio/speech/speech-engine.js';
import type { ActionVerb, CameraMove, Character, Prop, Scene } from '../../model/schema.js';
import type { Rate } from '../../model/time.js';

export interface MouthShape { viseme: string; open: number; wide: number }

export interface ScheduledLine extends SpokenDialogue {
  samples: Float32Array;
  sceneStartSample: number;
  sceneStartFrame: number;
}

export interface Listener { position: [number, number, number]; forward: [number, number, number]; right: [number, number, number] }

export interface ShotSoundInput {
  rate: Rate;
  shotStartFrame: number;
  shotFrames: number;
  lines: ScheduledLine[];
  contacts: ContactEvent[];
  sourcePosition(id: string, sceneFrame: number): [number, number, number];
  listener(sceneFrame: number): Listener;
  roomToneDb: number;
  seed: number;
}

/** What previz needs from the sound side; each part is missing until its module exists. */
export interface PrevizSound {
  speakScene?(scene: Scene, characters: Character[], rate: Rate, engine?: SpeechEngine): Promise<ScheduledLine[]>;
  renderShotAudio?(input: ShotSoundInput): Float32Array;
  mouthAt?(phonemes: TimedUnit[], sample: number): MouthShape;
  encodeWav?(interleaved: Float32Array, channels: number, sampleRate?: number): Buffer;
  parsePrompt?(prompt: string, ctx: { characters: Character[]; props: Prop[] }): PromptParse;
}

export interface PromptParse {
  characterIds: string[];
  propIds: string[];
  actions: Array<{ actorId: string; verb: ActionVerb; targetId?: string; to?: [number, number] }>;
  dialogue: Array<{ characterId: string; text: string }>;
  camera: { shotSize?: string; angle?: 'low' | 'high' | 'eye'; move?: CameraMove['type']; direction?: 'in' | 'out' | 'left' | 'right' | 'up' | 'down' };
  understood: string[];
  ignored: string[];
}

const MODULES: Array<[string, Array<keyof PrevizSound>]> = [
  ['../../audio/scene-speech.js', ['speakScene']],
  ['../../audio/shot-sound.js', ['renderShotAudio']],
  ['../../audio/speech/visemes.js', ['mouthAt']],
  ['../../audio/wav.js', ['encodeWav']],
  ['./prompt/parse-prompt.js', ['parsePrompt']],
];

let loaded: Promise<PrevizSound> | undefined;

/** The sound-contract modules this build has (an empty object when it has none). */
export function loadSound(): Promise<PrevizSound> {
  loaded ??= (async () => {
    const out: Record<string, unknown> = {};
    for (const [spec, names] of MODULES) {
      let mod: Record<string, unknown>;
      try {
        // Specifiers held in variables: the modules arrive with the sound branch.
        mod = (await import(spec)) as Record<string, unknown>;
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(String(e))) continue;
        throw e;
      }
      for (const n of names) if (typeof mod[n] === 'function') out[n] = mod[n];
    }
    return out as PrevizSound;
  })();
  return loaded;
}
