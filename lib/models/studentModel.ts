/**
 * Either kind of trainable student — the tfjs transformer (StudentDualEncoder) or the hashed lexical
 * encoder — behind one save / load / bulk-encode surface, so the pipeline need not know which.
 */
import { isEncoderCheckpoint, loadEncoderCheckpoint, saveEncoderCheckpoint } from './checkpoint';
import { StudentDualEncoder } from './dualEncoder';
import { HashedLexicalEncoder } from './lexical/encoder';
import { isLexicalCheckpoint, loadLexicalCheckpoint, saveLexicalCheckpoint } from './lexical/checkpoint';
import { saveHfModel } from './hfModel';
import { withFastEncoder } from './onnx/ortEncoder';
import type { Encoder } from './types';

/** A trainable student of this package. */
export type StudentModel = StudentDualEncoder | HashedLexicalEncoder;

/** Saves either student kind to `dir` (its own checkpoint format). */
export async function saveStudentCheckpoint(dir: string, model: StudentModel, extra: unknown = {}): Promise<void> {
  if (model instanceof HashedLexicalEncoder) return saveLexicalCheckpoint(dir, model, extra);
  return saveEncoderCheckpoint(dir, model, extra);
}

/**
 * Writes the student for use outside this package: a Hugging Face folder for the transformer, its
 * own checkpoint for the lexical student (a hashed term map has no HF layout).
 */
export async function exportStudent(dir: string, model: StudentModel): Promise<void> {
  if (model instanceof HashedLexicalEncoder) return saveLexicalCheckpoint(dir, model);
  return saveHfModel(model, dir);
}

/** Loads a student checkpoint of either kind. */
export async function loadStudentCheckpoint(dir: string): Promise<{ model: StudentModel; extra: unknown }> {
  if (isLexicalCheckpoint(dir)) return loadLexicalCheckpoint(dir);
  if (isEncoderCheckpoint(dir)) return loadEncoderCheckpoint(dir);
  throw new Error(`no student checkpoint in ${dir}: neither encoder.json nor lexical.json is there`);
}

/**
 * Runs `fn` with the fastest encoder of the student's current weights: ONNX Runtime (or tfjs) for
 * the transformer (see withFastEncoder); the lexical student itself, whose `encode` is a plain-JS sparse sum.
 */
export async function withStudentEncoder<T>(model: StudentModel, fn: (encoder: Encoder, engine: 'onnxruntime' | 'tfjs' | 'js') => Promise<T>): Promise<T> {
  if (model instanceof HashedLexicalEncoder) return fn(model, 'js');
  return withFastEncoder(model, fn);
}
