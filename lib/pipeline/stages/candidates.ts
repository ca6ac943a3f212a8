/**
 * Stage "build candidates" (docs/method.md "candidates"): the training split with each query's
 * candidate list (union of the teacher's and assistants' top-`depth`), the held-out slice of its
 * labelled queries, and the test splits (never used for training or replacement).
 */
import { baseConfig, systemConfig, type ExperimentConfig, type ModelRef } from '../../config';
import type { QueryId } from '../../data/types';
import { Rng } from '../../random/rng';
import { allModels } from '../scorers';
import { candidateSystems, labelledQueries, loadSplit, type Split } from '../splits';
import { withOfficialLayout } from '../../data/officialLayout';
import { checkDataRoot } from '../validate';

/** The training data every row shares. */
export interface TrainingCandidates {
  readonly train: Split;
  /** Teacher and every assistant any row uses. */
  readonly models: { readonly teacher: ModelRef; readonly assistants: readonly ModelRef[] };
  /** Systems whose runs gave the candidates. */
  readonly systems: readonly string[];
}

/**
 * Builds the training split and its candidate lists from the whole experiment (base config and
 * every row), so a row trains on the same candidates whichever subset of rows runs.
 */
export async function buildCandidates(experiment: ExperimentConfig): Promise<TrainingCandidates> {
  checkDataRoot(experiment);
  const every = [baseConfig(experiment), ...experiment.systems.map((s) => systemConfig(experiment, s))];
  const models = allModels(every);
  const wanted = [...new Set(every.flatMap((c) => candidateSystems(c)))];
  // No model has a run (model folders only): every run the data has, as for a test split.
  const all = wanted.length === 0;
  const train = await loadSplit(experiment.data.train, all ? 'all' : wanted, experiment.data.candidates.depth, withOfficialLayout(experiment.datasets, experiment.data.root));
  if (train.candidates.byQuery.size === 0) {
    throw new Error(`training split ${train.name}: no query has candidates (runs ${[...train.runs.keys()].join(', ') || 'none'}); list runs with candidate lists in data.candidates.runs`);
  }
  return { train, models, systems: all ? [...train.runs.keys()] : wanted };
}

/**
 * The held-out slice: "the student replaces the worst assistant when better on a held-out slice of
 * the training queries (never on the test set)" (docs/method.md): a seeded sample of the labelled
 * training queries.
 */
export function holdOut(train: Split, experiment: ExperimentConfig): QueryId[] {
  const labelled = labelledQueries(train, experiment.eval.relLevel);
  const n = Math.max(1, Math.round(experiment.data.heldOut.fraction * labelled.length));
  return new Rng(experiment.data.heldOut.seed).sample(labelled, n).sort();
}

/**
 * Test queries that are training queries too, as ids of the training split: the same id with the
 * same text. An id alone does not name one query across files — DPR numbers each file's questions
 * from 0, so NQ train question 3 and NQ test question 3 are different questions.
 */
export function sharedQueries(train: Split, tests: readonly Split[]): QueryId[] {
  const out = new Set<QueryId>();
  for (const t of tests) {
    for (const [id, q] of t.queries.queries) if (train.queries.queries.get(id)?.text === q.text) out.add(id);
  }
  return [...out];
}

/** The test splits; refuses to run when a test query is also a training query. */
export async function loadTestSplits(experiment: ExperimentConfig, train: Split): Promise<Split[]> {
  const tests: Split[] = [];
  for (const name of experiment.data.test) tests.push(await loadSplit([name], 'all', experiment.data.candidates.testDepth, withOfficialLayout(experiment.datasets, experiment.data.root)));
  const leak = sharedQueries(train, tests);
  if (leak.length > 0) throw new Error(`test queries appear in the training split (${leak.slice(0, 5).join(', ')}): refusing to run`);
  return tests;
}
