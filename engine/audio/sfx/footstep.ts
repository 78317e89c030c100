/**
 * A footstep: heel then toe (a shoe's sole on the floor material), the toe
 * softer and 50–90 ms later, both from the impact synthesizer.
 */
import { AUDIO_RATE } from '../../common/time.js';
import { seededRandom } from '../../util/seeded-random.js';
import type { Material } from './contact-event.js';
import { synthImpact } from './impact.js';

export function synthFootstep(floor: Material, impulse: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  // Footstep impulses are a body's weight: scale into the impact's range (a normal step ≈ 0.6).
  const strength = Math.min(3, 0.15 + impulse / 60);
  const heel = synthImpact({ materialA: 'rubber', materialB: floor, impulse: strength * 0.5, seed: (seed ^ 0x51ed) >>> 0 });
  const toe = synthImpact({ materialA: 'rubber', materialB: floor, impulse: strength * 0.2, seed: (seed ^ 0xa3c5) >>> 0 });
  const gap = Math.round((0.05 + 0.04 * rnd()) * AUDIO_RATE);
  const out = new Float32Array(Math.max(heel.length, gap + toe.length));
  out.set(heel);
  for (let i = 0; i < toe.length; i++) out[gap + i]! += toe[i]! * 0.7;
  return out;
}
