/**
 * The training loop: seeded data order, combined loss, gradient accumulation, global-norm
 * clipping, AdamW with linear warm-up/decay, periodic evaluation with early stopping, metrics.jsonl,
 * progress, and checkpoints from which a killed run resumes exactly.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TrainableDualEncoder } from '../models/types';
import { toDistribution, type DistributionOptions } from '../assistants/distribution';
import { createHash } from 'node:crypto';
import { stableStringify } from '../io/hash';
import { AdamW } from './adamw';
import { clipScale, globalNorm } from './clip';
import { cachedVariableGrads } from './grad-cache';
import { combinedLoss, type CombinedLossOptions } from './losses/combined';
import type { TrainingGroup, TrainingGroupSource } from './groups';
import { MetricsLog } from './metrics-log';
import { createProgress, type ProgressMode } from './progress';
import { Rng } from '../random/rng';
import { linearWarmupDecay } from './schedule';
import {
  listCheckpoints, loadLatestCheckpoint, pruneCheckpoints, removeTempCheckpoints, restoreWeights, saveCheckpoint, writeModelWeights, type TrainerSidecar,
} from './checkpoint';

/** The assistant chosen for a batch and its scores, aligned with each group's passages. */
export interface SelectedTarget {
  readonly name: string;
  /** Raw scores per group (turned into distributions with `distribution`). */
  readonly scores: readonly Float64Array[];
  /** Ready distributions per group (e.g. the fused assistant); used as-is instead of `scores` when given. */
  readonly probs?: readonly Float64Array[];
}

/** Everything the trainer can be told; only `steps`, `batchSize`, `lr`, `loss` and `seed` are required. */
export interface TrainerOptions {
  /** Optimiser steps (each one consumes batchSize × accumulationSteps groups). */
  readonly steps: number;
  /** Query groups per forward pass (in-batch negatives and assistant selection are per such batch). */
  readonly batchSize: number;
  /** Forward passes whose gradients are averaged into one update (default 1). */
  readonly accumulationSteps?: number;
  /**
   * Texts per tower forward pass, through gradient caching (lib/train/grad-cache.ts): the same
   * update as the whole batch, with one chunk's activations in memory (default: the whole batch).
   */
  readonly embedChunk?: number;
  /** Peak learning rate. */
  readonly lr: number;
  /** Warm-up steps (default 10% of steps). */
  readonly warmupSteps?: number;
  readonly weightDecay?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Global gradient-norm clip (default 1; 0 or Infinity = off). */
  readonly maxGradNorm?: number;
  readonly loss: CombinedLossOptions;
  /** Score → distribution for teacher and assistant targets (default z-score, softmax(z/0.5)). */
  readonly distribution?: DistributionOptions;
  /**
   * Per-batch assistant selection; required when loss.gamma > 0. `rng` is the trainer's selection
   * generator, saved in every checkpoint, so a random selection continues exactly after a resume.
   */
  readonly selectTarget?: (batch: readonly TrainingGroup[], rng: Rng) => SelectedTarget;
  /** Seed of the data order. */
  readonly seed: number;
  /** Seed of the generator handed to selectTarget (default: seed). */
  readonly selectionSeed?: number;
  /** When to stop a run that explodes without (yet) becoming NaN; see {@link DivergenceGuard}. */
  readonly divergence?: Partial<DivergenceGuard>;
  /** Where checkpoints/, metrics.jsonl and final/ go; without it nothing is written. */
  readonly outDir?: string;
  /** Checkpoint every N steps (default: only at the end); always one at the end when outDir is set. */
  readonly checkpointEvery?: number;
  /** Checkpoints kept on disk (default 2). */
  readonly keepCheckpoints?: number;
  /** Continue from the newest checkpoint in outDir (fresh start when there is none). */
  readonly resume?: boolean;
  /** Held-out evaluation, e.g. nDCG@10 over a query slice. */
  readonly evaluate?: (model: TrainableDualEncoder) => Promise<Record<string, number>>;
  /** Evaluate every N steps (default: only at the end when `evaluate` is set). */
  readonly evaluateEvery?: number;
  /** Stop when `metric` has not improved by minDelta for `patience` evaluations. */
  readonly earlyStopping?: { readonly metric: string; readonly patience: number; readonly mode?: 'max' | 'min'; readonly minDelta?: number };
  /** Write a metrics line every N steps (default 1). */
  readonly logEvery?: number;
  readonly progress?: ProgressMode;
  /** Called after every step (after logging, before checkpointing). */
  readonly onStep?: (record: StepRecord) => void | Promise<void>;
}

