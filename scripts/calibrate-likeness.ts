/**
 * Measures the likeness threshold's error rates: genuine and impostor pairs
 * of face embeddings from the two GRID speakers under seven picture
 * conditions (original, small, dark, blur, noisy, compressed, mirrored),
 * 5 frames a second. Prints false-match and false-non-match rates per
 * threshold, frame against frame and frame against the cameo reference (the
 * mean embedding of the original recording, as deriveCameoReferences makes).
 *
 *   node bin/run-ts.mjs scripts/calibrate-likeness.ts
 *
 * Video clips from "The Grid Audio-Visual Speech Corpus", Martin Cooke, Jon Barker,
 * Stuart Cunningham, Xu Shao (2006), https://doi.org/10.5281/zenodo.3625687, licensed under
 * CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Unmodified. Obtained via
 * github.com/rizkiarm/LipNet (evaluation samples).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseFaces } from '../engine/vision/face-analysis.js';
import { cosineSimilarity, meanEmbedding } from '../engine/vision/face-embed.js';
import { LIKENESS_THRESHOLD } from '../engine/safety/likeness.js';
import { GRID_A, GRID_B, GRID_CONDITIONS, makeGridCondition, type GridCondition } from '../test/support/grid-faces.js';

interface Sample {
  speaker: number;
  condition: GridCondition;
  timeMs: number;
  embedding: Float32Array;
}

const dir = mkdtempSync(join(tmpdir(), 'klappe-calibrate-'));
const samples: Sample[] = [];
const missed: string[] = [];
try {
  for (const [speaker, src] of [GRID_A, GRID_B].entries()) {
    for (const condition of Object.keys(GRID_CONDITIONS) as GridCondition[]) {
      const file = await makeGridCondition(condition, src, join(dir, `${speaker}-${condition}.mp4`));
      const a = await analyseFaces(file, { fps: 5, mesh: false, embed: true });
      let found = 0;
      for (const f of a.frames) {
        const face = f.faces[0];
        if (!face) continue;
        found++;
        samples.push({ speaker, condition, timeMs: f.timeMs, embedding: face.embedding! });
      }
      if (found < a.frames.length)
        missed.push(`${speaker}/${condition}: ${a.frames.length - found} of ${a.frames.length} frames without a face`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const genuine: number[] = [];
const impostor: number[] = [];
const genuineByCondition = new Map<GridCondition, number[]>();
for (let i = 0; i < samples.length; i++)
  for (let j = i + 1; j < samples.length; j++) {
    const a = samples[i]!;
    const b = samples[j]!;
    if (a.speaker === b.speaker && a.timeMs === b.timeMs && a.condition === b.condition) continue;
    const s = cosineSimilarity(a.embedding, b.embedding);
    if (a.speaker !== b.speaker) impostor.push(s);
    else {
      genuine.push(s);
      const c = a.condition === 'original' ? b.condition : a.condition;
      genuineByCondition.set(c, [...(genuineByCondition.get(c) ?? []), s]);
    }
  }
// against a reference: the mean of the original recording's frames
const refGenuine: number[] = [];
const refImpostor: number[] = [];
const refGenuineByCondition = new Map<GridCondition, number[]>();
for (const speaker of [0, 1]) {
  const ref = meanEmbedding(samples.filter((s) => s.speaker === speaker && s.condition === 'original').map((s) => s.embedding));
  for (const s of samples) {
    if (s.condition === 'original' && s.speaker === speaker) continue;
    const sim = cosineSimilarity(ref, s.embedding);
    if (s.speaker === speaker) {
      refGenuine.push(sim);
      refGenuineByCondition.set(s.condition, [...(refGenuineByCondition.get(s.condition) ?? []), sim]);
    } else refImpostor.push(sim);
  }
}

const f3 = (x: number) => x.toFixed(3);
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `n=${s.length} min ${f3(s[0]!)} p5 ${f3(s[Math.floor(s.length * 0.05)]!)} median ${f3(s[s.length >> 1]!)} max ${f3(s[s.length - 1]!)}`;
};
const rate = (xs: number[], pred: (x: number) => boolean) => xs.filter(pred).length / Math.max(1, xs.length);
console.log(`faces: ${samples.length} (2 identities × 7 conditions × up to 15 frames)`);
for (const m of missed) console.log(`  not detected: ${m}`);
console.log(`frame vs frame: genuine ${stats(genuine)}`);
console.log(`frame vs frame: impostor ${stats(impostor)}`);
console.log(`frame vs reference: genuine ${stats(refGenuine)}`);
console.log(`frame vs reference: impostor ${stats(refImpostor)}`);
for (const [c, xs] of genuineByCondition) console.log(`  genuine frame pairs with ${c}: ${stats(xs)}`);
for (const [c, xs] of refGenuineByCondition) console.log(`  genuine vs reference, ${c}: ${stats(xs)}`);
console.log('\nthreshold | FMR frame | FNMR frame | FMR ref | FNMR ref');
for (const t of [0.25, 0.3, 0.35, 0.4, LIKENESS_THRESHOLD, 0.5, 0.55, 0.6]) {
  console.log(
    `${t.toFixed(2)}${t === LIKENESS_THRESHOLD ? '*' : ' '}     | ${f3(rate(impostor, (x) => x >= t))}     | ${f3(rate(genuine, (x) => x < t))}      | ${f3(rate(refImpostor, (x) => x >= t))}   | ${f3(rate(refGenuine, (x) => x < t))}`,
  );
}
