/**
 * Seeded randomness shared by every stage (sampling, shuffling, random-selection ablations,
 * randomisation tests): one mulberry32 generator whose state is a single uint32, so training
 * checkpoints can save and restore it exactly.
 */
export * from './rng';
