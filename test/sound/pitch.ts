/** Test helper: median pitch of voiced frames by normalised autocorrelation (48 kHz mono). */
export function medianPitchHz(input: Float32Array, inputRate = 48000): number {
  // Every third sample: 16 kHz is plenty for voice pitch and 9× cheaper.
  const x = input.filter((_, i) => i % 3 === 0);
  const rate = inputRate / 3;
  const frame = 512;
  const minLag = Math.floor(rate / 450);
  const maxLag = Math.ceil(rate / 60);
  const pitches: number[] = [];
  for (let start = 0; start + frame + maxLag < x.length; start += 400) {
    let energy = 0;
    for (let i = 0; i < frame; i++) energy += x[start + i]! ** 2;
    if (Math.sqrt(energy / frame) < 0.02) continue;
    let best = 0;
    let bestLag = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let num = 0;
      let e2 = 0;
      for (let i = 0; i < frame; i++) {
        num += x[start + i]! * x[start + i + lag]!;
        e2 += x[start + i + lag]! ** 2;
      }
      const r = num / Math.sqrt(energy * e2 + 1e-12);
      if (r > best) {
        best = r;
        bestLag = lag;
      }
    }
    if (best > 0.6) pitches.push(rate / bestLag);
  }
  pitches.sort((a, b) => a - b);
  return pitches[Math.floor(pitches.length / 2)] ?? 0;
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! ** 2;
  return Math.sqrt(s / Math.max(1, to - from));
}
