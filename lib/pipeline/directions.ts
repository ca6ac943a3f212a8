/**
 * The directions of an experiment. A config trains on `data.train` and tests on `data.test`; with
 * `data.reverse` it also trains on the test datasets and tests on the training ones (each direction
 * an experiment of its own: same rows, seeds and step store, its own held-out slice). Pooling joins
 * a system's per-query values over every direction's test queries, so the paired tests of both
 * directions together run over all of them (TREC DL: 43 + 54 = 97 queries).
 */
import type { ExperimentConfig } from '../config';
import type { QueryId } from '../data/types';

/** The experiment once per direction: as configured, then (with `data.reverse`) train and test swapped. */
export function directionsOf(experiment: ExperimentConfig): ExperimentConfig[] {
  // Each direction is itself a one-direction config, so its steps equal those of the same config written out by hand.
  const forward: ExperimentConfig = { ...experiment, data: { ...experiment.data, reverse: false } };
  if (!experiment.data.reverse) return [forward];
  return [forward, { ...forward, data: { ...forward.data, train: experiment.data.test, test: experiment.data.train } }];
}

/** "dl20 → dl19": what a direction trains on and tests on. */
export function directionLabel(direction: ExperimentConfig): string {
  return `${direction.data.train.join('+')} → ${direction.data.test.join('+')}`;
}

/** The dataset name of the pooled test set of these datasets ("dl19+dl20"). */
export function pooledName(datasets: readonly string[]): string {
  return datasets.join('+');
}

/** A per-query key of the pooled set: the query id under its dataset, since years may reuse ids. */
export function pooledQueryId(dataset: string, query: QueryId): QueryId {
  return `${dataset}/${query}`;
}

/** Per-query values of one system over several test sets, seed by seed. */
export interface PoolPart {
  readonly dataset: string;
  /** seed → query → measure → value */
  readonly perSeed: Record<string, Record<QueryId, Record<string, number>>>;
}

/**
 * Joins the parts' per-query values seed by seed (query ids prefixed by their dataset). Every part
 * must have the same seeds: a pooled mean over unequal seed sets would mix two experiments.
 */
export function poolPerSeed(parts: readonly PoolPart[]): Record<string, Record<QueryId, Record<string, number>>> {
  const seeds = Object.keys(parts[0]?.perSeed ?? {}).sort();
  for (const p of parts) {
    const mine = Object.keys(p.perSeed).sort();
    if (mine.join(',') !== seeds.join(',')) {
      throw new Error(`cannot pool ${parts.map((x) => x.dataset).join(' and ')}: ${p.dataset} has seeds ${mine.join(', ')}, ${parts[0].dataset} has ${seeds.join(', ')}`);
    }
  }
  const out: Record<string, Record<QueryId, Record<string, number>>> = {};
  for (const s of seeds) {
    const joined: Record<QueryId, Record<string, number>> = {};
    for (const p of parts) for (const [q, v] of Object.entries(p.perSeed[s])) joined[pooledQueryId(p.dataset, q)] = v;
    out[s] = joined;
  }
  return out;
}
