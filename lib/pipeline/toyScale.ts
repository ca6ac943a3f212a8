/**
 * Toy scale: a full-scale config (configs/msmarco-full.json, configs/nq-full.json) shrunk to a few
 * optimiser steps of tiny batches and shallow candidate depths, so it runs end to end in minutes on
 * a miniature of its data (lib/pipeline/miniature.ts). Only the scale changes: the config's names,
 * models, rows, iterations and evaluation stay its own. Used by `reproduce --miniature` and the
 * full-scale tests, so both run the same thing.
 */
import { deepMerge, parseExperimentConfig, type ExperimentConfig } from '../config';

/** The scale keys a toy-scale run replaces, with their toy values. */
export const TOY_SCALE = {
  train: { stepsPerIteration: 3, batchSize: 2, negatives: 3, warmupFraction: 0 },
  data: { candidates: { depth: 20, testDepth: 50 }, heldOut: { fraction: 0.1 } },
} as const;

/**
 * Steps per iteration of a row that sets its own training budget (KD's one long iteration in the
 * full configs): more than the base's 3, as the full configs give such a row more, yet still seconds.
 */
export const TOY_ROW_STEPS = 6;

/** A row's override section with every toy-scale key it sets replaced by the toy value (others kept). */
function toyKeys(section: unknown, toy: Readonly<Record<string, unknown>>): unknown {
  if (typeof section !== 'object' || section === null || Array.isArray(section)) return section;
  const out: Record<string, unknown> = { ...(section as Record<string, unknown>) };
  for (const [k, v] of Object.entries(toy)) {
    if (!Object.hasOwn(out, k)) continue;
    out[k] = typeof v === 'object' && v !== null ? toyKeys(out[k], v as Record<string, unknown>) : v;
  }
  return out;
}

/** `full` at toy scale (TOY_SCALE for the base, rows' own scale keys shrunk too), validated again. */
export function atToyScale(full: ExperimentConfig): ExperimentConfig {
  const raw = deepMerge(full, TOY_SCALE) as Record<string, unknown>;
  const systems = full.systems.map((s) => {
    const o = s.overrides as Record<string, unknown>;
    if (!('train' in o) && !('data' in o)) return s;
    // A row's own scale would otherwise undo the toy base (a row's `batchSize: 64` wins the merge).
    const train = toyKeys(o.train, { ...TOY_SCALE.train, stepsPerIteration: TOY_ROW_STEPS });
    const data = toyKeys(o.data, TOY_SCALE.data);
    return { ...s, overrides: { ...o, ...('train' in o ? { train } : {}), ...('data' in o ? { data } : {}) } };
  });
  return parseExperimentConfig({ ...raw, systems }, `${full.name} at toy scale`);
}

/** One line saying what toy scale means, for the CLI and the report. */
export function toyScaleSummary(): string {
  const t = TOY_SCALE.train;
  const c = TOY_SCALE.data.candidates;
  return `toy scale: ${t.stepsPerIteration} steps per iteration (rows with their own budget ${TOY_ROW_STEPS}) of ${t.batchSize} queries × ${t.negatives} negatives, ` +
    `training candidates top ${c.depth}, test depth ${c.testDepth}, ${TOY_SCALE.data.heldOut.fraction * 100}% held out`;
}
