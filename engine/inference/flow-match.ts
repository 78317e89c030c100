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

/**
 * UniPC (bh2, data prediction, solver order 2) on the same σ grid, as
 * diffusers' UniPCMultistepScheduler runs flow-matching models (Wan's
 * reference sampler): the velocity becomes an x0 prediction m = x − σ·v; a
 * predictor (UniP) steps with the last two predictions, and before each step a
 * corrector (UniC) improves the sample with the model's new prediction. With
 * α = 1 − σ and λ = ln α − ln σ, h = λ_t − λ_s:
 *   x_t = (σ_t/σ_s)·x − α_t·(e^{−h} − 1)·m_s − α_t·(e^{−h} − 1)·Σ ρ_k·D_k.
 * The first step (σ = 1, α = 0, λ = −∞) and the last (σ = 0) are order 1, as in
 * diffusers (`lower_order_final`); an older prediction at λ = −∞ contributes
 * nothing (its difference quotient tends to 0) and is left out.
 */
export class UniPcSampler {
  private readonly lambdas: number[];
  private outputs: Array<{ m: Float32Array; i: number }> = [];
  private lastSample: Float32Array | undefined;
  private lastOrder = 1;
  private lowerOrderNums = 0;

  constructor(
    private readonly sigmas: number[],
    private readonly order = 2,
  ) {
    this.lambdas = sigmas.map((s) => Math.log(1 - s) - Math.log(s));
  }

  /** Step i (σ_i → σ_{i+1}) with the model's velocity at x; returns the next sample (a new array). */
  step(i: number, x: Float32Array, velocity: Float32Array): Float32Array {
    const sigma = this.sigmas[i]!;
    const m = new Float32Array(x.length);
    for (let k = 0; k < x.length; k++) m[k] = x[k]! - sigma * velocity[k]!;
    let sample = x;
    if (i > 0 && this.lastSample) sample = this.correct(i, m, this.lastSample, this.lastOrder);
    this.outputs.push({ m, i });
    if (this.outputs.length > this.order) this.outputs.shift();
    const steps = this.sigmas.length - 1;
    const order = Math.min(this.order, steps - i, this.lowerOrderNums + 1);
    this.lastSample = sample;
    this.lastOrder = order;
    const next = this.predict(i, sample, order);
    if (this.lowerOrderNums < this.order) this.lowerOrderNums++;
    return next;
  }

  /** Differences D_k = (m_k − m_0)/r_k of the older predictions (finite λ only), r_k = (λ_k − λ_0)/h. */
  private differences(s0: number, h: number, older: Array<{ m: Float32Array; i: number }>, m0: Float32Array) {
    const out: Array<{ r: number; d: Float32Array }> = [];
    for (const o of older) {
      const r = (this.lambdas[o.i]! - this.lambdas[s0]!) / h;
      if (!Number.isFinite(r) || r === 0) continue;
      const d = new Float32Array(m0.length);
      const om = o.m;
      const inv = 1 / r;
      for (let k = 0; k < d.length; k++) d[k] = (om[k]! - m0[k]!) * inv;
      out.push({ r, d });
    }
    return out;
  }

  /** The coefficients b_k of UniPC's linear system (bh2: B(h) = e^{−h} − 1). */
  private coefficients(hh: number, n: number): number[] {
    const hPhi1 = Math.expm1(hh);
    const bh = hPhi1;
    let hPhiK = hPhi1 / hh - 1;
    let factorial = 1;
    const b: number[] = [];
    for (let k = 1; k <= n; k++) {
      b.push((hPhiK * factorial) / bh);
      factorial *= k + 1;
      hPhiK = hPhiK / hh - 1 / factorial;
    }
    return b;
  }

  private base(s0: number, t: number, x: Float32Array, m0: Float32Array): { xt: Float32Array; alphaT: number; bh: number; hh: number } {
    const sigmaT = this.sigmas[t]!;
    const alphaT = 1 - sigmaT;
    const hh = -(this.lambdas[t]! - this.lambdas[s0]!);
    const hPhi1 = Math.expm1(hh);
    const ratio = sigmaT === 0 ? 0 : sigmaT / this.sigmas[s0]!;
    const xt = new Float32Array(x.length);
    const c = alphaT * hPhi1;
    for (let k = 0; k < x.length; k++) xt[k] = ratio * x[k]! - c * m0[k]!;
    return { xt, alphaT, bh: hPhi1, hh };
  }

  private predict(s0: number, x: Float32Array, order: number): Float32Array {
    const cur = this.outputs[this.outputs.length - 1]!;
    const { xt, alphaT, bh, hh } = this.base(s0, s0 + 1, x, cur.m);
    if (order < 2 || !Number.isFinite(hh)) return xt;
    const older = this.outputs
      .slice(0, -1)
      .reverse()
      .slice(0, order - 1);
    const ds = this.differences(s0, -hh, older, cur.m);
    if (!ds.length) return xt;
    // order 2: ρ = 1/2 (diffusers); a higher order would solve R·ρ = b
    const d = ds[0]!.d;
    const c = alphaT * bh * 0.5;
    for (let k = 0; k < xt.length; k++) xt[k] = xt[k]! - c * d[k]!;
    return xt;
  }

  private correct(t: number, mT: Float32Array, last: Float32Array, order: number): Float32Array {
    const prev = this.outputs[this.outputs.length - 1]!;
    const s0 = prev.i;
    const { xt, alphaT, bh, hh } = this.base(s0, t, last, prev.m);
    const older =
      order >= 2
        ? this.outputs
            .slice(0, -1)
            .reverse()
            .slice(0, order - 1)
        : [];
    const ds = Number.isFinite(hh) ? this.differences(s0, -hh, older, prev.m) : [];
    let rhos: number[];
    if (!ds.length) rhos = [0.5];
    else {
      // order 2: solve [[1, 1], [r, 1]]·ρ = b
      const [b1, b2] = this.coefficients(hh, 2) as [number, number];
      const r = ds[0]!.r;
      const det = 1 - r;
      rhos = [(b1 - b2) / det, (b2 - r * b1) / det];
    }
    const c = alphaT * bh;
    const cT = c * rhos[rhos.length - 1]!;
    const pm = prev.m;
    for (let k = 0; k < xt.length; k++) xt[k] = xt[k]! - cT * (mT[k]! - pm[k]!);
    if (ds.length) {
      const d = ds[0]!.d;
      const c1 = c * rhos[0]!;
      for (let k = 0; k < xt.length; k++) xt[k] = xt[k]! - c1 * d[k]!;
    }
    return xt;
  }
}
