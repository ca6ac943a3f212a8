/**
 * Test helper: a tiny real experiment for `mta4dpr train` (tests/pipeline's tiny experiment: train on
 * dl19-mini, test on dl20, 16-token student) cut to one iteration with random per-batch selection,
 * written to a temp folder.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyExperimentConfig } from '../pipeline/tinyExperiment';

/** The trained row of the tiny experiment. */
export const TINY_ROW = 'MTA4DPR';

/** The config as JSON; `train` fields override its training section (8 steps, checkpoint every 2). */
export function tinyTrainConfig(train: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...tinyExperimentConfig(),
    name: 'tiny-train',
    selection: { measure: 'random' },
    train: { stepsPerIteration: 8, batchSize: 2, negatives: 3, lr: 0.001, checkpointEvery: 2, ...train },
    iterations: { count: 1, gotWrong: { rule: 'top-k', k: 1 } },
  };
}

/** Writes the config into a fresh temp folder; returns the folder and the config path. */
export function writeTinyTrainConfig(train?: Record<string, unknown>): { dir: string; configPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-faults-'));
  const configPath = join(dir, 'train.json');
  writeFileSync(configPath, JSON.stringify(tinyTrainConfig(train), null, 2));
  return { dir, configPath };
}

/** The trainer folder of the (one) iteration under `out`: the work folder while it runs, the step folder once done. */
export function iterationTrainDir(out: string): string | undefined {
  let entries: string[];
  try { entries = readdirSync(join(out, 'steps')); } catch { return undefined; }
  const its = entries.filter((e) => e.startsWith('iteration-'));
  const dir = its.find((e) => e.endsWith('.work')) ?? its[0];
  return dir === undefined ? undefined : join(out, 'steps', dir, 'train');
}
