/** Speech engines by id. Flite is built in; better engines register here. */
import { inputError } from '../../common/errors.js';
import { fliteEngine } from './flite-engine.js';
import type { SpeechEngine } from './speech-engine.js';

const engines = new Map<string, SpeechEngine>([[fliteEngine.id, fliteEngine]]);

export const DEFAULT_SPEECH_ENGINE_ID = 'flite';

export function registerSpeechEngine(engine: SpeechEngine): void {
  engines.set(engine.id, engine);
}

export function getSpeechEngine(id: string): SpeechEngine {
  const e = engines.get(id);
  if (!e)
    throw inputError('UNKNOWN_SPEECH_ENGINE', `no speech engine called "${id}"`, {
      path: 'voice.engine',
      hint: `Known speech engines: ${listSpeechEngines().join(', ')}.`,
    });
  return e;
}

export function hasSpeechEngine(id: string): boolean {
  return engines.has(id);
}

export function listSpeechEngines(): string[] {
  return [...engines.keys()];
}

/** Every voice the registered engines offer, the default engine's first (each name once). */
export function listVoices(): string[] {
  const ids = [DEFAULT_SPEECH_ENGINE_ID, ...listSpeechEngines().filter((id) => id !== DEFAULT_SPEECH_ENGINE_ID)];
  return [...new Set(ids.filter(hasSpeechEngine).flatMap((id) => getSpeechEngine(id).voices()))];
}
