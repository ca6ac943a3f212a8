/**
 * What `mta4dpr train --config C --row R` runs: one row of an experiment for one seed, through the
 * same stages as `reproduce` (candidates, scores, held-out slice, the method's iterations), into
 * its own folder — steps/ (resumable), manifest.json, summary.json, timings.json and the final
 * student in Hugging Face layout. summary.json holds results only (no wall-clock figures), so a
 * killed and resumed run writes it byte for byte as an uninterrupted one.
 */
import { join, resolve } from 'node:path';
import { findRow, systemConfig, type ExperimentConfig } from '../config';
import { writeJsonAtomic } from '../io';
import { exportStudent, loadStudentCheckpoint } from '../models';
import { DivergenceError, divergenceGuard } from '../train/trainer';
import type { ProgressMode } from '../train';
import { runMethod, timelessRecord, type IterationSummary } from './method';
import { buildCandidates, holdOut, loadTestSplits, sharedQueries } from './stages/candidates';
import { scoreCandidates } from './stages/score';
import { StepStore } from './steps';
import { directionsOf } from './directions';

/** Options of {@link trainRow}. */
export interface TrainRowOptions {
  readonly outDir: string;
  /** Default: the row's first seed. */
  readonly seed?: number;
  /** Overrides train.stepsPerIteration (the schedule follows). */
  readonly maxSteps?: number;
  readonly progress?: ProgressMode;
  readonly log?: (message: string) => void;
}

/** What a training run produced (also OUT/summary.json). */
export interface TrainRowSummary {
  readonly row: string;
  readonly seed: number;
  readonly trainSplit: string;
  readonly heldOutQueries: readonly string[];
  readonly iterations: readonly IterationSummary[];
  /** Held-out measures after the last iteration. */
  readonly heldOut: Record<string, number>;
  readonly finalModel: string;
}

/** Trains row `rowName` of `experiment` for one seed into `opts.outDir` (finished iterations are reused). */
export async function trainRow(configured: ExperimentConfig, rowName: string, opts: TrainRowOptions): Promise<TrainRowSummary> {
  // With data.reverse, `train` runs the configured direction (data.train → data.test), the same steps as reproduce's first.
  const experiment = directionsOf(configured)[0];
  const row = findRow(experiment, rowName);
  if (row.kind !== 'trained') throw new Error(`row '${rowName}' is a '${row.kind}' row; only 'trained' rows train`);
  let config = systemConfig(experiment, row);
  if (opts.maxSteps !== undefined) config = { ...config, train: { ...config.train, stepsPerIteration: opts.maxSteps } };
  const seed = opts.seed ?? config.seeds[0];
  const log = opts.log ?? (() => {});
  const outDir = resolve(opts.outDir);
  const store = new StepStore(outDir);
  const data = await buildCandidates(experiment);
  log(`train split ${data.train.name}: ${data.train.candidates.byQuery.size} queries with candidates`);
  const scored = await scoreCandidates(data, store, join(outDir, 'cache', 'scores'));
  const heldOut = holdOut(data.train, experiment);
  const tests = await loadTestSplits(experiment, data.train);
  let result;
  try {
    result = await runMethod(config, seed, {
      store, train: data.train, heldOut, testQueryIds: sharedQueries(data.train, tests), scored,
      cacheDir: join(outDir, 'cache', 'embeddings'), log, progress: opts.progress,
    });
  } catch (e) {
    // A diverged run says so in summary.json (step, reason, the guard in force) before it fails.
    if (e instanceof DivergenceError) {
      await writeJsonAtomic(join(outDir, 'summary.json'), {
        row: rowName, seed, diverged: { step: e.step, reason: e.reason, lastCheckpointStep: e.lastCheckpointStep ?? null },
        divergenceGuard: divergenceGuard(config.train.divergence),
      });
    }
    throw e;
  }
  const finalModel = join(outDir, 'final');
  const { model } = await loadStudentCheckpoint(result.modelDir);
  try {
    await exportStudent(finalModel, model);
  } finally {
    model.dispose();
  }
  await store.writeManifest({ config: experiment.name, row: rowName, seed }, store.used);
  const summary: TrainRowSummary = {
    row: rowName, seed, trainSplit: data.train.name, heldOutQueries: heldOut,
    iterations: result.iterations.map(timelessRecord),
    heldOut: result.iterations[result.iterations.length - 1].heldOut, finalModel,
  };
  await writeJsonAtomic(join(outDir, 'timings.json'), { iterations: result.iterations.map((i) => ({ iteration: i.iteration, seconds: i.seconds })) });
  await writeJsonAtomic(join(outDir, 'summary.json'), summary);
  return summary;
}
