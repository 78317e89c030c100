/**
 * Speaks every dialogue line of a scene once and places it in scene time, so
 * every shot covering that moment uses the very same audio and timings.
 */
import { inputError, isKlappeError, KlappeError } from '../common/errors.js';
import type { ShotWithLines } from '../model/lines.js';
import type { Character } from '../model/schema.js';
import { AUDIO_RATE, frameToSample, samplesToFramesCeil, type Rate } from '../common/time.js';
import { distinctVoices } from './speech/character-voices.js';
import { fliteEngine } from './speech/flite-engine.js';
import { getSpeechEngine, hasSpeechEngine } from './speech/registry.js';
import type { SpeechEngine, SpokenDialogue } from './speech/speech-engine.js';

export interface ScheduledLine extends SpokenDialogue {
  /** Mono 48 kHz. */
  samples: Float32Array;
  sceneStartSample: number;
  sceneStartFrame: number;
}

/** A scene as far as its speech goes: its shots with the lines each speaks (a ShotRequest's scene). */
export interface SpokenScene {
  id: string;
  number: string;
  shots: Array<Pick<ShotWithLines, 'number' | 'sceneStart' | 'dialogue'>>;
}

/** Gap between two lines of a shot when the second has no `start`. */
export const LINE_PAUSE_SAMPLES = Math.round(0.3 * AUDIO_RATE);

/**
 * Every line of `scene`, spoken with its character's voice (`engine` overrides the
 * characters' own engines). A line starts at its shot's sceneStart + `start`
 * frames, or on the first frame after the shot's previous line + a short pause.
 * Times in the result are samples from the scene's start.
 */
export async function speakScene(
  scene: SpokenScene,
  characters: Character[],
  rate: Rate,
  engine?: SpeechEngine,
  opts: { signal?: AbortSignal } = {},
): Promise<ScheduledLine[]> {
  const voices = distinctVoices(characters);
  const out: ScheduledLine[] = [];
  for (const [si, shot] of scene.shots.entries()) {
    let nextFree = shot.sceneStart;
    for (const [li, line] of shot.dialogue.entries()) {
      const path = `scenes[${scene.id}].shots[${si}].dialogue[${li}]`;
      const voice = voices.get(line.characterId);
      if (!voice) {
        throw inputError(
          'UNKNOWN_CHARACTER',
          `shot ${shot.number} of scene ${scene.number}: line "${line.id}" is spoken by "${line.characterId}", who is not a character of this project`,
          {
            path: `${path}.characterId`,
            hint: characters.length ? `Characters: ${characters.map((c) => c.id).join(', ')}.` : 'Add the character first.',
          },
        );
      }
      const speaker = engine ?? (hasSpeechEngine(voice.engine) ? getSpeechEngine(voice.engine) : fliteEngine);
      let spoken;
      try {
        spoken = await speaker.synthesize(line.text, voice, opts);
      } catch (e) {
        // Say where: a voice problem is the character's (`characters[mia].voice.voice`), anything else the line's.
        if (!isKlappeError(e) || e.kind !== 'input') throw e;
        throw new KlappeError({
          code: e.code,
          kind: e.kind,
          message: `shot ${shot.number}, line "${line.id}": ${e.message}`,
          path: !e.path ? path : e.path.startsWith('voice') ? `characters[${line.characterId}].${e.path}` : `${path}.${e.path}`,
          hint: e.hint,
          cause: e,
        });
      }
      const sceneStartFrame = line.start !== undefined ? shot.sceneStart + line.start : nextFree;
      const sceneStartSample = frameToSample(sceneStartFrame, rate);
      const shift = (u: { text: string; startSample: number; endSample: number }) => ({
        text: u.text,
        startSample: u.startSample + sceneStartSample,
        endSample: u.endSample + sceneStartSample,
      });
      const endSample = sceneStartSample + spoken.samples.length;
      out.push({
        lineId: line.id,
        characterId: line.characterId,
        text: line.text,
        startSample: sceneStartSample,
        endSample,
        words: spoken.words.map(shift),
        phonemes: spoken.phonemes.map(shift),
        samples: spoken.samples,
        sceneStartSample,
        sceneStartFrame,
      });
      nextFree = samplesToFramesCeil(endSample + LINE_PAUSE_SAMPLES, rate);
    }
  }
  return out;
}
