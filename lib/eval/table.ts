/**
 * Result tables as plain row objects (one per system), ready for danfo DataFrames or markdown; the
 * report module renders them.
 */
import type { EvaluationResult } from './evaluate';

/** One system's results for the table. */
export interface ResultRow {
  readonly system: string;
  readonly result: Pick<EvaluationResult, 'mean' | 'queries'>;
  /** Optional extra columns (e.g. a p-value or a note), placed after the measures. */
  readonly extra?: Record<string, string | number>;
}

/** Table options. */
export interface ResultsTableOptions {
  /** Measures (columns) to show, in order; default: the first row's measures. */
  readonly measures?: readonly string[];
  /** Round values to this many decimals (default: full precision). */
  readonly decimals?: number;
}

/** Rows `{ system, <measure>..., queries, ...extra }`; a measure a system lacks is NaN, never dropped. */
export function resultsTable(rows: readonly ResultRow[], opts: ResultsTableOptions = {}): Array<Record<string, string | number>> {
  const measures = opts.measures ?? (rows[0] ? Object.keys(rows[0].result.mean) : []);
  const round = (v: number): number => (opts.decimals === undefined ? v : Number(v.toFixed(opts.decimals)));
  return rows.map((r) => {
    const out: Record<string, string | number> = { system: r.system };
    for (const m of measures) out[m] = round(r.result.mean[m] ?? NaN);
    out.queries = r.result.queries;
    return { ...out, ...(r.extra ?? {}) };
  });
}
