/**
 * A bounded cache for the long-running host: once it holds more than
 * `maxEntries` entries, or more than `maxBytes` of estimated size, the least
 * recently used entries go. A value may be a promise: its size is counted when
 * it resolves, and a rejected one is dropped (the next call tries again).
 */
export interface LruOptions<V> {
  maxEntries: number;
  /** Budget for the sum of `sizeOf` over the entries (needs `sizeOf`). */
  maxBytes?: number;
  /** Estimated bytes of a value (of a promise's result). */
  sizeOf?: (value: Awaited<V>) => number;
}

interface Entry<V> {
  value: V;
  bytes: number;
}

export class LruCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private total = 0;

  constructor(private opts: LruOptions<V>) {}

  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes held (settled values only). */
  get bytes(): number {
    return this.total;
  }

  get budget(): { maxEntries: number; maxBytes?: number } {
    return { maxEntries: this.opts.maxEntries, maxBytes: this.opts.maxBytes };
  }

  /** Changes the budget (a host on a small machine, a test); evicts down to it. */
  setBudget(budget: { maxEntries?: number; maxBytes?: number }): void {
    this.opts = { ...this.opts, ...budget };
    this.evict();
  }

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): V {
    this.delete(key);
    const e: Entry<V> = { value, bytes: 0 };
    this.entries.set(key, e);
    if (isPromise(value)) {
      value.then(
        (v) => {
          if (this.entries.get(key) === e) this.weigh(e, v as Awaited<V>);
        },
        () => {
          if (this.entries.get(key) === e) this.delete(key);
        },
      );
    } else {
      this.weigh(e, value as Awaited<V>);
    }
    this.evict();
    return value;
  }

  /** The cached value, else `make()`'s, cached. */
  getOrCreate(key: K, make: () => V): V {
    return this.entries.has(key) ? this.get(key)! : this.set(key, make());
  }

  delete(key: K): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    this.total -= e.bytes;
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  private weigh(e: Entry<V>, value: Awaited<V>): void {
    if (!this.opts.sizeOf) return;
    e.bytes = Math.max(0, this.opts.sizeOf(value));
    this.total += e.bytes;
    this.evict();
  }

  private evict(): void {
    const maxBytes = this.opts.maxBytes ?? Infinity;
    // Oldest first (a Map keeps insertion order; get() moves an entry to the end); the newest entry always stays.
    for (const key of this.entries.keys()) {
      if (this.entries.size <= 1 || (this.entries.size <= this.opts.maxEntries && this.total <= maxBytes)) break;
      this.delete(key);
    }
  }
}

function isPromise(v: unknown): v is Promise<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}
