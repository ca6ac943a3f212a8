/**
 * Our own encoder checkpoints: canonical parameter names in float32 safetensors (bit-identical
 * round trip), the validated config, seed and caller's extra JSON, plus the tokenizer files.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeJsonAtomic } from '../io/atomic';
import { loadTokenizer } from '../text/tokenizer';
import { parseStudentConfig } from './config';
import { createDualEncoder, type StudentDualEncoder } from './dualEncoder';
import { saveTokenizerFiles } from './hfModel';
import { readSafetensors, writeSafetensors } from './safetensors';

/** File names inside a checkpoint folder. */
export const CHECKPOINT_FILES = { weights: 'encoder.safetensors', meta: 'encoder.json' } as const;

/** What a checkpoint folder's encoder.json holds. */
export interface EncoderCheckpointMeta {
  readonly format: 'mta4dpr-encoder/1';
  readonly name: string;
  readonly seed: number;
  readonly config: unknown;
  readonly paramNames: string[];
  readonly extra: unknown;
}

/** Saves weights, config and `extra` (any JSON) to `dir`; each file is written atomically. */
export async function saveEncoderCheckpoint(dir: string, model: StudentDualEncoder, extra: unknown = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const w = await model.weights();
  await writeSafetensors(join(dir, CHECKPOINT_FILES.weights), w, { format: 'mta4dpr' });
  await saveTokenizerFiles(model.tokenizer, dir);
  const meta: EncoderCheckpointMeta = { format: 'mta4dpr-encoder/1', name: model.name, seed: model.seed, config: model.config, paramNames: model.paramNames(), extra };
  // The meta file goes last: its presence marks a complete checkpoint.
  await writeJsonAtomic(join(dir, CHECKPOINT_FILES.meta), meta);
}

/** Whether `dir` holds a checkpoint written by {@link saveEncoderCheckpoint}. */
export function isEncoderCheckpoint(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_FILES.meta));
}

/** Loads a checkpoint; the model's weights equal the saved ones bit for bit. */
export async function loadEncoderCheckpoint(dir: string): Promise<{ model: StudentDualEncoder; extra: unknown }> {
  const metaPath = join(dir, CHECKPOINT_FILES.meta);
  if (!existsSync(metaPath)) throw new Error(`no encoder checkpoint in ${dir}: ${CHECKPOINT_FILES.meta} is missing`);
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as EncoderCheckpointMeta;
  if (meta.format !== 'mta4dpr-encoder/1') throw new Error(`${metaPath}: unknown format '${String(meta.format)}'`);
  const config = parseStudentConfig(meta.config, metaPath);
  const file = readSafetensors(join(dir, CHECKPOINT_FILES.weights));
  const initial: Record<string, tf.Tensor> = {};
  try {
    for (const name of meta.paramNames) {
      const t = file.tensors[name];
      if (!t) throw new Error(`${join(dir, CHECKPOINT_FILES.weights)}: missing tensor ${name}`);
      initial[name] = tf.tensor(t.data as Float32Array, [...t.shape]);
    }
    const model = createDualEncoder(config, loadTokenizer(dir), { seed: meta.seed, initial, name: meta.name });
    const extraTensors = Object.keys(file.tensors).filter((n) => !meta.paramNames.includes(n));
    model.loadInfo = { source: dir, ignoredTensors: extraTensors };
    return { model, extra: meta.extra };
  } finally {
    for (const t of Object.values(initial)) t.dispose();
  }
}
