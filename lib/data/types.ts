/**
 * Core data types shared by every stage: collections, queries, judgments, runs and candidate lists.
 * Maps keep insertion order, so file order is preserved wherever it matters (e.g. run ranks).
 */

/** A passage or document identifier exactly as it appears in the source file. */
export type DocId = string;
/** A query identifier exactly as it appears in the source file. */
export type QueryId = string;

/** One passage (MS MARCO) or document (BEIR, SMART): title is optional. */
export interface Passage {
  readonly id: DocId;
  readonly title?: string;
  readonly text: string;
}

/** A set of passages keyed by id. */
export interface Collection {
  readonly name: string;
  readonly passages: ReadonlyMap<DocId, Passage>;
}

/** One query; `answers` is set for open-domain QA (DPR-style NQ / TriviaQA). */
export interface Query {
  readonly id: QueryId;
  readonly text: string;
  readonly answers?: readonly string[];
}

/** A set of queries keyed by id, in file order. */
export interface QuerySet {
  readonly name: string;
  readonly queries: ReadonlyMap<QueryId, Query>;
}

/** Graded relevance judgments: query → passage → grade (0 = judged non-relevant). */
export interface Qrels {
  readonly name: string;
  readonly judgments: ReadonlyMap<QueryId, ReadonlyMap<DocId, number>>;
}

/** One ranked, scored entry of a run. `rank` is the file's rank column (1-based). */
export interface RunEntry {
  readonly docId: DocId;
  readonly score: number;
  readonly rank: number;
}

/** A ranked run: per query, its entries in file order (not re-sorted). */
export interface Run {
  readonly name: string;
  readonly byQuery: ReadonlyMap<QueryId, readonly RunEntry[]>;
}

/** Per query, the passages to score (a pool, a retriever's top-k, or mined negatives). */
export interface CandidateLists {
  readonly byQuery: ReadonlyMap<QueryId, readonly DocId[]>;
}

/** One input line a loader did not accept, with why. */
export interface SkippedLine {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

/** What a loader read and what it skipped or warned about; nothing is dropped silently. */
export interface LoadReport {
  readonly file: string;
  readonly records: number;
  /** Records not accepted (not in the loaded value). */
  readonly skipped: readonly SkippedLine[];
  /** Records kept but suspicious (an unclosed `<DOC>`, a SMART record cut short), with where and why. */
  readonly suspicious: readonly SkippedLine[];
  /** File-level warnings (counts of problems) that belong to no single line; strict mode throws instead. */
  readonly warnings: readonly string[];
  /** Information, not defects (detected column order, tied scores in a run): never an error, even strict. */
  readonly notes: readonly string[];
}

/** A loaded value together with its load report. */
export interface Loaded<T> {
  readonly value: T;
  readonly report: LoadReport;
}
