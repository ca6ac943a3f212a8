/**
 * Stage "select per batch" — THE place to read or change per-batch selection. The paper: "for
 * every training batch the best assistant is chosen with KL divergence, Spearman's footrule or
 * rank-biased overlap against the teacher" (docs/method.md "selection"). The candidates are the
 * current pool's assistants and the fused assistant; config.selection picks the measure (kl,
 * footrule, rbo, fixed, random). The measures themselves are lib/assistants/selection.ts.
 */
import type { MethodConfig } from '../../config';
import { assistantSelector, type TrainingGroup } from '../../train';
import type { SelectedTarget } from '../../train/trainer';
import type { PoolEntry } from './state';

/** The trainer's per-batch target: which assistant a batch distils from. */
export type BatchSelector = (batch: readonly TrainingGroup[]) => SelectedTarget;

/**
 * The selector of iteration `iteration` for `seed`, over the pool's assistants (and the fused one);
 * undefined when the assistants' loss term is off (γ = 0) or the pool is empty.
 */
export function perBatchSelector(config: MethodConfig, pool: readonly PoolEntry[], seed: number, iteration: number): BatchSelector | undefined {
  const names = pool.map((p) => p.name);
  if (config.loss.gamma === 0 || names.length === 0) return undefined;
  const sel = config.selection;
  // "Fused only" ablation: no individual assistant to choose from, so the fused one every batch.
  const fusedOnly = !sel.includeIndividual;
  return assistantSelector({
    assistants: names, fused: sel.includeFused || fusedOnly, distribution: config.distribution,
    fusion: { method: config.fusion.method, rrfK: config.fusion.rrfK, weights: config.fusion.weights },
    selection: fusedOnly
      ? { measure: 'fixed', fixed: 'fused' }
      : { measure: sel.measure, fixed: sel.fixed, rboP: sel.rboP },
  });
}
