/**
 * Evaluates a run against qrels with trec_eval semantics: each query is ranked and joined with its
 * judgments once, then every measure scans the prepared grades. Averages are over the queries present
 * in both qrels and run (trec_eval's default) or, with `missingAsZero`, over every qrels query,
 * missing ones scoring 0 (trec_eval -c).
 */
import type { QueryId, Qrels, Run } from '../data/types';
import { prepareQrels, prepareQuery, type PreparedQuery } from './prepared';
import { parseMeasure, type ParsedMeasure } from './parse';
import type { RankingOrder } from './order';

/** Evaluation options. */
export interface EvaluateOptions {
  /** Minimum grade that counts as relevant for binary measures (trec_eval -l; default 1; TREC DL uses 2). */
  readonly relLevel?: number;
  /** Rank by score with trec_eval's tie-break (default) or by the run's rank column. */
  readonly order?: RankingOrder;
  /** Average over all qrels queries, those missing from the run scoring 0 (trec_eval -c). */
  readonly missingAsZero?: boolean;
}

/** Per-query values, means keyed by the measure names exactly as given, and what was left out. */
export interface EvaluationResult {
  readonly perQuery: Map<QueryId, Record<string, number>>;
  readonly mean: Record<string, number>;
  /** Number of queries averaged over. */
  readonly queries: number;
  /** Qrels queries the run has no entry for (scored 0 only with missingAsZero). */
  readonly missingFromRun: QueryId[];
  /** Run queries without judgments (never evaluated, as in trec_eval). */
  readonly unjudgedRunQueries: QueryId[];
}

const EMPTY: PreparedQuery['ranked'] = new Int32Array(0);

/** Evaluates `run` on `qrels` with `measures` (strings such as 'nDCG@10' or parsed measures). */
export function evaluate(qrels: Qrels, run: Run, measures: ReadonlyArray<string | ParsedMeasure>, opts: EvaluateOptions = {}): EvaluationResult {
  const parsed = measures.map((m) => (typeof m === 'string' ? parseMeasure(m) : m));
  const names = parsed.map((m) => m.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`measure '${dup}' is listed twice`);
  const defaultLevel = opts.relLevel ?? 1;
  if (!Number.isInteger(defaultLevel)) throw new Error(`relLevel must be an integer, got ${defaultLevel}`);
  const order = opts.order ?? 'score';
  const judgedQueries = prepareQrels(qrels);
  const perQuery = new Map<QueryId, Record<string, number>>();
  const sums = new Float64Array(parsed.length);
  const missingFromRun: QueryId[] = [];
  for (const [qid, judged] of judgedQueries) {
    const entries = run.byQuery.get(qid);
    if (entries === undefined) {
      missingFromRun.push(qid);
      if (!opts.missingAsZero) continue;
    }
    const q: PreparedQuery = entries ? prepareQuery(entries, judged, order) : { ranked: EMPTY, judged };
    const values: Record<string, number> = {};
    for (let j = 0; j < parsed.length; j++) {
      const m = parsed[j]!;
      const v = m.definition.compute(q, m.cutoff ?? Infinity, m.relLevel ?? defaultLevel);
      values[m.name] = v;
      sums[j] = sums[j]! + v;
    }
    perQuery.set(qid, values);
  }
  const queries = perQuery.size;
  const mean: Record<string, number> = {};
  parsed.forEach((m, j) => { mean[m.name] = queries > 0 ? sums[j]! / queries : 0; });
  const unjudgedRunQueries = [...run.byQuery.keys()].filter((qid) => !judgedQueries.has(qid));
  return { perQuery, mean, queries, missingFromRun, unjudgedRunQueries };
}
