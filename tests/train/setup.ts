/** Shared trainer-test setup: fixture groups, the tiny encoder and default trainer options. */
import * as tf from '@tensorflow/tfjs';
import { buildTrainingGroups, type TrainingGroup } from '../../lib/train/groups';
import type { TrainerOptions } from '../../lib/train/trainer';
import { makeFixture } from './fixture';

/** 12 groups of 1 positive + 3 negatives. */
export function tinyGroups(): TrainingGroup[] {
  const fx = makeFixture();
  return buildTrainingGroups(fx.table, fx.queries, fx.collection, fx.qrels, { negatives: 3, seed: 5 }).groups;
}

/** Options of the reference tiny run (checkpointing and output set by each test). */
export function tinyOptions(extra: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    steps: 30,
    batchSize: 3,
    lr: 0.05,
    warmupSteps: 3,
    loss: { alpha: 1, beta: 1, gamma: 0.5 },
    selectTarget: (batch) => ({ name: 'overlap', scores: batch.map((g) => g.assistants.overlap) }),
    seed: 11,
    progress: 'none',
    ...extra,
  };
}

/** All variables' values, flattened. */
export function weights(vars: tf.Variable[]): number[] {
  return vars.flatMap((v) => Array.from(v.dataSync()));
}
