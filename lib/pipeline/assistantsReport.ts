/**
 * The assistants report of an experiment config (what `mta4dpr assistants` prints): the row's
 * training split and candidates, scored by its teacher and assistants, then compared with
 * lib/assistants' report (quality, distances to the teacher, fused vs individual).
 */
import { assistantsReport, buildScoreTable, missingPolicyOf, type AssistantsReport, type ScoreTableProgress } from '../assistants';
import type { ScoreTable } from '../assistants/types';
import { baseConfig, findRow, systemConfig, type ExperimentConfig } from '../config';
import { scorerFor } from './scorers';
import { disposeScorers } from '../assistants/scorers/create';
import { candidateSystems, loadSplit } from './splits';
import { withOfficialLayout } from '../data/officialLayout';
import { MapView } from '../data/mapView';

/** Options of {@link experimentAssistantsReport}. */
export interface ExperimentAssistantsOptions {
  /** The row whose teacher, assistants and choices are reported (default: the base config). */
  readonly row?: string;
  /** Folder for per-(scorer, query) score chunks; no cache when absent. */
  readonly cacheDir?: string;
  readonly onProgress?: (p: ScoreTableProgress) => void;
}

/** The report of one row (or the base config) on its training split. */
export async function experimentAssistantsReport(experiment: ExperimentConfig, opts: ExperimentAssistantsOptions = {}): Promise<AssistantsReport & { table: ScoreTable }> {
  const config = opts.row === undefined ? baseConfig(experiment) : systemConfig(experiment, findRow(experiment, opts.row));
  if (config.assistants.length === 0) throw new Error(`${config.name}: the assistants report needs at least one assistant`);
  const split = await loadSplit(config.data.train, candidateSystems(config), config.data.candidates.depth, withOfficialLayout(config.datasets, config.data.root));
  // A view, not a copy: a split's lists may be on disk (lib/data/storedCandidates.ts).
  const all = split.candidates.byQuery;
  const byQuery = new MapView(all, (l) => l, (q) => (all.get(q)?.length ?? 0) >= 2);
  const teacher = await scorerFor(config.teacher, split);
  const assistants = await Promise.all(config.assistants.map((a) => scorerFor(a, split)));
  let table: ScoreTable;
  try {
    table = await buildScoreTable({ teacher, assistants, queries: split.queries, candidates: { byQuery }, collection: split.collection }, { cacheDir: opts.cacheDir, onProgress: opts.onProgress });
  } finally {
    await disposeScorers([teacher, ...assistants]);
  }
  return assistantsReport({
    dataset: split.name, table, qrels: split.qrels, teacher: config.teacher.name, assistants: config.assistants.map((a) => a.name),
    view: { distribution: config.distribution, missing: missingPolicyOf(config.missing), fusion: config.fusion }, rboP: config.selection.rboP,
    queriesWithoutCandidates: [...split.queries.queries.keys()].filter((q) => !byQuery.has(q)),
  });
}
