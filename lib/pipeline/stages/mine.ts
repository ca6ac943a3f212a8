/**
 * Stage "mine new candidates": for the queries the student got wrong, "negatives mined by the
 * student" (docs/method.md "harder data") — the student retrieves over the whole training
 * collection (exact search, lib/retrieval), and negatives are sampled from its top `mineDepth`
 * (never a judged-relevant passage), beside the query's positive. With negativesFrom 'teacher'
 * they come from the teacher's ranking of the candidates instead.
 */
import type { MethodConfig } from '../../config';
import { mineHardNegatives, type MiningReport } from '../../curriculum';
import type { DocId, QueryId, Run } from '../../data/types';
import type { StudentModel } from '../../models';
import { retrieveWithStudent } from './retrieve';
import type { TrainingGroup } from '../../train';
import type { Split } from '../splits';

/** The new (query, passage) pairs to score: per query, its positive then the mined negatives. */
export interface MinedCandidates {
  readonly blocks: ReadonlyArray<{ readonly queryId: QueryId; readonly docIds: DocId[] }>;
  readonly report: MiningReport;
  /** Mined pairs that were not among the query's training candidates (never scored before). */
  readonly newPairs: number;
  /** Passages the retrieval searched (the whole training collection for the student). */
  readonly searched: number;
}

/** The got-wrong queries that can get a block: those with a base group (its positive anchors the block). */
export function minable(wrong: readonly QueryId[], base: ReadonlyMap<QueryId, TrainingGroup>): QueryId[] {
  return wrong.filter((q) => base.has(q));
}

/** Blocks of `ids` (minable queries) with negatives sampled from `source`'s ranking of each (per-query seeds: any batch of queries mines the same). */
export function minedBlocks(source: Run, ids: readonly QueryId[], split: Split, base: ReadonlyMap<QueryId, TrainingGroup>, config: MethodConfig, o: { seed: number; iteration: number }): Omit<MinedCandidates, 'searched'> {
  const depth = config.iterations.mineDepth;
  const mined = mineHardNegatives(source, split.qrels, { depth: [1, depth], count: config.train.negatives, seed: o.seed * 31 + o.iteration });
  const blocks: Array<{ queryId: QueryId; docIds: DocId[] }> = [];
  let newPairs = 0;
  for (const q of ids) {
    // Once per query: a base group is built from the score table each time it is read.
    const positive = base.get(q)!.docIds[0];
    const negs = (mined.candidates.byQuery.get(q) ?? []).filter((d) => d !== positive);
    if (negs.length < config.train.negatives) continue;
    const known = new Set(split.candidates.byQuery.get(q) ?? []);
    newPairs += negs.filter((d) => !known.has(d)).length;
    blocks.push({ queryId: q, docIds: [positive, ...negs] });
  }
  return { blocks, report: mined.report, newPairs };
}

/** The teacher's ranking of `ids`' candidates: the source of negatives with negativesFrom 'teacher'. */
export function teacherSource(teacherRun: Run, ids: readonly QueryId[]): Run {
  return { name: teacherRun.name, byQuery: new Map(ids.filter((q) => teacherRun.byQuery.has(q)).map((q) => [q, teacherRun.byQuery.get(q)!])) };
}

/** Mines new candidates for the got-wrong queries that have a base group, all at once (stages/harder.ts does it in batches). */
export async function mineNewCandidates(
  model: StudentModel, split: Split, wrong: readonly QueryId[], base: ReadonlyMap<QueryId, TrainingGroup>,
  teacherRun: Run, config: MethodConfig, o: { seed: number; iteration: number; cacheDir: string },
): Promise<MinedCandidates> {
  const ids = minable(wrong, base);
  const fromStudent = config.iterations.negativesFrom === 'student';
  const source = fromStudent ? await retrieveWithStudent(model, split, ids, config.iterations.mineDepth, o.cacheDir) : teacherSource(teacherRun, ids);
  return { ...minedBlocks(source, ids, split, base, config, o), searched: fromStudent ? split.collection.passages.size : 0 };
}