/** Thresholds of the divergence guard (checked after every optimiser step). */
export interface DivergenceGuard {
  /** Stop when a step's loss exceeds this (default 1e4; Infinity = off). */
  readonly maxLoss: number;
  /** Stop when the weights' global L2 norm grows beyond this factor of its step-0 value (default 100; Infinity = off). */
  readonly maxWeightNormGrowth: number;
}

/** The defaults: far beyond any healthy run of the losses here (≲ 50), far below float overflow. */
export const DEFAULT_DIVERGENCE_GUARD: DivergenceGuard = { maxLoss: 1e4, maxWeightNormGrowth: 100 };

/** The guard in force: the defaults with a config's bounds over them. */
export function divergenceGuard(partial: Partial<DivergenceGuard> = {}): DivergenceGuard {
  return { ...DEFAULT_DIVERGENCE_GUARD, ...partial };
}

/** One line of metrics.jsonl for a training step. */
export interface StepRecord {
  readonly step: number;
  readonly loss: number;
  readonly contrastive?: number;
  readonly teacherKl?: number;
  readonly assistantKl?: number;
  readonly lr: number;
  readonly gradNorm: number;
  readonly assistant?: string;
  readonly examplesPerSec: number;
  readonly tensors: number;
  readonly epoch: number;
}

/** What {@link train} returns. */
export interface TrainResult {
  readonly steps: number;
  readonly resumedFrom?: number;
  readonly stoppedEarly: boolean;
  readonly lastRecord?: StepRecord;
  readonly evaluations: ReadonlyArray<{ step: number; metrics: Record<string, number> }>;
  readonly best?: { step: number; value: number };
  /** How often each assistant was selected over the whole run (restored from the checkpoint on resume). */
  readonly assistantCounts: Record<string, number>;
  readonly checkpointDir?: string;
  /** The divergence guard this run trained under. */
  readonly divergenceGuard: DivergenceGuard;
}

/** Training diverged (the loss or weights exploded): it stops; the last good checkpoint is kept. */
export class DivergenceError extends Error {
  constructor(readonly step: number, readonly reason: string, readonly lastCheckpointStep: number | undefined) {
    super(`training diverged at step ${step}: ${reason}; ` +
      (lastCheckpointStep !== undefined ? `the last good checkpoint is step ${lastCheckpointStep}` : 'no checkpoint was written'));
    this.name = 'DivergenceError';
  }
}

/** The loss or gradient became NaN/±Infinity (a {@link DivergenceError}). */
export class NonFiniteLossError extends DivergenceError {
  constructor(step: number, what: string, lastCheckpointStep: number | undefined) {
    super(step, `${what} is not finite`, lastCheckpointStep);
    this.name = 'NonFiniteLossError';
  }
}

/**
 * Checks the options and every group (one pass, each group built once when the source builds them
 * on access); returns the passages per group and the resume fingerprint: the options, each group's
 * query, size and passages, and the variables' shapes, which must be identical for a resume to
 * continue the same run.
 */
