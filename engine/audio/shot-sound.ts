/**
 * The sound of one shot: its scene's dialogue, contact sounds and footsteps,
 * and room tone, mixed to 48 kHz interleaved stereo and spatialised for that
 * shot's camera. Every contact sound starts on exactly its sample; the same
 * event differs in pan and level between a wide and a close-up.
 */
import { frameToSample, sampleToFrame, type Rate } from '../common/time.js';
import { LruCache } from '../util/lru-cache.js';
import { mixSeed } from '../util/seeded-random.js';
import { softLimit } from './limiter.js';
import type { ScheduledLine } from './scene-speech.js';
import type { ContactEvent, Material } from './sfx/contact-event.js';
import { synthFootstep } from './sfx/footstep.js';
import { synthImpact } from './sfx/impact.js';
import { roomTone } from './sfx/room-tone.js';
import { spatialGain, type StereoGain } from './spatial.js';

export interface Listener {
  position: [number, number, number];
  forward: [number, number, number];
  right: [number, number, number];
}

export interface ShotSoundInput {
  rate: Rate;
  /** Scene frame the shot starts on. */
  shotStartFrame: number;
  shotFrames: number;
  lines: ScheduledLine[];
  /** The whole scene's contacts (kind 'impact' | 'footstep'). */
  contacts: ContactEvent[];
  /** A character's head (speech source) at a scene frame. */
  sourcePosition(id: string, sceneFrame: number): [number, number, number];
  /** The camera at a scene frame. */
  listener(sceneFrame: number): Listener;
  roomToneDb: number;
  /** Use the scene's seed so coverage shots of one moment sound the same but for the camera. */
  seed: number;
}

/** Dialogue is spatialised gently (film convention): half the distance law and a narrower pan. */
const DIALOGUE = { distanceExponent: 0.5, panWidth: 0.6, gain: 1 };
const SFX = { distanceExponent: 1, panWidth: 1, gain: 1 };
const SOFT: ReadonlySet<Material> = new Set(['flesh']);

/** Synthesised contact sounds, by event, shared by the shots of a scene. */
export const sfxCache = new LruCache<string, Float32Array>({ maxEntries: 2000, maxBytes: 64 * 2 ** 20, sizeOf: (s) => s.byteLength });

function contactSound(c: ContactEvent, seed: number): Float32Array {
  const key = `${seed}|${c.kind}|${c.sceneSample}|${c.a}|${c.b}|${c.materialA}|${c.materialB}|${c.impulse}`;
  let s = sfxCache.get(key);
  if (!s) {
    const eventSeed = mixSeed(seed, c.kind, c.sceneSample, c.a, c.b);
    if (c.kind === 'footstep') {
      const floor = SOFT.has(c.materialB) && !SOFT.has(c.materialA) ? c.materialA : c.materialB;
      s = synthFootstep(floor, c.impulse, eventSeed);
    } else {
      s = synthImpact({ materialA: c.materialA, materialB: c.materialB, impulse: c.impulse, seed: eventSeed });
    }
    sfxCache.set(key, s);
  }
  return s;
}

/** Interleaved stereo for the shot: exactly frameToSample(start+frames) − frameToSample(start) sample frames. */
export function renderShotAudio(input: ShotSoundInput): Float32Array {
  const { rate, shotStartFrame, shotFrames } = input;
  const s0 = frameToSample(shotStartFrame, rate);
  const n = frameToSample(shotStartFrame + shotFrames, rate) - s0;
  const out = new Float32Array(2 * n);
  const lastFrame = shotStartFrame + shotFrames - 1;
  const clampFrame = (f: number): number => Math.max(shotStartFrame, Math.min(lastFrame, f));

  // Room tone: diffuse, its own noise in each channel.
  for (let ch = 0; ch < 2; ch++) {
    const tone = roomTone(input.roomToneDb, input.seed, ch, s0, n);
    for (let i = 0; i < n; i++) out[2 * i + ch] = tone[i]!;
  }

  // Dialogue: the speaker may move, so gains follow them frame by frame (linear within a frame).
  for (const line of input.lines) {
    const from = Math.max(s0, line.sceneStartSample);
    const to = Math.min(s0 + n, line.sceneStartSample + line.samples.length);
    if (from >= to) continue;
    const gainAt = new Map<number, StereoGain>();
    const gain = (frame: number): StereoGain => {
      const f = clampFrame(frame);
      let g = gainAt.get(f);
      if (!g) {
        g = spatialGain(input.sourcePosition(line.characterId, f), input.listener(f), DIALOGUE);
        gainAt.set(f, g);
      }
      return g;
    };
    for (let s = from; s < to;) {
      const f = sampleToFrame(s, rate);
      const fStart = frameToSample(f, rate);
      const fEnd = frameToSample(f + 1, rate);
      const g0 = gain(f);
      const g1 = gain(f + 1);
      const end = Math.min(to, fEnd);
      for (; s < end; s++) {
        const t = (s - fStart) / (fEnd - fStart);
        const x = line.samples[s - line.sceneStartSample]! * DIALOGUE.gain;
        const j = 2 * (s - s0);
        out[j]! += x * (g0.left + (g1.left - g0.left) * t);
        out[j + 1]! += x * (g0.right + (g1.right - g0.right) * t);
      }
    }
  }

  // Contacts: from their exact sample; a sound that began before the shot plays its tail.
  for (const c of input.contacts) {
    if (c.sceneSample >= s0 + n) continue;
    const sound = contactSound(c, input.seed);
    if (c.sceneSample + sound.length <= s0) continue;
    const g = spatialGain(c.position, input.listener(clampFrame(c.sceneFrame)), SFX);
    const first = Math.max(0, s0 - c.sceneSample);
    const last = Math.min(sound.length, s0 + n - c.sceneSample);
    for (let k = first; k < last; k++) {
      const j = 2 * (c.sceneSample + k - s0);
      const x = sound[k]! * SFX.gain;
      out[j]! += x * g.left;
      out[j + 1]! += x * g.right;
    }
  }
  return softLimit(out);
}
