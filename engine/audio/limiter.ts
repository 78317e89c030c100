/** A memoryless soft limiter: transparent below −2 dBFS, a tanh knee above, never reaching full scale. */
const KNEE = 0.8;

export function softLimit(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const a = v < 0 ? -v : v;
    if (a > KNEE) x[i] = (v < 0 ? -1 : 1) * (KNEE + (1 - KNEE) * Math.tanh((a - KNEE) / (1 - KNEE)) * 0.999);
    else if (v !== v) x[i] = 0;
  }
  return x;
}