function validate(groups: TrainingGroupSource, o: TrainerOptions, variables: readonly tf.Variable[]): { n: number; fingerprint: string } {
  const positiveInt = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new Error(`train: ${name} must be a positive integer, got ${v}`);
  };
  positiveInt('steps', o.steps);
  positiveInt('batchSize', o.batchSize);
  positiveInt('accumulationSteps', o.accumulationSteps);
  positiveInt('embedChunk', o.embedChunk);
  positiveInt('checkpointEvery', o.checkpointEvery);
  positiveInt('evaluateEvery', o.evaluateEvery);
  positiveInt('logEvery', o.logEvery);
  if (!(o.lr > 0)) throw new Error(`train: lr must be > 0, got ${o.lr}`);
  if (groups.length < o.batchSize) throw new Error(`train: ${groups.length} groups, fewer than one batch of ${o.batchSize}`);
  if (o.loss.gamma > 0 && !o.selectTarget) throw new Error('train: loss.gamma > 0 needs selectTarget (the per-batch assistant selection)');
  if (o.resume && !o.outDir) throw new Error('train: resume needs outDir');
  for (const [k, v] of Object.entries(o.divergence ?? {})) {
    if (!(typeof v === 'number' && v > 0)) throw new Error(`train: divergence.${k} must be a number > 0 (Infinity = off), got ${v}`);
  }
  const { steps, batchSize, accumulationSteps, lr, warmupSteps, weightDecay, beta1, beta2, epsilon, maxGradNorm, loss, distribution, seed } = o;
  // The digest sha256(options, [[query, size, docIds] per group], shapes) fed group by group: the same bytes as the whole array's JSON, never held.
  const h = createHash('sha256');
  h.update(stableStringify({ steps, batchSize, accumulationSteps, lr, warmupSteps, weightDecay, beta1, beta2, epsilon, maxGradNorm, loss, distribution, seed }));
  h.update('\u0000[');
  const n = groups.at(0)!.passages.length;
  for (let i = 0; i < groups.length; i++) {
    const g = groups.at(i)!;
    if (g.passages.length !== n || g.teacher.length !== n) throw new Error(`train: group ${i} (query ${g.queryId}) has ${g.passages.length} passages / ${g.teacher.length} teacher scores, expected ${n}`);
    h.update(`${i > 0 ? ',' : ''}${stableStringify([g.queryId, g.passages.length, g.docIds])}`);
  }
  h.update(']\u0000');
  h.update(stableStringify(variables.map((v) => v.shape)));
  h.update('\u0000');
  return { n, fingerprint: h.digest('hex') };
}

function probsTensor(rows: readonly ArrayLike<number>[], n: number, dist: DistributionOptions | undefined, what: string, batch: readonly TrainingGroup[], ready = false): tf.Tensor2D {
  if (rows.length !== batch.length) throw new Error(`train: ${rows.length} ${what} rows for a batch of ${batch.length}`);
  const flat = new Float32Array(rows.length * n);
  rows.forEach((r, b) => {
    if (r.length !== n) throw new Error(`train: ${what} scores of query ${batch[b].queryId} have ${r.length} values, expected ${n}`);
    try {
      if (ready && !Array.from(r).every((x) => Number.isFinite(x) && x >= 0)) throw new Error('not a probability distribution');
      flat.set(ready ? r : toDistribution(r, dist), b * n);
    } catch (e) {
      throw new Error(`train: ${what} scores of query ${batch[b].queryId}: ${(e as Error).message}`);
    }
  });
  return tf.tensor2d(flat, [rows.length, n]);
}

