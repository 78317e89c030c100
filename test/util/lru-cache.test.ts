/** The bounded cache of the long-running host: recency, entry and byte budgets, promises. */
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../engine/util/lru-cache.js';

describe('LruCache', () => {
  it('keeps at most maxEntries, letting the least recently used go first', () => {
    const c = new LruCache<string, number>({ maxEntries: 3 });
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('d', 4);
    expect([c.has('a'), c.has('b'), c.has('c'), c.has('d')]).toEqual([true, false, true, true]);
    expect(c.size).toBe(3);
  });

  it('keeps the estimated bytes within maxBytes; one value over the budget stays alone', () => {
    const c = new LruCache<string, Float32Array>({ maxEntries: 100, maxBytes: 1000, sizeOf: (v) => v.byteLength });
    for (let i = 0; i < 10; i++) c.set(`k${i}`, new Float32Array(100)); // 400 bytes each
    expect(c.size).toBe(2);
    expect(c.bytes).toBe(800);
    c.set('big', new Float32Array(1000));
    expect([c.size, c.bytes, c.has('big')]).toEqual([1, 4000, true]);
    c.delete('big');
    expect([c.size, c.bytes]).toEqual([0, 0]);
  });

  it('weighs a promise when it resolves and drops a rejected one, so the next call tries again', async () => {
    const c = new LruCache<string, Promise<Float32Array>>({ maxEntries: 10, maxBytes: 1000, sizeOf: (v) => v.byteLength });
    let made = 0;
    const make = (fail: boolean) => () => {
      made++;
      return fail ? Promise.reject(new Error('no')) : Promise.resolve(new Float32Array(200));
    };
    await c.getOrCreate('x', make(false));
    await c.getOrCreate('x', make(false));
    expect([made, c.bytes]).toEqual([1, 800]);
    await expect(c.getOrCreate('y', make(true))).rejects.toThrow('no');
    await Promise.resolve();
    expect(c.has('y')).toBe(false);
    await c.getOrCreate('y', make(false));
    expect([made, c.size, c.bytes]).toEqual([3, 1, 800]); // x (800) + y (800) > 1000: x went
  });

  it('shrinks to a lowered budget at once', () => {
    const c = new LruCache<number, number>({ maxEntries: 50 });
    for (let i = 0; i < 50; i++) c.set(i, i);
    c.setBudget({ maxEntries: 5 });
    expect([c.size, c.has(49), c.has(44)]).toEqual([5, true, false]);
  });
});
