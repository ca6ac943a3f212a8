/**
 * A read-only Map computed on demand from another: each `get` maps the base entry again, nothing
 * is stored. The score tables of a configuration (its columns, its missing-filled scores, a student
 * column swapped in, a query subset) are such views of the raw table, so holding one costs nothing
 * per training query (environment.md, "What is held per training query").
 */

/** `base` seen through `map`, restricted to the keys `keep` accepts (default: all), in base order. */
export class MapView<K, V, W> implements ReadonlyMap<K, W> {
  private count: number | undefined;

  constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly map: (value: V, key: K) => W,
    private readonly keep?: (key: K) => boolean,
  ) {}

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

  *keys(): IterableIterator<K> {
    for (const k of this.base.keys()) if (!this.keep || this.keep(k)) yield k;
  }

  *values(): IterableIterator<W> {
    for (const [, w] of this.entries()) yield w;
  }

  *entries(): IterableIterator<[K, W]> {
    // By key, then get: a base that builds its values on demand builds only the kept ones.
    for (const k of this.keys()) yield [k, this.map(this.base.get(k) as V, k)];
  }

  [Symbol.iterator](): IterableIterator<[K, W]> {
    return this.entries();
  }

  forEach(callback: (value: W, key: K, map: ReadonlyMap<K, W>) => void, thisArg?: unknown): void {
    for (const [k, w] of this.entries()) callback.call(thisArg, w, k, this);
  }
}
