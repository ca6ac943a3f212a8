/**
 * Per-batch assistant selection: for each training batch, the candidate (each assistant and the
 * fused one) whose distributions are closest to the teacher's over the batch's queries.
 */
import { klDivergence } from './divergence';
import { footruleOfScores, rankBiasedOverlap, rankingOf } from './rankCompare';
import { seededRng, type RandomFn } from './random';

/** Selection measure: KL / footrule (lower better), RBO (higher better), or an ablation. */
export type { SelectionMeasure } from '../config/enums';
import type { SelectionMeasure } from '../config/enums';

/** One query of a batch: the teacher's distribution and each candidate's, over the same candidates. */
export interface SelectionQuery {
  readonly teacher: ArrayLike<number>;
  readonly candidates: Readonly<Record<string, ArrayLike<number>>>;
}

/** Options of {@link selectAssistant}; `fixed` names the candidate, `seed` / `rng` drive `random`. */
export interface SelectionOptions {
  readonly measure?: SelectionMeasure;
  readonly fixed?: string;
  readonly seed?: number;
  readonly rng?: RandomFn;
  readonly rboP?: number;
}

/** The choice for one batch and every candidate's mean distance (the measure used; KL for ablations). */
export interface SelectionResult {
  readonly chosen: string;
  readonly measure: SelectionMeasure;
  readonly distances: Record<string, number>;
}

/** Distance of one candidate distribution to the teacher's under a measure (RBO is a similarity). */
export function distanceToTeacher(teacher: ArrayLike<number>, candidate: ArrayLike<number>, measure: 'kl' | 'footrule' | 'rbo', rboP = 0.9): number {
  if (measure === 'kl') return klDivergence(teacher, candidate);
  if (measure === 'footrule') return footruleOfScores(teacher, candidate);
  // RBO breaks ties by candidate order; with p = 0.9 the tied tail (missing scores) weighs little.
  return rankBiasedOverlap(rankingOf(teacher), rankingOf(candidate), { p: rboP });
}

/** Mean distance of every candidate to the teacher over the batch's queries. */
export function meanDistances(batch: readonly SelectionQuery[], measure: 'kl' | 'footrule' | 'rbo', rboP = 0.9): Record<string, number> {
  if (batch.length === 0) throw new RangeError('selectAssistant: empty batch');
  const names = Object.keys(batch[0].candidates);
  const out: Record<string, number> = {};
  for (const name of names) {
    let sum = 0;
    for (const q of batch) {
      const c = q.candidates[name];
      if (!c) throw new RangeError(`selectAssistant: candidate '${name}' missing from a query of the batch`);
      sum += distanceToTeacher(q.teacher, c, measure, rboP);
    }
    out[name] = sum / batch.length;
  }
  return out;
}

/**
 * Chooses the batch's assistant: argmin mean KL(P_T ‖ P_X) (default), argmin footrule, argmax RBO,
 * a fixed name, or a seeded random pick. Ties go to the first candidate in insertion order.
 */
export function selectAssistant(batch: readonly SelectionQuery[], options: SelectionOptions = {}): SelectionResult {
  const measure = options.measure ?? 'kl';
  const metric = measure === 'footrule' || measure === 'rbo' ? measure : 'kl';
  const distances = meanDistances(batch, metric, options.rboP);
  const names = Object.keys(distances);
  if (measure === 'fixed') {
    if (!options.fixed || !(options.fixed in distances)) {
      throw new RangeError(`selectAssistant: fixed candidate '${options.fixed}' is not one of ${names.join(', ')}`);
    }
    return { chosen: options.fixed, measure, distances };
  }
  if (measure === 'random') {
    const rng = options.rng ?? seededRng(options.seed ?? 0);
    return { chosen: names[Math.floor(rng() * names.length)], measure, distances };
  }
  const better = measure === 'rbo' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  let chosen = names[0];
  for (const n of names) if (better(distances[n], distances[chosen])) chosen = n;
  return { chosen, measure, distances };
}
