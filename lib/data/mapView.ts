/**
 * A read-only Map computed on demand from another: each `get` maps the base entry again, nothing
 * is stored. The score tables of a configuration (its columns, its missing-filled scores, a student
 * column swapped in, a query subset) are such views of the raw table, so holding one costs nothing
 * per training query (environment.md, "Streamed (2026-12-07, afternoon)"). `ReadonlyMapBase` is the
 * Map surface such on-access maps share (the score table read from its logs, runs read from disk).
 */

/**
 * The ReadonlyMap surface built from `size`, `has`, `get` and `keys`: iteration reads each key's
 * value through `get`, so a map whose values are computed or read on access writes only those four.
 */
export abstract class ReadonlyMapBase<K, V> implements ReadonlyMap<K, V> {
  abstract readonly size: number;
  abstract has(key: K): boolean;
  abstract get(key: K): V | undefined;
  abstract keys(): IterableIterator<K>;

  *values(): IterableIterator<V> {
    for (const k of this.keys()) yield this.get(k) as V;
  }

  *entries(): IterableIterator<[K, V]> {
    for (const k of this.keys()) yield [k, this.get(k) as V];
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }
}

/** `base` seen through `map`, restricted to the keys `keep` accepts (default: all), in base order. */
export class MapView<K, V, W> extends ReadonlyMapBase<K, W> {
  private count: number | undefined;

  constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly map: (value: V, key: K) => W,
    private readonly keep?: (key: K) => boolean,
  ) {
    super();
  }

  get size(): number {
    if (!this.keep) return this.base.size;
    if (this.count === undefined) {
      let n = 0;
      for (const k of this.base.keys()) if (this.keep(k)) n += 1;
      this.count = n;
    }
    return this.count;
  }

  has(key: K): boolean {
    return this.base.has(key) && (!this.keep || this.keep(key));
  }

  get(key: K): W | undefined {
    if (this.keep && !this.keep(key)) return undefined;
    const v = this.base.get(key);
    return v === undefined && !this.base.has(key) ? undefined : this.map(v as V, key);
  }

  // By key, then get (the base's iteration is never used): a base that builds its values on demand builds only the kept ones.
  *keys(): IterableIterator<K> {
    for (const k of this.base.keys()) if (!this.keep || this.keep(k)) yield k;
  }
}
