/**
 * Adapter from lib/assistants' per-batch selection to the trainer's `selectTarget` hook: for each
 * batch, compare every assistant (and the fused assistant) with the teacher over the batch's groups
 * and hand the chosen one's targets to the loss.
 */
import type { DistributionOptions } from '../assistants/distribution';
import { toDistribution } from '../assistants/distribution';
import { fuseDistributions, type FusionOptions } from '../assistants/fusion';
import { selectAssistant, type SelectionOptions } from '../assistants/selection';
import type { Rng } from '../random/rng';
import type { TrainingGroup } from './groups';
import type { SelectedTarget } from './trainer';

/** Options of {@link assistantSelector}. */
export interface AssistantSelectorOptions {
  /** Assistants to choose from (default: every assistant of the groups). */
  readonly assistants?: readonly string[];
  /** Also offer the fused assistant, named 'fused' (default true). */
  readonly fused?: boolean;
  readonly fusion?: FusionOptions;
  readonly distribution?: DistributionOptions;
  readonly selection?: SelectionOptions;
}

/**
 * Returns a `selectTarget` for {@link train}: argmin KL to the teacher by default (see lib/assistants/selection).
 * A random selection draws from the trainer's checkpointed generator unless `selection.rng` is given.
 */
export function assistantSelector(options: AssistantSelectorOptions = {}): (batch: readonly TrainingGroup[], rng?: Rng) => SelectedTarget {
  const withFused = options.fused ?? true;
  return (batch, rng) => {
    const names = options.assistants ?? Object.keys(batch[0].assistants);
    if (names.length === 0) throw new Error('assistantSelector: the training groups carry no assistant scores');
    const fused = withFused ? batch.map((g) => fuseDistributions(names.map((n) => g.assistants[n]), { distribution: options.distribution, ...options.fusion })) : [];
    const queries = batch.map((g, b) => {
      const candidates: Record<string, Float64Array> = {};
      for (const n of names) {
        const s = g.assistants[n];
        if (!s) throw new Error(`assistantSelector: query ${g.queryId} has no scores from assistant '${n}'`);
        candidates[n] = toDistribution(s, options.distribution);
      }
      if (withFused) candidates.fused = fused[b];
      return { teacher: toDistribution(g.teacher, options.distribution), candidates };
    });
    const selection = rng && !options.selection?.rng ? { ...options.selection, rng: () => rng.next() } : options.selection;
    const { chosen } = selectAssistant(queries, selection);
    if (chosen === 'fused') return { name: 'fused', scores: fused, probs: fused };
    return { name: chosen, scores: batch.map((g) => g.assistants[chosen]) };
  };
}
