/**
 * Stage "normalise and fuse" (docs/method.md "score → distribution", "missing scores", "fusion"):
 * one configuration's view of the scores — its teacher and current pool only (students that
 * replaced assistants swapped in), missing scores filled by its policy — and, per query, the
 * fused assistant ("the assistants' score distributions are averaged into one fused assistant").
 */
import { fuseDistributions } from '../../assistants/fusion';
import { fillScoreTable } from '../../assistants/missing';
import type { ScoreTable } from '../../assistants/types';
import type { MethodConfig } from '../../config';
import type { QueryId } from '../../data/types';
import { missingPolicy, replaceColumn, selectColumns } from '../table';
import type { CarriedState } from './state';

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
    t = replaceColumn(t, col.replaced, { name, role: 'assistant' }, (q, docIds) => Float64Array.from(docIds, (_d, j) => col.scores[q]?.[j] ?? NaN));
  }
  const { table, filled } = fillScoreTable(t, missingPolicy(config));
  const cols = state.pool.map((p) => table.models.findIndex((m) => m.name === p.name));
  const fused = new Map<QueryId, Float64Array>();
  if (cols.length > 0) {
    for (const [q, b] of table.byQuery) fused.set(q, fuseDistributions(cols.map((c) => b.scores[c]), { distribution: config.distribution, ...config.fusion }));
  }
  return { table, filled, fused };
}
