/**
 * BM25 over a Collection with wink-bm25-text-search (+ wink-nlp-utils preprocessing), the library
 * ECOSYSTEM.md measured; not a hand-written BM25 (wink's idf with k = 1 is Lucene's
 * ln(1 + (N − df + 0.5)/(df + 0.5))). The indexed fields are configurable (title, text); a field
 * empty in the whole collection is skipped with a note, and a collection too small for wink
 * (fewer than 3 indexable passages) gives no scores (NaN, the missing policy applies) with a
 * note, never a crash from inside the dependency. Candidates without any query term score 0, a
 * real BM25 score, not a missing one.
 */
import type { Bm25FieldName } from '../../config/model';
import type { Collection, DocId, Passage, Query } from '../../data/types';
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

/** wink refuses to consolidate fewer documents than this. */
const WINK_MIN_DOCS = 3;

/** BM25 parameters (Lucene / Anserini defaults k1 = 0.9, b = 0.4 are common; wink's are 1.2 / 0.75). */
export interface Bm25Params {
  readonly k1?: number;
  readonly b?: number;
  /** Fields indexed together, concatenated in this order (default title, text). */
  readonly fields?: readonly Bm25FieldName[];
}

/** Default BM25 parameters: k1 = 0.9, b = 0.4 (Anserini's MS MARCO defaults) over title + text. */
export const DEFAULT_BM25: Required<Bm25Params> = { k1: 0.9, b: 0.4, fields: ['title', 'text'] };

/** The index of one collection: the engine (absent when nothing could be indexed) and why fields were skipped. */
export interface Bm25Index {
  readonly engine?: WinkEngine;
  /** Passages indexed (those with text in at least one used field). */
  readonly indexed: number;
  /** Fields actually indexed. */
  readonly fields: readonly Bm25FieldName[];
  /** Why a field or the whole index was skipped, naming the collection. */
  readonly notes: readonly string[];
}

function fieldValue(p: Passage, f: Bm25FieldName): string {
  return f === 'title' ? (p.title ?? '') : p.text;
}

/** What would be indexed: the fields that have text somewhere, the passages' texts and notes. Cheap (one scan). */
export interface Bm25Plan {
  readonly fields: readonly Bm25FieldName[];
  readonly docs: ReadonlyArray<readonly [DocId, string]>;
  readonly notes: readonly string[];
}

/** Plans the index of `collection` over `fields`: skips fields empty everywhere, and says when too little is left. */
export function planBm25Index(collection: Collection, fields: readonly Bm25FieldName[]): Bm25Plan {
  const notes: string[] = [];
  const used = fields.filter((f) => {
    for (const p of collection.passages.values()) if (fieldValue(p, f).trim() !== '') return true;
    notes.push(`BM25 over ${collection.name}: field '${f}' is empty in all ${collection.passages.size} passages; skipped`);
    return false;
  });
  // A passage with none of the fields cannot match any query; it is not indexed (as BM25 of a
  // one-field index never counted it) and scores 0 as a candidate.
  const docs: Array<readonly [DocId, string]> = [];
  for (const p of collection.passages.values()) {
    const text = used.map((f) => fieldValue(p, f)).filter((x) => x.trim() !== '').join(' ');
    if (text !== '') docs.push([p.id, text]);
  }
  if (docs.length < WINK_MIN_DOCS) {
    notes.push(`BM25 over ${collection.name} (fields ${fields.join(', ')}): only ${docs.length} passage(s) have text, BM25 needs at least ${WINK_MIN_DOCS}; no scores`);
  }
  return { fields: used, docs, notes };
}

function buildIndex(collection: Collection, params: Required<Bm25Params>): Bm25Index {
  const { fields, docs, notes } = planBm25Index(collection, params.fields);
  if (docs.length < WINK_MIN_DOCS) return { indexed: 0, fields, notes };
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
  for (const [id, text] of docs) engine.addDoc({ text }, id);
  engine.consolidate(6);
  return { engine, indexed: docs.length, fields, notes };
}

/** BM25 scores of candidates; the index is built once per collection on first use. */
export class Bm25Scorer implements Scorer {
  readonly cacheKey: string;
  /** BM25 depends on the whole collection (idf, average length), not only on the pairs scored. */
  readonly scope = 'collection' as const;
  private readonly params: Required<Bm25Params>;
  private readonly indexes = new WeakMap<Collection, Bm25Index>();

  constructor(readonly name = 'BM25-wink', params: Bm25Params = {}) {
    this.params = { ...DEFAULT_BM25, ...params };
    if (this.params.fields.length === 0) throw new RangeError(`${name}: BM25 needs at least one field`);
    const { k1, b, fields } = this.params;
    const defaultFields = fields.join() === DEFAULT_BM25.fields.join();
    // Keys of the default fields stay those of earlier versions, so their cached runs stay valid.
    this.cacheKey = defaultFields
      ? sha256('wink-bm25', { k1, b }, 'lower|tokenize0|removeWords|stem')
      : sha256('wink-bm25', { k1, b }, 'lower|tokenize0|removeWords|stem', { fields });
  }

  /** The index of `collection` (built on first use), with its notes. */
  indexOf(collection: Collection): Bm25Index {
    let e = this.indexes.get(collection);
    if (!e) {
      e = buildIndex(collection, this.params);
      this.indexes.set(collection, e);
    }
    return e;
  }

  /** Ranks the whole collection for `query` (top `k`), e.g. for hard-negative mining; empty when nothing is indexed. */
  search(query: Query, collection: Collection, k: number): Array<{ docId: DocId; score: number }> {
    const { engine } = this.indexOf(collection);
    if (!engine) return [];
    return engine.search(query.text, k).map(([docId, score]) => ({ docId, score }));
  }

  async score(query: Query, docIds: readonly DocId[], collection: Collection): Promise<Float64Array> {
    const { engine, indexed } = this.indexOf(collection);
    if (!engine) return new Float64Array(docIds.length).fill(NaN);
    const hits = new Map(engine.search(query.text, indexed));
    return Float64Array.from(docIds, (d) => {
      if (!collection.passages.has(d)) return NaN;
      return hits.get(d) ?? 0;
    });
  }
}