/** Trains `model` in place on `groups` (an array, or a list that builds each batch's groups when drawn); see {@link TrainerOptions}. */
export async function train(model: TrainableDualEncoder, groups: TrainingGroupSource, options: TrainerOptions): Promise<TrainResult> {
  const variables = model.trainableVariables();
  const { n, fingerprint: print } = validate(groups, options, variables);
  const accumulation = options.accumulationSteps ?? 1;
  const total = options.steps;
  const warmup = options.warmupSteps ?? Math.round(total * 0.1);
  const maxGradNorm = options.maxGradNorm ?? 1;
  const logEvery = options.logEvery ?? 1;
  const lossFn = combinedLoss(options.loss);
  const optimizer = new AdamW(variables, { beta1: options.beta1, beta2: options.beta2, epsilon: options.epsilon, weightDecay: options.weightDecay });
  const ckptRoot = options.outDir ? join(options.outDir, 'checkpoints') : undefined;
  const metrics = options.outDir ? new MetricsLog(join(options.outDir, 'metrics.jsonl')) : undefined;

  let rng = new Rng(options.seed);
  let selectionRng = new Rng(options.selectionSeed ?? options.seed);
  const guard = divergenceGuard(options.divergence);
  const assistantCounts: Record<string, number> = {};
  let initialNorm: number | undefined;
  let zeroStart = false;
  let order: number[] = [];
  let position = 0;
  let epoch = 0;
  let step = 0;
  let resumedFrom: number | undefined;
  const evaluations: Array<{ step: number; metrics: Record<string, number> }> = [];
  let best: { step: number; value: number } | undefined;
  let evalsWithoutImprovement = 0;

  // Temp folders of checkpoint writes a killed process left behind (this process holds the output).
  if (ckptRoot) await removeTempCheckpoints(ckptRoot);
  if (options.resume && ckptRoot) {
    const ck = loadLatestCheckpoint(ckptRoot);
    if (ck) {
      if (ck.sidecar.fingerprint !== print) throw new Error(`${ck.dir}: checkpoint was written with other training options or data; refusing to resume`);
      restoreWeights(variables, ck.params, ck.dir);
      optimizer.setState({ step: ck.sidecar.optimizerStep, tensors: ck.optimizer });
      rng = Rng.fromState(ck.sidecar.rngState);
      selectionRng = Rng.fromState(ck.sidecar.selectionRngState);
      Object.assign(assistantCounts, ck.sidecar.assistantCounts);
      initialNorm = ck.sidecar.initialWeightNorm;
      zeroStart = ck.sidecar.zeroStart ?? false;
      order = [...ck.sidecar.order];
      ({ position, epoch, step } = ck.sidecar);
      evaluations.push(...ck.sidecar.evaluations);
      best = ck.sidecar.best;
      evalsWithoutImprovement = ck.sidecar.evalsWithoutImprovement;
      resumedFrom = step;
      metrics?.truncateAfter(step);
    }
  }
  if (resumedFrom === undefined && ckptRoot && listCheckpoints(ckptRoot).length > 0) {
    // A fresh run must not mix its checkpoints with another run's.
    throw new Error(`train: ${ckptRoot} already holds checkpoints; pass resume to continue that run, or use another outDir`);
  }
  if (resumedFrom === undefined) metrics?.reset();
  initialNorm ??= await globalNorm(variables);

  const nextBatch = (): TrainingGroup[] => {
    const out: TrainingGroup[] = [];
    while (out.length < options.batchSize) {
      if (position >= order.length) {
        order = rng.permutation(groups.length);
        position = 0;
        epoch += 1;
      }
      out.push(groups.at(order[position++])!);
    }
    return out;
  };

  let lastCheckpoint = resumedFrom;
  const checkpoint = async () => {
    if (!ckptRoot) return;
    const state = optimizer.getState();
    try {
      const sidecar: TrainerSidecar = {
        format: 'mta4dpr-train-checkpoint', version: 2, step, optimizerStep: state.step, order, position, epoch,
        rngState: rng.state, selectionRngState: selectionRng.state, assistantCounts: { ...assistantCounts }, initialWeightNorm: initialNorm!, zeroStart,
        variables: variables.map((v) => ({ name: v.name, shape: v.shape })), fingerprint: print,
        evaluations, best, evalsWithoutImprovement,
      };
      await saveCheckpoint(ckptRoot, variables, state.tensors, sidecar);
    } finally {
      for (const t of Object.values(state.tensors)) t.dispose();
    }
    lastCheckpoint = step;
    await pruneCheckpoints(ckptRoot, options.keepCheckpoints ?? 2);
  };

  const progress = createProgress(options.progress ?? 'auto', total, step);
  let lastRecord: StepRecord | undefined;
  let stoppedEarly = false;
  try {
    while (step < total && !stoppedEarly) {
      const t0 = Date.now();
      let acc: Array<tf.Tensor | undefined> = variables.map(() => undefined);
      const sums = { loss: 0, contrastive: 0, teacherKl: 0, assistantKl: 0 };
      let assistant: string | undefined;
      for (let k = 0; k < accumulation; k++) {
        const batch = nextBatch();
        const target = options.loss.gamma > 0 ? options.selectTarget!(batch, selectionRng) : undefined;
        if (target) {
          assistant = target.name;
          assistantCounts[target.name] = (assistantCounts[target.name] ?? 0) + 1;
        }
        const q = model.tokenize(batch.map((g) => g.query), 'query');
        const p = model.tokenize(batch.flatMap((g) => g.passages), 'passage');
        const teacherProbs = options.loss.beta > 0 ? probsTensor(batch.map((g) => g.teacher), n, options.distribution, 'teacher', batch) : undefined;
        const assistantProbs = target
          ? probsTensor(target.probs ?? target.scores, n, options.distribution, `assistant ${target.name}`, batch, target.probs !== undefined)
          : undefined;
        const kept: Record<string, tf.Scalar | undefined> = {};
        let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
        try {
          const lossOf = (queryEmb: tf.Tensor2D, passageEmb: tf.Tensor2D): tf.Scalar => {
            const parts = lossFn({ queryEmb, passageEmb, teacherProbs, assistantProbs });
            kept.contrastive = parts.contrastive && tf.keep(parts.contrastive);
            kept.teacherKl = parts.teacherKl && tf.keep(parts.teacherKl);
            kept.assistantKl = parts.assistantKl && tf.keep(parts.assistantKl);
            return tf.div(parts.total, accumulation) as tf.Scalar;
          };
          result = options.embedChunk
            ? cachedVariableGrads(model, q, p, lossOf, variables, options.embedChunk)
            : tf.variableGrads(() => lossOf(model.embed(q, 'query', true), model.embed(p, 'passage', true)), variables);
        } finally {
          for (const t of [q.inputIds, q.attentionMask, p.inputIds, p.attentionMask, teacherProbs, assistantProbs]) t?.dispose();
        }
        // Async reads: device backends (webgpu) cannot read synchronously in Node.
        const value = (await result.value.data())[0] * accumulation;
        result.value.dispose();
        for (const key of ['contrastive', 'teacherKl', 'assistantKl'] as const) {
          const t = kept[key];
          if (t) {
            sums[key] += (await t.data())[0] / accumulation;
            t.dispose();
          }
        }
        sums.loss += value / accumulation;
        const grads = variables.map((v) => result.grads[v.name]);
        if (!Number.isFinite(value)) {
          for (const g of [...grads, ...acc]) g?.dispose();
          throw new NonFiniteLossError(step + 1, `the loss (${value})`, lastCheckpoint);
        }
        acc = acc.map((a, i) => {
          const g = grads[i];
          if (!a) return g;
          if (!g) return a;
          const s = tf.add(a, g);
          a.dispose();
          g.dispose();
          return s;
        });
      }
      // The clipping factor goes into the update: no scaled copy of every gradient.
      const clipped = await clipScale(acc, maxGradNorm);
      if (!Number.isFinite(clipped.norm)) {
        for (const g of acc) g?.dispose();
        throw new NonFiniteLossError(step + 1, `the gradient norm (${clipped.norm})`, lastCheckpoint);
      }
      const lr = linearWarmupDecay(step + 1, { lr: options.lr, warmupSteps: warmup, totalSteps: total });
      optimizer.apply(acc, lr, clipped.scale);
      for (const g of acc) g?.dispose();
      step += 1;
      // Explosions short of NaN (lr 1e6: weights at 1e28, loss finite) stop the run before a checkpoint keeps them.
      if (sums.loss > guard.maxLoss) throw new DivergenceError(step, `the loss ${sums.loss.toExponential(3)} exceeds divergence.maxLoss ${guard.maxLoss}`, lastCheckpoint);
      if (Number.isFinite(guard.maxWeightNormGrowth)) {
        const norm = await globalNorm(variables);
        if (!Number.isFinite(norm)) throw new NonFiniteLossError(step, `the weight norm (${norm})`, lastCheckpoint);
        // A zero-initialised model (the hashed lexical student) has no step-0 scale: its reference is
        // the first step's norm times the steps taken, since bounded (Adam) updates from zero grow the
        // norm linearly at most; without the step factor healthy training trips the guard by step 20.
        if (!(initialNorm! > 0)) { initialNorm = norm; zeroStart = true; }
        else {
          const reference = zeroStart ? initialNorm! * step : initialNorm!;
          if (norm > guard.maxWeightNormGrowth * reference) {
            throw new DivergenceError(step, `the weight norm grew from ${reference.toExponential(3)} (reference${zeroStart ? `: the first step's norm × ${step} steps` : ''}) to ${norm.toExponential(3)}, beyond divergence.maxWeightNormGrowth ×${guard.maxWeightNormGrowth}`, lastCheckpoint);
          }
        }
      }

      const seconds = Math.max(1e-3, (Date.now() - t0) / 1000);
      const record: StepRecord = {
        step, loss: sums.loss,
        ...(options.loss.alpha > 0 ? { contrastive: sums.contrastive } : {}),
        ...(options.loss.beta > 0 ? { teacherKl: sums.teacherKl } : {}),
        ...(options.loss.gamma > 0 ? { assistantKl: sums.assistantKl } : {}),
        lr, gradNorm: clipped.norm, ...(assistant ? { assistant } : {}),
        examplesPerSec: (options.batchSize * accumulation) / seconds, tensors: tf.memory().numTensors, epoch,
      };
      lastRecord = record;
      if (metrics && (step % logEvery === 0 || step === total)) metrics.append({ ...record });
      progress.update(record);
      await options.onStep?.(record);

      const evalNow = options.evaluate && (options.evaluateEvery ? step % options.evaluateEvery === 0 || step === total : step === total);
      if (evalNow) {
        const m = await options.evaluate!(model);
        evaluations.push({ step, metrics: m });
        metrics?.append({ step, eval: m });
        const es = options.earlyStopping;
        if (es) {
          const v = m[es.metric];
          if (typeof v !== 'number') throw new Error(`train: evaluate() returned no '${es.metric}' (got ${Object.keys(m).join(', ')})`);
          const better = !best || ((es.mode ?? 'max') === 'max' ? v > best.value + (es.minDelta ?? 0) : v < best.value - (es.minDelta ?? 0));
          if (better) {
            best = { step, value: v };
            evalsWithoutImprovement = 0;
            if (options.outDir) await writeModelWeights(join(options.outDir, 'best', 'model.safetensors'), variables);
          } else if (++evalsWithoutImprovement >= es.patience) {
            stoppedEarly = true;
          }
        }
      }
      if (options.checkpointEvery && step % options.checkpointEvery === 0 && step < total && !stoppedEarly) await checkpoint();
    }
    if (lastCheckpoint !== step) await checkpoint();
  } finally {
    progress.stop();
    optimizer.dispose();
  }
  return { steps: step, resumedFrom, stoppedEarly, lastRecord, evaluations, best, assistantCounts: { ...assistantCounts }, checkpointDir: ckptRoot, divergenceGuard: guard };
}
