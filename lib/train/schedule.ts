/** Learning-rate schedule: linear warm-up from 0 to the peak, then linear decay to 0 at the last step. */

/** Options of {@link linearWarmupDecay}. */
export interface ScheduleOptions {
  readonly lr: number;
  readonly warmupSteps: number;
  readonly totalSteps: number;
}

/**
 * lr(t) for optimiser step t = 1 … totalSteps:
 *   t ≤ W:  lr · t / W;     t > W:  lr · (T − t + 1) / (T − W)   (never below 0),
 * so the first update already has a non-zero rate and the last one a small positive rate.
 */
export function linearWarmupDecay(step: number, o: ScheduleOptions): number {
  const { lr, warmupSteps: W, totalSteps: T } = o;
  if (step <= W && W > 0) return (lr * step) / W;
  if (T <= W) return lr;
  return Math.max(0, (lr * (T - step + 1)) / (T - W));
}
