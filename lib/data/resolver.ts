/**
 * Dataset names as a config uses them: the names of its `datasets` object, `NAME/train` and
 * `NAME/test` for those that declare a split, and the embedded registry's names. Lookups use own
 * keys only, so `constructor` or `__proto__` is an unknown dataset, never an Object method.
 */
import type { DatasetSpec, DatasetSpecs } from '../config/dataset';
import { isEmbeddedDataset, listDatasets, loadDataset, type Dataset, type LoadDatasetOptions } from './registry';
import { loadDatasetFromSpec } from './fromSpec';
import { SPLIT_PARTS, splitDataset, type SplitPart } from './split';

/** Loads datasets by name for one config. */
export interface DatasetResolver {
  /** Loads `NAME`, `NAME/train` or `NAME/test` (cached per resolver, name and options). */
  load(name: string, opts?: LoadDatasetOptions): Promise<Dataset>;
  /** Every name `load` accepts: the config's (with their splits), then the embedded ones it does not shadow. */
  names(): string[];
}

/** Thrown for a name that is neither declared nor embedded; lists the known names. */
export class UnknownDatasetError extends Error {
  constructor(name: string, known: readonly string[]) {
    super(`unknown dataset "${name}"; known: ${known.join(', ')}`);
    this.name = 'UnknownDatasetError';
  }
}

/** A resolver over `specs` (validated by DatasetSpecsSchema), their paths relative to `baseDir`. */
export function datasetResolver(specs: DatasetSpecs, baseDir: string): DatasetResolver {
  const declared = new Map<string, DatasetSpec>(Object.entries(specs));
  const cache = new Map<string, Promise<Dataset>>();
  const names = (): string[] => {
    const out: string[] = [];
    for (const [name, spec] of declared) {
      out.push(name);
      if (spec.split) out.push(...SPLIT_PARTS.map((p) => `${name}/${p}`));
    }
    for (const { name } of listDatasets()) if (!declared.has(name)) out.push(name);
    return out;
  };
  const loadWhole = (name: string, opts: LoadDatasetOptions): Promise<Dataset> => {
    const spec = declared.get(name);
    if (spec) return loadDatasetFromSpec(name, spec, baseDir, opts);
    if (isEmbeddedDataset(name)) return loadDataset(name, opts);
    return Promise.reject(new UnknownDatasetError(name, names()));
  };
  const uncached = async (name: string, opts: LoadDatasetOptions): Promise<Dataset> => {
    // A declared name is itself first (the official layout's names contain '/'), then NAME/part.
    if (declared.has(name)) return loadWhole(name, opts);
    const m = /^(.+)\/([^/]+)$/.exec(name);
    if (!m) return loadWhole(name, opts);
    const [, base, part] = m as unknown as [string, string, string];
    const spec = declared.get(base);
    if (!spec || !(SPLIT_PARTS as readonly string[]).includes(part)) throw new UnknownDatasetError(name, names());
    if (!spec.split) throw new Error(`dataset "${base}" declares no "split", so "${name}" does not exist; add "split": { "testFraction": 0.2, "seed": 1 } to it`);
    return splitDataset(await load(base, opts), spec.split, part as SplitPart);
  };
  const load = (name: string, opts: LoadDatasetOptions = {}): Promise<Dataset> => {
    const key = `${name}\u0000${opts.strict ?? false}`;
    let p = cache.get(key);
    if (!p) {
      p = uncached(name, opts);
      cache.set(key, p);
      p.catch(() => cache.delete(key));
    }
    return p;
  };
  return { load, names };
}
