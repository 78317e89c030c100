/**
 * A long-running host's memory stays flat: many distinct requests through the
 * caches that used to grow without end (previz simulations, flite lines and
 * word phones, contact sounds) keep each cache within its budget, and the heap
 * after a full GC does not grow with the number of requests. Budgets are
 * lowered for the test so a few requests go past them.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { lineCache, wordCache, fliteEngine } from '../../engine/audio/speech/flite-engine.js';
import { renderShotAudio, sfxCache } from '../../engine/audio/shot-sound.js';
import { speechCache } from '../../engine/generate/previz/previz-backend.js';
import { simulateScene, simulationCache } from '../../engine/generate/previz/simulate.js';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { VoiceSchema } from '../../engine/model/schema.js';
import { LruCache } from '../../engine/util/lru-cache.js';
import { dropLab } from '../previz/fixtures.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const caches = { simulationCache, lineCache, wordCache, sfxCache, speechCache };
const saved = Object.fromEntries(Object.entries(caches).map(([k, c]) => [k, c.budget]));
afterAll(() => {
  for (const [k, c] of Object.entries(caches)) c.setBudget(saved[k]!);
});

/** Heap plus array buffers (audio samples live in the latter), after a full GC. */
function memory(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('the host caches', () => {
  it('are bounded LRU caches', () => {
    for (const c of Object.values(caches)) {
      expect(c).toBeInstanceOf(LruCache);
      expect(c.budget.maxEntries).toBeGreaterThan(0);
    }
  });

  it('stay within budget and memory stays flat over many distinct requests', async () => {
    simulationCache.setBudget({ maxEntries: 3 });
    lineCache.setBudget({ maxEntries: 3 });
    wordCache.setBudget({ maxEntries: 40 });
    sfxCache.setBudget({ maxBytes: 2 ** 20 });
    const rate = { num: 24, den: 1 };
    const voice = VoiceSchema.parse({});
    const after: number[] = [];
    let passed = 0; // bytes of samples made (and cached on the way)
    let n = 0;
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 6; i++, n++) {
        const doc = dropLab([0.5 + (n % 5) * 0.05, 0.8], 0.6 + n * 0.01, rate);
        const sim = await simulateScene(buildShotRequest(doc, 'drop').scene, [], rate);
        const audio = renderShotAudio({
          rate,
          shotStartFrame: 0,
          shotFrames: sim.frames,
          lines: [],
          contacts: sim.contacts,
          seed: n,
          roomToneDb: -70,
          sourcePosition: () => [0, 1.5, 0],
          listener: () => ({ position: [0, 1.5, 5], forward: [0, 0, -1], right: [1, 0, 0] }),
        });
        const spoken = await fliteEngine.synthesize(`Request ${n}: ball number ${n} drops again, word${n} and word${n + 1}.`, voice);
        passed += audio.byteLength + spoken.samples.byteLength;
      }
      expect(simulationCache.size).toBeLessThanOrEqual(3);
      expect(lineCache.size).toBeLessThanOrEqual(3);
      expect(wordCache.size).toBeLessThanOrEqual(40);
      expect(sfxCache.bytes).toBeLessThanOrEqual(2 ** 20);
      after.push(memory());
    }
    const growth = after[3]! - after[0]!;
    console.log(
      `memory after each round (MB): ${after.map((m) => (m / 2 ** 20).toFixed(1)).join(', ')}; samples made: ${(passed / 2 ** 20).toFixed(1)} MB; sfx cached ${sfxCache.size} sounds, ${(sfxCache.bytes / 2 ** 20).toFixed(2)} MB`,
    );
    // three more rounds of distinct requests: what grows is far less than what went through
    expect(growth).toBeLessThan(Math.max(2 ** 20, passed / 8));
  });
});
