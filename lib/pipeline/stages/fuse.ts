/**
 * Stage "normalise and fuse" (docs/method.md "score → distribution", "missing scores", "fusion"):
 * one configuration's view of the scores — its teacher and current pool only (students that
 * replaced assistants swapped in), missing scores filled by its policy — and, per query, the
 * fused assistant ("the assistants' score distributions are averaged into one fused assistant").
 */
import { fuseDistributions } from '../../assistants/fusion';
import { fillScoreTable } from '../../assistants/missing';
import type { QueryScores, ScoreTable } from '../../assistants/types';
import { MapView } from '../../data/mapView';
import type { MethodConfig } from '../../config';
import type { QueryId } from '../../data/types';
import { missingPolicy, replaceColumn, selectColumns } from '../table';
import type { CarriedState } from './state';
import { studentColumnScores } from './studentColumn';

/** The filled table of one configuration and iteration, with the fused distribution per query. */
export interface FusedScores {
  readonly table: ScoreTable;
  /** Pairs each model had no score for, filled by the missing policy. */
  readonly filled: Record<string, number>;
  /** Query → the fused assistant's distribution over its candidates (aligned with table docIds). */
  readonly fused: ReadonlyMap<QueryId, Float64Array>;
}

/** Normalises, fills and fuses the raw scores as `config` and the carried pool say. */
export function normaliseAndFuse(config: MethodConfig, raw: ScoreTable, state: Pick<CarriedState, 'studentColumns' | 'pool'>): FusedScores {
  let t = selectColumns(raw, [config.teacher.name, ...config.assistants.map((a) => a.name)]);
  for (const [name, col] of Object.entries(state.studentColumns)) {
    t = replaceColumn(t, col.replaced, { name, role: 'assistant' }, studentColumnScores(col));
  }
  const { table, filled } = fillScoreTable(t, missingPolicy(config));
  const cols = state.pool.map((p) => table.models.findIndex((m) => m.name === p.name));
  // A view, fused on access: nothing per training query is held (training fuses per batch, lib/train/select-target.ts).
  const fused = cols.length > 0
    ? new MapView<QueryId, QueryScores, Float64Array>(table.byQuery, (b) => fuseDistributions(cols.map((c) => b.scores[c]), { distribution: config.distribution, ...config.fusion }))
    : new Map<QueryId, Float64Array>();
  return { table, filled, fused };
}
