/**
 * The MTA4DPR training objective: labels (contrastive) + teacher KD + selected-assistant KD.
 * Each part is returned separately so the trainer can log it.
 */
import * as tf from '@tensorflow/tfjs';
import { contrastive } from './contrastive';
import { groupScores } from './group-scores';
import { listwiseKl } from './listwise-kl';

/** Loss weights and temperatures; γ = 0 is the paper's "w/o assistants" ablation. */
export interface CombinedLossOptions {
  /** α: weight of the contrastive (labels, in-batch + hard negatives) part. */
  readonly alpha: number;
  /** β: weight of KL(P_T ‖ P_S). */
  readonly beta: number;
  /** γ: weight of KL(P_A* ‖ P_S), A* the assistant selected for the batch. */
  readonly gamma: number;
  /** τ_S of the student's softmax in both KL terms (default 1). */
  readonly studentTemperature?: number;
  /** τ of the contrastive softmax (default 1). */
  readonly contrastiveTemperature?: number;
  /** In-batch negatives in the contrastive part (default true). */
  readonly inBatchNegatives?: boolean;
}

/** What the combined loss needs for one batch of B query groups of n passages (positive first). */
export interface CombinedLossInputs {
  readonly queryEmb: tf.Tensor2D;
  readonly passageEmb: tf.Tensor2D;
  /** P_T [B, n] (constant); required when β > 0. */
  readonly teacherProbs?: tf.Tensor2D;
  /** P_A* [B, n] (constant); required when γ > 0. */
  readonly assistantProbs?: tf.Tensor2D;
}

/** The weighted total and its (unweighted) parts; parts with weight 0 are not computed. */
export interface LossParts {
  readonly total: tf.Scalar;
  readonly contrastive?: tf.Scalar;
  readonly teacherKl?: tf.Scalar;
  readonly assistantKl?: tf.Scalar;
}

/**
 * Returns L = α · contrastive + β · KL(P_T ‖ softmax(s/τ_S)) + γ · KL(P_A* ‖ softmax(s/τ_S)),
 * with s_bj = q_b · p_bj the student's scores of each query's own group (positive at column 0).
 */
export function combinedLoss(options: CombinedLossOptions): (inputs: CombinedLossInputs) => LossParts {
  const { alpha, beta, gamma } = options;
  for (const [k, v] of Object.entries({ alpha, beta, gamma })) {
    if (!(Number.isFinite(v) && v >= 0)) throw new Error(`combinedLoss: ${k} must be a finite number ≥ 0, got ${v}`);
  }
  if (alpha + beta + gamma === 0) throw new Error('combinedLoss: all weights are 0');
  const klOptions = { studentTemperature: options.studentTemperature };
  return (inputs) => {
    if (beta > 0 && !inputs.teacherProbs) throw new Error('combinedLoss: β > 0 needs teacherProbs');
    if (gamma > 0 && !inputs.assistantProbs) throw new Error('combinedLoss: γ > 0 needs assistantProbs');
    const parts: { contrastive?: tf.Scalar; teacherKl?: tf.Scalar; assistantKl?: tf.Scalar } = {};
    const scores = beta > 0 || gamma > 0 ? groupScores(inputs.queryEmb, inputs.passageEmb) : undefined;
    if (alpha > 0) {
      parts.contrastive = contrastive(inputs.queryEmb, inputs.passageEmb, undefined, {
        temperature: options.contrastiveTemperature,
        inBatchNegatives: options.inBatchNegatives,
      });
    }
    if (scores && beta > 0) parts.teacherKl = listwiseKl(scores, inputs.teacherProbs!, klOptions);
    if (scores && gamma > 0) parts.assistantKl = listwiseKl(scores, inputs.assistantProbs!, klOptions);
    scores?.dispose();
    const terms: tf.Scalar[] = [];
    const weighted = tf.tidy(() => {
      if (parts.contrastive) terms.push(tf.mul(parts.contrastive, alpha));
      if (parts.teacherKl) terms.push(tf.mul(parts.teacherKl, beta));
      if (parts.assistantKl) terms.push(tf.mul(parts.assistantKl, gamma));
      return tf.addN(terms) as tf.Scalar;
    });
    return { total: weighted, ...parts };
  };
}
