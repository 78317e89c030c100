/**
 * Flow matching for video latents (Wan 2.1): the model predicts a velocity v
 * that carries noise (σ = 1) to the clean latent (σ = 0) along x_σ = (1 − σ)·x0
 * + σ·noise. The sampler walks σ down a shifted grid with Euler steps,
 * x ← x + (σ_next − σ)·v, and classifier-free guidance mixes the conditional
 * and unconditional predictions, v = v_u + g·(v_c − v_u).
 *
 * Grid (as diffusers' FlowMatchEulerDiscreteScheduler with a static shift):
 * σ_i = shift·s/(1 + (shift − 1)·s) with s = 1 − i/N for i = 0…N, so σ_0 = 1
 * and σ_N = 0; the model's timestep is 1000·σ_i.
 */
import { seededRandom } from '../util/seeded-random.js';

export const TRAIN_TIMESTEPS = 1000;

/** The N + 1 sigmas of an N-step run (1 … 0) with the flow shift applied. */
export function flowSigmas(steps: number, shift: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const s = 1 - i / steps;
    out.push((shift * s) / (1 + (shift - 1) * s));
  }
  return out;
}

/** The model's timestep for each of the N steps. */
export function flowTimesteps(sigmas: number[]): number[] {
  return sigmas.slice(0, -1).map((s) => s * TRAIN_TIMESTEPS);
}

/** Classifier-free guidance, in place into `cond`: cond ← uncond + g·(cond − uncond). */
export function applyGuidance(cond: Float32Array, uncond: Float32Array, guidance: number): Float32Array {
  for (let i = 0; i < cond.length; i++) cond[i] = uncond[i]! + guidance * (cond[i]! - uncond[i]!);
  return cond;
}

/** One Euler step in place: x ← x + (σ_next − σ)·v. */
export function eulerStep(x: Float32Array, velocity: Float32Array, sigma: number, sigmaNext: number): Float32Array {
  const dt = sigmaNext - sigma;
  for (let i = 0; i < x.length; i++) x[i] = x[i]! + dt * velocity[i]!;
  return x;
}

/** Standard normal noise from a seed (Box–Muller over the seeded generator): the same seed, the same latent. */
export function gaussianNoise(count: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = 1 - rand(); // (0, 1]
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
