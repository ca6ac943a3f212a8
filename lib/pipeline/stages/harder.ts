/**
 * Stage "harder data", in batches of got-wrong queries: mine new candidates for a batch
 * (stages/mine.ts: the student searches the whole collection, encoded once), score the new pairs
 * with the teacher and every pool member (stages/scoreNew.ts), append the scored blocks to the
 * iteration's hard-block file (stages/hardBlocks.ts), next batch. Neither the search results nor
 * the scored blocks are held for every got-wrong query. Mining draws per query and scoring and
 * filling are per query, so a batch changes only float rounding: the search's sgemm rounds a
 * query's scores by its place in the block (lib/retrieval/topk.ts), which can swap passages tied
 * to the last bit at the mining depth. Measured on the 10k-passage × 20k-query miniature: 88,957
 * new pairs against 88,930 mined all at once, of 103,360; up to 8,192 got-wrong queries (the demo)
 * nothing changes.
 */
import { rmSync } from 'node:fs';
import type { Scorer } from '../../assistants/types';
import type { MethodConfig } from '../../config';
import type { MiningReport } from '../../curriculum';
import type { QueryId, Run } from '../../data/types';
import type { StudentModel } from '../../models';
import type { TrainingGroup } from '../../train';
import type { Split } from '../splits';
import { HardBlockWriter } from './hardBlocks';
import { minable, minedBlocks, teacherSource } from './mine';
import { withStudentSearch, type StudentSearch } from './retrieve';
import { hardModelsOf, scoreNewPairs } from './scoreNew';
import type { CarriedState, PairCounts } from './state';

/** Got-wrong queries mined and scored at once: bounds what a batch holds, whatever the number of got-wrong queries. */
export const HARD_DATA_BATCH = 8192;

/** What harder-data construction did after one iteration. */
export interface HarderDataRecord {
  readonly mining: MiningReport;
  /** Queries that got a block of newly scored pairs (the next iteration's hard groups). */
  readonly queries: number;
  readonly pairs: number;
  /** Pairs that were not among the training candidates before. */
  readonly newPairs: number;
  /** Passages the student searched (the whole training collection for the student). */
  readonly searched: number;
  /** Per model: pairs it scored and pairs the missing policy imputed. */
  readonly scoredBy: Record<string, PairCounts>;
}

/** Options of {@link buildHarderData}. */
export interface HarderDataOptions {
  readonly seed: number;
  readonly iteration: number;
  readonly cacheDir: string;
  /** The hard-block file to write. */
  readonly path: string;
  /** Got-wrong queries per batch (default {@link HARD_DATA_BATCH}). */
  readonly batch?: number;
}

/** The carried hard blocks and what building them did; no file (and no hard blocks) when no query got a block. */
export interface HarderData {
  readonly hard: Pick<CarriedState, 'hardModels' | 'hardBlocksFile'>;
  readonly record: HarderDataRecord;
}

function addReports(a: MiningReport | undefined, b: MiningReport): MiningReport {
  if (!a) return b;
  return {
    queries: a.queries + b.queries, mined: a.mined + b.mined, skippedRelevant: a.skippedRelevant + b.skippedRelevant,
    skippedFalseNegatives: a.skippedFalseNegatives + b.skippedFalseNegatives, shortQueries: a.shortQueries + b.shortQueries,
    unguardedQueries: a.unguardedQueries + b.unguardedQueries,
  };
}

/**
 * Mines and scores new pairs for the got-wrong queries `wrong` that have a base group, batch by
 * batch, into `o.path`. `carried` is the pool after the replacement decision; `current` the
 * student that may have just joined it.
 */
export async function buildHarderData(
  model: StudentModel, split: Split, wrong: readonly QueryId[], base: ReadonlyMap<QueryId, TrainingGroup>, teacherRun: Run,
  carried: Pick<CarriedState, 'pool' | 'studentColumns'>, scorers: ReadonlyMap<string, Scorer>, current: { name: string; model: StudentModel },
  config: MethodConfig, o: HarderDataOptions,
): Promise<HarderData> {
  const ids = minable(wrong, base);
  const fromStudent = config.iterations.negativesFrom === 'student';
  const models = hardModelsOf(config, carried.pool);
  const writer = HardBlockWriter.create(o.path, models);
  let mining: MiningReport | undefined;
  let newPairs = 0, pairs = 0;
  const scoredBy: Record<string, PairCounts> = Object.fromEntries(models.map((m) => [m, { scored: 0, imputed: 0 }]));
  const batches = async (search?: StudentSearch) => {
    const size = o.batch ?? HARD_DATA_BATCH;
    // At least one batch, so that no minable query still gives a (zero) mining report.
    for (let start = 0; start === 0 || start < ids.length; start += size) {
      const batch = ids.slice(start, start + size);
      const source = search ? await search(batch, config.iterations.mineDepth, `${model.name}-mined`) : teacherSource(teacherRun, batch);
      const mined = minedBlocks(source, batch, split, base, config, o);
      mining = addReports(mining, mined.report);
      newPairs += mined.newPairs;
      if (mined.blocks.length === 0) continue;
      const scored = await scoreNewPairs(mined, carried, scorers, current, split, config);
      writer.append(scored.blocks);
      pairs += scored.blocks.reduce((a, b) => a + b.docIds.length, 0);
      for (const m of models) {
        scoredBy[m] = { scored: scoredBy[m].scored + scored.counts[m].scored, imputed: scoredBy[m].imputed + scored.counts[m].imputed };
      }
    }
  };
  let queries: number;
  try {
    if (fromStudent) await withStudentSearch(model, split, o.cacheDir, batches);
    else await batches();
  } finally {
    queries = writer.close();
  }
  const record: HarderDataRecord = { mining: mining!, queries, pairs, newPairs, searched: fromStudent ? split.collection.passages.size : 0, scoredBy };
  if (queries === 0) rmSync(o.path, { force: true });
  return { hard: queries > 0 ? { hardModels: models, hardBlocksFile: o.path } : { hardModels: models }, record };
}
