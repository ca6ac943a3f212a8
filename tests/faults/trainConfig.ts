/** Test helper: a tiny real training config (dl19-mini, short GloVe student, random selection) written to a temp folder. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The config as JSON; `train` fields override the defaults (8 steps, checkpoint every 2). */
export function tinyTrainConfig(train: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dataset: 'dl19-mini',
    teacher: { name: 'SPLADE_P_P_ENSEMBLE_DISTIL' },
    assistants: [{ name: 'D_BERT_KD_TASB' }, { name: 'BM25' }],
    candidates: { depth: 10 },
    student: { preset: 'default', init: 'glove', seed: 0, overrides: { passageMaxLength: 16, queryMaxLength: 8 } },
    loss: { alpha: 1, beta: 1, gamma: 0.5 },
    groups: { negatives: 3, relLevel: 2 },
    selection: { measure: 'random' },
    train: { steps: 8, batchSize: 2, lr: 0.001, checkpointEvery: 2, ...train },
    seed: 1,
    eval: { queries: 1, measures: ['nDCG@10'], relLevel: 2 },
  };
}

/** Writes the config into a fresh temp folder; returns the folder and the config path. */
export function writeTinyTrainConfig(train?: Record<string, unknown>): { dir: string; configPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-faults-'));
  const configPath = join(dir, 'train.json');
  writeFileSync(configPath, JSON.stringify(tinyTrainConfig(train), null, 2));
  return { dir, configPath };
}
