/**
 * BM25 over a Collection with wink-bm25-text-search (+ wink-nlp-utils preprocessing), the library
 * ECOSYSTEM.md measured; not a hand-written BM25. Candidates without any query term score 0, a real
 * BM25 score, not a missing one.
 */
import type { Collection, DocId, Query } from '../../data/types';
import { sha256 } from '../../io';
import type { Scorer } from '../types';

/** The part of wink-bm25-text-search's engine used here (the package ships no types). */
interface WinkEngine {
  defineConfig(cfg: { fldWeights: Record<string, number>; bm25Params?: { k1?: number; b?: number } }): boolean;
  definePrepTasks(tasks: Array<(x: unknown) => unknown>): number;
  addDoc(doc: Record<string, string>, id: string): number;
  consolidate(fp?: number): boolean;
  search(text: string, limit?: number): Array<[string, number]>;
}

/** BM25 parameters (Lucene / Anserini defaults k1 = 0.9, b = 0.4 are common; wink's are 1.2 / 0.75). */
export interface Bm25Params {
  readonly k1?: number;
  readonly b?: number;
}

/** Default BM25 parameters: k1 = 0.9, b = 0.4 (Anserini's MS MARCO defaults). */
export const DEFAULT_BM25: Required<Bm25Params> = { k1: 0.9, b: 0.4 };

function buildEngine(collection: Collection, params: Required<Bm25Params>): WinkEngine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = (require('wink-bm25-text-search') as () => WinkEngine)();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nlp = require('wink-nlp-utils') as {
    string: { lowerCase: (s: string) => string; tokenize0: (s: string) => string[]; stem: (w: string) => string };
    tokens: { removeWords: (t: string[]) => string[] };
  };
  // wink's Porter stemmer dominates indexing time (8 s of 18 s on SciFact); each distinct word is
  // stemmed once. Same output as nlp.tokens.stem, which maps nlp.string.stem over the tokens.
  const stems = new Map<string, string>();
  const stem = (tokens: string[]): string[] => tokens.map((t) => {
    let s = stems.get(t);
    if (s === undefined) { s = nlp.string.stem(t); stems.set(t, s); }
    return s;
  });
  engine.defineConfig({ fldWeights: { text: 1 }, bm25Params: { k1: params.k1, b: params.b } });
  engine.definePrepTasks([nlp.string.lowerCase, nlp.string.tokenize0, nlp.tokens.removeWords, stem] as Array<(x: unknown) => unknown>);
  for (const p of collection.passages.values()) engine.addDoc({ text: p.title ? `${p.title} ${p.text}` : p.text }, p.id);
  engine.consolidate(6);
  return engine;
}

/** BM25 scores of candidates; the index is built once per collection on first use. */
export class Bm25Scorer implements Scorer {
  readonly cacheKey: string;
  private readonly params: Required<Bm25Params>;
  private readonly engines = new WeakMap<Collection, { engine: WinkEngine; size: number }>();

  constructor(readonly name = 'BM25-wink', params: Bm25Params = {}) {
    this.params = { ...DEFAULT_BM25, ...params };
    this.cacheKey = sha256('wink-bm25', this.params, 'lower|tokenize0|removeWords|stem');
  }

  private engineFor(collection: Collection): { engine: WinkEngine; size: number } {
    let e = this.engines.get(collection);
    if (!e) {
      e = { engine: buildEngine(collection, this.params), size: collection.passages.size };
      this.engines.set(collection, e);
    }
    return e;
  }

  /** Ranks the whole collection for `query` (top `k`), e.g. for hard-negative mining. */
  search(query: Query, collection: Collection, k: number): Array<{ docId: DocId; score: number }> {
    return this.engineFor(collection).engine.search(query.text, k).map(([docId, score]) => ({ docId, score }));
  }

  async score(query: Query, docIds: readonly DocId[], collection: Collection): Promise<Float64Array> {
    const { engine, size } = this.engineFor(collection);
    const hits = new Map(engine.search(query.text, size));
    return Float64Array.from(docIds, (d) => {
      if (!collection.passages.has(d)) return NaN;
      return hits.get(d) ?? 0;
    });
  }
}
