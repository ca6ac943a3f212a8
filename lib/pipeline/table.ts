/**
 * Score tables as one configuration sees them: the teacher and its configured assistants only,
 * with missing scores filled by the configured policy, plus column edits across iterations
 * (the student replacing the weakest assistant). Each is a view of the table it is given (lib/data/mapView.ts):
 * computed per query on access, so a configuration's tables hold nothing per training query.
 */
import { missingPolicyOf, type MissingPolicy } from '../assistants/missing';
import type { ModelColumn, QueryScores, ScoreTable } from '../assistants/types';
import type { QueryId } from '../data/types';
import { MapView } from '../data/mapView';
import type { MethodConfig } from '../config';

/** The missing-score policy of a config, as lib/assistants understands it. */
export function missingPolicy(config: MethodConfig): MissingPolicy {
  if (config.missing.policy === 'drop') {
    throw new Error(`${config.name}: missing.policy 'drop' removes pairs per model, so training groups could not share candidates; use it in the assistants analysis, train with 'min-minus-margin' or 'rank'`);
  }
  return missingPolicyOf(config.missing);
}

/** Keeps the named columns (in that order) of a table. */
export function selectColumns(table: ScoreTable, names: readonly string[]): ScoreTable {
  const idx = names.map((n) => {
    const i = table.models.findIndex((m) => m.name === n);
    if (i < 0) throw new Error(`score table has no column '${n}' (columns: ${table.models.map((m) => m.name).join(', ')})`);
    return i;
  });
  const byQuery = new MapView<QueryId, QueryScores, QueryScores>(table.byQuery, (b) => ({ ...b, scores: idx.map((i) => b.scores[i]) }));
  return { models: idx.map((i) => table.models[i]), byQuery };
}

/** Keeps only the given queries' blocks. */
export function restrictQueries(table: ScoreTable, keep: ReadonlySet<QueryId>): ScoreTable {
  return { models: table.models, byQuery: new MapView<QueryId, QueryScores, QueryScores>(table.byQuery, (b) => b, (q) => keep.has(q)) };
}

/** Replaces column `out` by a new assistant column whose scores come from `scoresOf(queryId, docIds)`. */
export function replaceColumn(
  table: ScoreTable, out: string, column: ModelColumn, scoresOf: (q: QueryId, docIds: readonly string[]) => Float64Array,
): ScoreTable {
  const i = table.models.findIndex((m) => m.name === out);
  if (i < 0) throw new Error(`score table has no column '${out}'`);
  const models = table.models.map((m, j) => (j === i ? column : m));
  const byQuery = new MapView<QueryId, QueryScores, QueryScores>(table.byQuery, (b, q) => ({ ...b, scores: b.scores.map((s, j) => (j === i ? scoresOf(q, b.docIds) : s)) }));
  return { models, byQuery };
}
