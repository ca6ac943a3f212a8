/**
 * Stage "train": the student learns from the labels, the teacher and the per-batch assistant,
 * "α·contrastive + β·KL(P_T ‖ P_S) + γ·KL(P_A* ‖ P_S)" (docs/method.md "loss"), with checkpoints so
 * a killed iteration resumes at its last one. The loop itself is lib/train's trainer.
 */
import type { MethodConfig } from '../../config';
import type { StudentModel } from '../../models';
import { train, type ProgressMode, type TrainingGroupSource, type TrainResult } from '../../train';
import type { BatchSelector } from './select';

/** Where and how one iteration trains. */
export interface TrainStageOptions {
  readonly outDir: string;
  readonly seed: number;
  readonly iteration: number;
  readonly progress?: ProgressMode;
}

/** Trains `model` in place for the configured steps of one iteration. */
export function trainStudent(model: StudentModel, groups: TrainingGroupSource, config: MethodConfig, selector: BatchSelector | undefined, o: TrainStageOptions): Promise<TrainResult> {
  const t = config.train;
  return train(model, groups, {
    steps: t.stepsPerIteration, batchSize: t.batchSize, accumulationSteps: t.accumulation, embedChunk: t.embedChunk,
    divergence: t.divergence,
    lr: t.lr, warmupSteps: Math.round(t.warmupFraction * t.stepsPerIteration),
    weightDecay: t.weightDecay, maxGradNorm: t.clipNorm,
    loss: { alpha: config.loss.alpha, beta: config.loss.beta, gamma: config.loss.gamma, studentTemperature: config.loss.studentTemperature, contrastiveTemperature: config.loss.contrastiveTemperature },
    distribution: config.distribution,
    selectTarget: selector,
    // The random-selection stream lives in the trainer's checkpoints, so a resumed run draws the same.
    selectionSeed: o.seed * 7919 + o.iteration,
    seed: o.seed * 1000 + o.iteration, outDir: o.outDir, checkpointEvery: t.checkpointEvery ?? Math.max(10, Math.round(t.stepsPerIteration / 4)),
    resume: true, progress: o.progress,
  });
}
