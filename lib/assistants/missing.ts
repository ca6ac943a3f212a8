/**
 * Missing-score policy. A run file scores only its own top-k, so some candidates of a query have
 * no score from some models (NaN). Every policy guarantees that an unscored passage never outranks
 * a scored one.
 */
import { meanStd } from './distribution';
import { rankingOf } from './rankCompare';
import type { QueryId } from '../data/types';
import type { MissingConfig } from '../config/missing';
import type { QueryScores, ScoreTable } from './types';
import { MapView } from '../data/mapView';

/**
 * - `min-minus-margin` (default): missing = the query's minimum score minus a margin; the margin is
 *   `'std'` (one standard deviation of the query's scored values; 1 when they are constant) or a
 *   fixed positive number;
 * - `drop`: the pair is removed for that model (comparisons use the pairs both sides scored);
 * - `rank`: scored candidates get −rank (1 = best), missing ones −(m + 1) with m scored.
 */
export type MissingPolicy =
  | { readonly kind: 'min-minus-margin'; readonly margin?: 'std' | number }
  | { readonly kind: 'drop' }
  | { readonly kind: 'rank' };

/** The default policy: the query's minimum minus one standard deviation. */
export const DEFAULT_MISSING: MissingPolicy = { kind: 'min-minus-margin', margin: 'std' };

/** Filled scores: `scored[i]` = 1 where the model had a score; with `drop`, missing stay NaN. */
export interface FilledScores {
  readonly scores: Float64Array;
  readonly scored: Uint8Array;
  readonly missing: number;
}

/** Applies a missing-score policy to one model's scores over one query's candidates. */
export function fillMissing(scores: ArrayLike<number>, policy: MissingPolicy = DEFAULT_MISSING): FilledScores {
  const n = scores.length;
  const scored = new Uint8Array(n);
  const present: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(scores[i])) {
      scored[i] = 1;
      present.push(scores[i]);
    }
  }
  const missing = n - present.length;
  const out = Float64Array.from(scores);
  if (missing === 0 && policy.kind !== 'rank') return { scores: out, scored, missing };
  if (policy.kind === 'drop') {
    for (let i = 0; i < n; i++) if (!scored[i]) out[i] = NaN;
    return { scores: out, scored, missing };
  }
  if (policy.kind === 'rank') {
    const masked = Float64Array.from(scores, (v) => (Number.isFinite(v) ? v : -Infinity));
    const order = rankingOf(masked);
    order.forEach((i, r) => {
      out[i] = scored[i] ? -(r + 1) : -(present.length + 1);
    });
    return { scores: out, scored, missing };
  }
  // No score at all: every candidate ties (a uniform distribution downstream).
  if (present.length === 0) return { scores: out.fill(0), scored, missing };
  let min = Infinity;
  for (const v of present) min = Math.min(min, v);
  let margin = policy.margin === undefined || policy.margin === 'std' ? meanStd(present).std : policy.margin;
  if (!(margin > 0)) {
    if (typeof policy.margin === 'number') throw new RangeError(`fillMissing: margin must be > 0, got ${policy.margin}`);
    margin = 1;
  }
  // Guard against a margin lost in rounding next to a large minimum (SPLADE scores are ~1e5).
  let fill = min - margin;
  while (!(fill < min)) {
    margin *= 2;
    fill = min - margin;
  }
  for (let i = 0; i < n; i++) if (!scored[i]) out[i] = fill;
  return { scores: out, scored, missing };
}

/** Options of {@link fillScoreTable}. */
export interface FillTableOptions {
  /** A model with no score at all for a query keeps NaN there (not counted) instead of a uniform fill. */
  readonly keepUnscored?: boolean;
}

/**
 * Applies a missing-score policy to every (model, query) of a table; counts the filled pairs per
 * model. The filled table is a view (filled again on each access, the same values every time):
 * a copy of the scores would double the largest thing a run holds per training query.
 */
export function fillScoreTable(
  table: ScoreTable, policy: MissingPolicy = DEFAULT_MISSING, options: FillTableOptions = {},
): { table: ScoreTable; filled: Record<string, number> } {
  const filled: Record<string, number> = Object.fromEntries(table.models.map((m) => [m.name, 0]));
  const fillBlock = (b: QueryScores, count: boolean): QueryScores => ({
    ...b,
    scores: b.scores.map((s, i) => {
      if (options.keepUnscored && !s.some((v) => Number.isFinite(v))) return s;
      const f = fillMissing(s, policy);
      if (count) filled[table.models[i].name] += f.missing;
      return f.scores;
    }),
  });
  for (const b of table.byQuery.values()) fillBlock(b, true);
  return { table: { models: table.models, byQuery: new MapView<QueryId, QueryScores, QueryScores>(table.byQuery, (b) => fillBlock(b, false)) }, filled };
}

/** The policy a config's `missing` section names. */
export function missingPolicyOf(missing: MissingConfig): MissingPolicy {
  switch (missing.policy) {
    case 'drop': return { kind: 'drop' };
    case 'rank': return { kind: 'rank' };
    case 'min-minus-margin': return { kind: 'min-minus-margin', margin: missing.margin };
  }
}
