/**
 * The student of an experiment, created from the configured preset and initialisation (it is
 * evaluated by re-ranking a split's candidate lists with lib/retrieval's `rerankCandidates`):
 * the GloVe transformer (`default`), the 66M shape (`distilbert-base`), or the hashed lexical
 * encoder (`hashed-lexical`, whose overrides are lib/models/lexical's config fields).
 */
import { createDualEncoder, createGloveStudent, createHashedLexicalStudent, DEFAULT_STUDENT, DISTILBERT_BASE, loadHfModel, type StudentModel } from '../models';
import { defaultModelPaths } from '../models/gloveStudent';
import { tokenizerFromVocab } from '../text';
import { passageInput } from '../retrieval';
import type { MethodConfig } from '../config';
import type { Split } from './splits';

/** Builds the configured, seeded student; `idfTexts` give idf statistics (pooling weights, or the lexical student's vocabulary). */
export async function createExperimentStudent(config: MethodConfig, seed: number, idfTexts: Iterable<string>): Promise<StudentModel> {
  // The lexical student has no initialisation choice: its start is training-free by construction.
  if (config.student.preset === 'hashed-lexical') return createHashedLexicalStudent({ config: config.student.overrides, idfTexts, seed });
  const preset = config.student.preset === 'default' ? DEFAULT_STUDENT : DISTILBERT_BASE;
  const arch = { ...preset, ...config.student.overrides };
  switch (config.student.init) {
    case 'glove':
      return createGloveStudent({ config: arch, idfTexts, seed }).model;
    case 'random':
      return createDualEncoder(arch, tokenizerFromVocab(defaultModelPaths().vocab), { seed });
    case 'hf':
      if (!config.student.hfModel) throw new Error(`${config.name}: student.init 'hf' needs student.hfModel (a Hugging Face model folder)`);
      return loadHfModel(config.student.hfModel);
  }
}

/** Every passage text of a split's collection, for idf statistics. */
export function splitTexts(split: Split): string[] {
  return [...split.collection.passages.values()].map(passageInput);
}
