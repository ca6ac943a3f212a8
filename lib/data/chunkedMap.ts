/**
 * A Map without V8's entry limit. One JS Map holds at most 2^24 entries (16.7M; the 2^24+1-th
 * `set` throws "Map maximum size exceeded"), and DPR's psgs_w100.tsv has 21M passages, so the
 * collection loaders fill a chain of Maps instead: insertion order, lookups and the Map API as one.
 */

/** Entries per inner Map: half the limit, so the limit's exact value in a future V8 cannot bite. */
export const MAP_CHUNK_CAPACITY = 1 << 23;

/**
 * A Map of any size: entries fill inner Maps of `capacity` in turn. Iteration is insertion order;
 * a lookup probes each inner Map (one probe up to 8.4M entries, three for NQ's 21M passages).
 */
export class ChunkedMap<K, V> implements Map<K, V> {
  private chunks: Array<Map<K, V>> = [new Map()];

  /** Entries, as `new Map(entries)`; `capacity` (entries per inner Map) exists for tests. */
  constructor(entries?: Iterable<readonly [K, V]>, private readonly capacity = MAP_CHUNK_CAPACITY) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new Error(`ChunkedMap: capacity must be a positive integer, got ${capacity}`);
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    let n = 0;
    for (const c of this.chunks) n += c.size;
    return n;
  }

  /** The inner Map holding `key`, if any. */
  private chunkOf(key: K): Map<K, V> | undefined {
    for (const c of this.chunks) if (c.has(key)) return c;
    return undefined;
  }

  get(key: K): V | undefined {
    if (this.chunks.length === 1) return this.chunks[0].get(key);
    for (const c of this.chunks) {
      const v = c.get(key);
      if (v !== undefined || c.has(key)) return v;
    }
    return undefined;
  }

  has(key: K): boolean {
    return this.chunkOf(key) !== undefined;
  }

  set(key: K, value: V): this {
    const last = this.chunks[this.chunks.length - 1];
    if (this.chunks.length === 1 && last.size < this.capacity) {
      last.set(key, value);
      return this;
    }
    const holder = this.chunkOf(key);
    if (holder) holder.set(key, value);
    else if (last.size < this.capacity) last.set(key, value);
    else this.chunks.push(new Map([[key, value]]));
    return this;
  }

  delete(key: K): boolean {
    const holder = this.chunkOf(key);
    return holder ? holder.delete(key) : false;
  }

  clear(): void {
    this.chunks = [new Map()];
  }

  forEach(fn: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this) fn.call(thisArg, v, k, this);
  }

  *entries(): IterableIterator<[K, V]> {
    for (const c of this.chunks) yield* c.entries();
  }

  *keys(): IterableIterator<K> {
    for (const c of this.chunks) yield* c.keys();
  }

  *values(): IterableIterator<V> {
    for (const c of this.chunks) yield* c.values();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'ChunkedMap';
  }
}
