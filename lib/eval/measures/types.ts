/** The shape of one measure: a small declarative unit the parser and evaluator look up by family name. */
import type { PreparedQuery } from '../prepared';

/** One measure family (nDCG, RR, ...) with trec_eval semantics. */
export interface MeasureDefinition {
  /** Family name as written in measure strings, e.g. `nDCG`. */
  readonly family: string;
  /** Whether `@k` is required, optional (absent = whole ranking) or not allowed. */
  readonly cutoff: 'required' | 'optional';
  /** Whether the measure is binary and so depends on the relevance level. */
  readonly usesRelLevel: boolean;
  /** One line for help texts. */
  readonly description: string;
  /** Value for one query; `cutoff` is Infinity when absent; `relLevel` is the minimum relevant grade. */
  compute(q: PreparedQuery, cutoff: number, relLevel: number): number;
}
