/**
 * Views of a score table for one query: each model's missing-filled scores and distribution, the
 * fused assistant, and the selection input; plus a model column as a ranked Run for evaluation.
 */
import { MapView } from '../data/mapView';
import type { DocId, QueryId, Run, RunEntry } from '../data/types';
import { DEFAULT_DISTRIBUTION, toDistribution, type DistributionOptions } from './distribution';
import { fuseDistributions, type FusionOptions } from './fusion';
import { DEFAULT_MISSING, fillMissing, type MissingPolicy } from './missing';
import type { SelectionQuery } from './selection';
import type { QueryScores, ScoreTable } from './types';
import { StoredBlocks } from './storedBlocks';

/** The name of the fused assistant among selection candidates. */
export const FUSED = 'fused';

/** Settings shared by every view: distribution, missing-score policy, fusion. */
export interface ViewOptions {
  readonly distribution?: DistributionOptions;
  readonly missing?: MissingPolicy;
  readonly fusion?: FusionOptions;
}

function block(table: ScoreTable, queryId: QueryId): QueryScores {
  const q = table.byQuery.get(queryId);
  if (!q) throw new RangeError(`score table has no query '${queryId}'`);
  return q;
}

function modelIndex(table: ScoreTable, model: string): number {
  const i = table.models.findIndex((m) => m.name === model);
  if (i < 0) throw new RangeError(`score table has no model '${model}' (models: ${table.models.map((m) => m.name).join(', ')})`);
  return i;
}

/** One model's view of one query: raw scores, filled scores, kept candidates and distribution. */
export interface ModelQueryView {
  readonly docIds: readonly DocId[];
  readonly raw: Float64Array;
  readonly filled: Float64Array;
  readonly distribution: Float64Array;
  readonly missing: number;
}

/** A model's distribution over a query's candidates (with `drop`, over the pairs it scored). */
export function tableDistribution(table: ScoreTable, model: string, queryId: QueryId, options: ViewOptions = {}): ModelQueryView {
  const q = block(table, queryId);
  const raw = q.scores[modelIndex(table, model)];
  const f = fillMissing(raw, options.missing ?? DEFAULT_MISSING);
  const keep = Array.from(f.scored.keys()).filter((i) => (options.missing?.kind === 'drop' ? f.scored[i] === 1 : true));
  const filled = Float64Array.from(keep, (i) => f.scores[i]);
  return {
    docIds: keep.map((i) => q.docIds[i]),
    raw,
    filled,
    distribution: toDistribution(filled, { ...DEFAULT_DISTRIBUTION, ...options.distribution }),
    missing: f.missing,
  };
}

/** Teacher, assistants and fused assistant distributions over the same candidates of one query. */
export interface QueryDistributions extends SelectionQuery {
  readonly queryId: QueryId;
  readonly docIds: readonly DocId[];
  readonly teacherName: string;
}

/**
 * Distributions of the teacher (the table's teacher column), the given assistants (default: every
 * assistant column) and their fusion under the name {@link FUSED}. With the `drop` policy the
 * query is restricted to the candidates that the teacher and all those assistants scored.
 */
export function queryDistributions(table: ScoreTable, queryId: QueryId, options: ViewOptions & { readonly assistants?: readonly string[] } = {}): QueryDistributions {
  const q = block(table, queryId);
  const teacherIdx = table.models.findIndex((m) => m.role === 'teacher');
  if (teacherIdx < 0) throw new RangeError('score table has no teacher column');
  const assistantNames = options.assistants ?? table.models.filter((m) => m.role === 'assistant').map((m) => m.name);
  if (assistantNames.includes(FUSED)) throw new RangeError(`an assistant may not be called '${FUSED}'`);
  const idx = [teacherIdx, ...assistantNames.map((n) => modelIndex(table, n))];
  const policy = options.missing ?? DEFAULT_MISSING;
  const filled = idx.map((i) => fillMissing(q.scores[i], policy));
  const keep = Array.from(q.docIds.keys()).filter((j) => policy.kind !== 'drop' || filled.every((f) => f.scored[j] === 1));
  const cols = filled.map((f) => Float64Array.from(keep, (j) => f.scores[j]));
  const dist = { ...DEFAULT_DISTRIBUTION, ...options.distribution };
  const candidates: Record<string, Float64Array> = {};
  assistantNames.forEach((n, k) => { candidates[n] = toDistribution(cols[k + 1], dist); });
  if (assistantNames.length > 0) candidates[FUSED] = fuseDistributions(cols.slice(1), { ...options.fusion, distribution: dist });
  return { queryId, docIds: keep.map((j) => q.docIds[j]), teacherName: table.models[teacherIdx].name, teacher: toDistribution(cols[0], dist), candidates };
}

/** A model column as a Run: each query's scored candidates, best first (missing pairs left out), ranked when read. */
export function runFromTable(table: ScoreTable, model: string): Run {
  const m = modelIndex(table, model);
  // A stored table reads only this model's records; a view: the pipeline makes the teacher's run of every training query each iteration.
  const column = table.byQuery instanceof StoredBlocks
    ? table.byQuery.column(m)
    : new MapView<QueryId, QueryScores, { docIds: readonly DocId[]; scores: Float64Array }>(table.byQuery, (b) => ({ docIds: b.docIds, scores: b.scores[m] }));
  const byQuery = new MapView<QueryId, { docIds: readonly DocId[]; scores: Float64Array }, RunEntry[]>(column, (q) => {
    const scored = q.docIds.map((docId, j) => ({ docId, score: q.scores[j] })).filter((e) => !Number.isNaN(e.score));
    scored.sort((a, b) => b.score - a.score);
    return scored.map((e, r) => ({ ...e, rank: r + 1 }));
  });
  return { name: model, byQuery };
}
