/**
 * Seeded sampling helpers for assistants and curriculum, over the project's one generator (lib/random).
 */
import { Rng } from '../random/rng';

/** A function returning uniform numbers in [0, 1). */
export type RandomFn = () => number;

/** A uniform [0, 1) function from a 32-bit integer seed (mulberry32, see lib/random). */
export function seededRng(seed: number): RandomFn {
  const r = new Rng(seed);
  return () => r.next();
}

/** k distinct items drawn uniformly without replacement (partial Fisher–Yates); all if k ≥ n. */
export function sampleWithoutReplacement<T>(items: readonly T[], k: number, rng: RandomFn): T[] {
  const a = items.slice();
  const m = Math.min(k, a.length);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, m);
}
