/**
 * Resolves a `--model` argument to a dual encoder: our checkpoint folder, a Hugging Face folder,
 * or `glove:default` (the untrained GloVe-initialised default student from data/models).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_STUDENT, type StudentConfigInput } from './config';
import { isEncoderCheckpoint, loadEncoderCheckpoint } from './checkpoint';
import type { StudentDualEncoder } from './dualEncoder';
import { createGloveStudent, type GloveCoverage } from './gloveStudent';
import { loadHfModel } from './hfModel';

/** Options of {@link loadEncoder}. */
export interface LoadEncoderOptions {
  /** Texts for idf initialisation of `glove:*` students (the corpus being searched). */
  readonly idfTexts?: Iterable<string>;
  /** Config overrides (e.g. pooling, max lengths). For checkpoints only lengths/pooling of HF folders apply. */
  readonly overrides?: Partial<StudentConfigInput>;
  readonly seed?: number;
}

/** Loads `glove:default` | `glove:DIR` | a checkpoint folder | an HF folder. */
export async function loadEncoder(spec: string, opts: LoadEncoderOptions = {}): Promise<{ model: StudentDualEncoder; coverage?: GloveCoverage }> {
  if (spec.startsWith('glove:')) {
    const dir = spec.slice('glove:'.length);
    const { model, coverage } = createGloveStudent({ gloveDir: dir === 'default' ? undefined : dir, idfTexts: opts.idfTexts, seed: opts.seed ?? 0, config: opts.overrides ? { ...DEFAULT_STUDENT, ...opts.overrides } : undefined });
    return { model, coverage };
  }
  if (!existsSync(spec)) throw new Error(`model folder not found: ${spec} (expected a checkpoint, a Hugging Face folder, or glove:default)`);
  if (isEncoderCheckpoint(spec)) return { model: (await loadEncoderCheckpoint(spec)).model };
  if (!existsSync(join(spec, 'config.json')) && existsSync(join(spec, 'query', 'config.json'))) {
    throw new Error(`${spec} holds separate towers: pass ${join(spec, 'query')} or ${join(spec, 'passage')}, or use our checkpoint format`);
  }
  return { model: await loadHfModel(spec, { overrides: opts.overrides, seed: opts.seed }) };
}
