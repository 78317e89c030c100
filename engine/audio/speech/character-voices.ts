/**
 * A distinct voice per character. A character keeps the voice it was given
 * unless an earlier character already speaks with exactly that voice (for
 * example both left at the default): then it gets the next unused voice of a
 * fixed palette — the five Flite voices, then the same voices at other pitches
 * and rates — so no two characters of a project sound alike.
 */
import type { Character, Voice } from '../../model/schema.js';

const PALETTE: ReadonlyArray<Omit<Voice, 'engine'>> = [
  { voice: 'slt', rate: 1 },
  { voice: 'rms', rate: 1 },
  { voice: 'awb', rate: 1 },
  { voice: 'kal16', rate: 1 },
  { voice: 'slt', pitchHz: 250, rate: 1.1 },
  { voice: 'rms', pitchHz: 82, rate: 0.92 },
  { voice: 'awb', pitchHz: 150, rate: 1.12 },
  { voice: 'slt', pitchHz: 140, rate: 0.94 },
  { voice: 'kal', rate: 1 },
  { voice: 'rms', pitchHz: 135, rate: 1.15 },
  { voice: 'slt', pitchHz: 300, rate: 1.2 },
  { voice: 'awb', pitchHz: 90, rate: 0.9 },
];

function voiceKey(v: Voice): string {
  return JSON.stringify([v.engine, v.voice, v.pitchHz ?? null, v.rate ?? 1]);
}

/** Voice per character id, in the characters' order (pass all of the project's characters so scenes agree). */
export function distinctVoices(characters: Character[]): Map<string, Voice> {
  const used = new Set<string>();
  const out = new Map<string, Voice>();
  for (const c of characters) {
    let voice: Voice = {
      engine: c.voice.engine ?? 'flite',
      voice: c.voice.voice ?? 'slt',
      rate: c.voice.rate ?? 1,
      ...(c.voice.pitchHz !== undefined ? { pitchHz: c.voice.pitchHz } : {}),
    };
    if (used.has(voiceKey(voice)) && voice.engine === 'flite') {
      const free = PALETTE.map((p) => ({ engine: 'flite', ...p }) as Voice).find((p) => !used.has(voiceKey(p)));
      if (free) voice = free;
      else voice = { ...voice, pitchHz: 100 + ((used.size * 37) % 200), rate: 0.9 + ((used.size * 7) % 30) / 100 };
    }
    used.add(voiceKey(voice));
    out.set(c.id, voice);
  }
  return out;
}
