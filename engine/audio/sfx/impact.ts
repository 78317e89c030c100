/**
 * Impact sounds by modal synthesis: each of the two materials rings with its
 * modes (detuned a little per event; struck, so at full level from the first
 * sample), damped by how soft the other one is, plus a low-passed noise
 * click. Louder
 * and brighter with the impulse; the same event and seed give the same samples.
 */
import { AUDIO_RATE } from '../../common/time.js';
import { seededRandom } from '../../util/seeded-random.js';
import type { Material } from './contact-event.js';
import { MATERIAL_SOUNDS } from './materials.js';

export interface ImpactSpec {
  materialA: Material;
  materialB: Material;
  /** N·s */
  impulse: number;
  seed: number;
}

const MAX_SECONDS = 2.5;
const LN1000 = Math.log(1000);

/** Peak level of an impact for an impulse (N·s): 0.1 … 0.9, square-root law, saturating. */
export function impactLevel(impulse: number): number {
  const x = Math.max(0, impulse);
  return 0.1 + 0.8 * Math.min(1, Math.sqrt(x / 3));
}

/** Mono 48 kHz samples of one impact; peak = impactLevel(impulse). */
export function synthImpact(spec: ImpactSpec): Float32Array {
  const a = MATERIAL_SOUNDS[spec.materialA] ?? MATERIAL_SOUNDS.wood;
  const b = MATERIAL_SOUNDS[spec.materialB] ?? MATERIAL_SOUNDS.floor;
  const rnd = seededRandom(spec.seed);
  const level = impactLevel(spec.impulse);
  const strength = (level - 0.1) / 0.8; // 0..1
  const modes: Array<{ w: number; decay: number; amp: number; phase: number }> = [];
  let longest = Math.max(a.clickDecay, b.clickDecay) * 8;
  for (const [mat, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const damp = 0.35 + 0.65 * other.hardness;
    for (const [f, t60, amp] of mat.modes) {
      const freq = f * (1 + (rnd() - 0.5) * 0.06);
      if (freq >= AUDIO_RATE / 2.2) continue;
      const t = t60 * damp * (0.9 + 0.2 * rnd());
      // Harder hits excite the higher modes more.
      const bright = f > 1500 ? 0.4 + 0.6 * strength : 1;
      // Struck modes radiate as damped cosines (the surface velocity jumps at the hit): full level on the first sample.
      modes.push({
        w: (2 * Math.PI * freq) / AUDIO_RATE,
        decay: Math.exp(-LN1000 / (t * AUDIO_RATE)),
        amp: amp * bright * (0.85 + 0.3 * rnd()),
        phase: Math.PI / 2 + (rnd() - 0.5) * 0.6,
      });
      longest = Math.max(longest, t);
    }
  }
  const n = Math.max(64, Math.min(Math.round(MAX_SECONDS * AUDIO_RATE), Math.round(longest * AUDIO_RATE)));
  // Modes: damped sinusoids by recurrence (cheap and exact enough).
  const ring = new Float32Array(n);
  for (const m of modes) {
    let env = m.amp;
    const c = Math.cos(m.w);
    let s1 = Math.sin(m.phase);
    let s0 = Math.sin(m.phase - m.w);
    for (let i = 0; i < n && env > 1e-5; i++) {
      ring[i]! += env * s1;
      const s2 = 2 * c * s1 - s0;
      s0 = s1;
      s1 = s2;
      env *= m.decay;
    }
  }
  // Click: noise through two one-pole low-passes; the softer partner sets how dull and long it is.
  const click = new Float32Array(n);
  const clickDecay = Math.max(a.clickDecay, b.clickDecay);
  const cutoff = Math.min(a.clickCutoffHz, b.clickCutoffHz) * (0.6 + 0.4 * strength);
  const alpha = 1 - Math.exp((-2 * Math.PI * cutoff) / AUDIO_RATE);
  const k = Math.exp(-1 / (clickDecay * AUDIO_RATE));
  let env = 1;
  let lp1 = 0;
  let lp2 = 0;
  for (let i = 0; i < n && env > 1e-5; i++) {
    lp1 += alpha * (rnd() * 2 - 1 - lp1);
    lp2 += alpha * (lp1 - lp2);
    click[i] = env * lp2;
    env *= k;
  }
  normalise(ring);
  normalise(click);
  const clickMix = modes.length ? 0.2 + 0.3 * strength : 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ring[i]! + clickMix * click[i]!;
  // The contact lasts a moment (longer for soft things): a raised-cosine attack over it keeps the
  // onset from being a broadband tick. Its first step is already above zero, and a material without
  // modes gets a definite first sample, so the sound starts exactly where it is placed.
  const attack = Math.round(AUDIO_RATE * (0.0002 + 0.004 * (1 - Math.min(a.hardness, b.hardness))));
  for (let i = 0; i < attack && i < n; i++) out[i]! *= 0.5 - 0.5 * Math.cos((Math.PI * (i + 1)) / (attack + 1));
  if (Math.abs(out[0]!) < 1e-3) out[0] = out[0]! < 0 ? -1e-3 : 1e-3;
  normalise(out);
  for (let i = 0; i < n; i++) out[i]! *= level;
  // Fade the last 5 ms so a cut tail never clicks.
  const fade = Math.min(n, 240);
  for (let i = 0; i < fade; i++) out[n - 1 - i]! *= i / fade;
  return out;
}

function normalise(x: Float32Array): void {
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]!));
  if (peak > 0) for (let i = 0; i < x.length; i++) x[i]! /= peak;
}
