/**
 * Test helper: the smallest real experiment the registry allows. Training on the 5-query
 * `dl19-mini` slice (its 4 real run files give teacher and assistants) and testing on `dl20`
 * (disjoint queries, so the leak check passes) with shallow candidates, a 16-token student and
 * 2 steps per iteration keeps a full reproduce() in seconds on one core.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The tiny experiment as an ExperimentConfig JSON value: a run row, an untrained row, a trained row. */
export function tinyExperimentConfig(): Record<string, unknown> {
  return {
    name: 'tiny-e2e',
    description: 'Test config: train on dl19-mini, test on dl20, 2 iterations of 2 steps.',
    seeds: [1],
    data: { train: ['dl19-mini'], test: ['dl20'], heldOut: { fraction: 0.2, seed: 0 }, candidates: { depth: 10, testDepth: 5 } },
    teacher: { name: 'SPLADE++', kind: 'run', run: 'SPLADE_P_P_ENSEMBLE_DISTIL' },
    assistants: [
      { name: 'TAS-B', kind: 'run', run: 'D_BERT_KD_TASB' },
      { name: 'ada2', kind: 'run', run: 'OPEN_AI_ADA2' },
      { name: 'BM25', kind: 'run', run: 'BM25' },
    ],
    student: { overrides: { passageMaxLength: 16, queryMaxLength: 8 } },
    train: { stepsPerIteration: 2, batchSize: 2, negatives: 3 },
    // k = 1: the queries the student does not put a positive first become harder data, so the
    // second iteration really sees hard groups on this tiny split.
    iterations: { count: 2, gotWrong: { rule: 'top-k', k: 1 } },
    eval: { metrics: ['nDCG@10', 'RR@10'], relLevel: 2 },
    compareTo: ['Untrained student'],
    systems: [
      { name: 'BM25', kind: 'run', run: 'BM25' },
      { name: 'Untrained student', kind: 'untrained' },
      { name: 'MTA4DPR', overrides: {} },
    ],
  };
}

/** Writes the tiny config into a fresh temp folder; returns the folder and the config path. */
export function writeTinyExperiment(): { dir: string; configPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-pipeline-'));
  const configPath = join(dir, 'tiny.json');
  writeFileSync(configPath, JSON.stringify(tinyExperimentConfig(), null, 2));
  return { dir, configPath };
}
