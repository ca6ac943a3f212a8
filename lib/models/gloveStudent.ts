/**
 * The GloVe-initialised student: word pieces from GloVe 100d, a seeded projection to the hidden
 * size, idf-initialised pooling weights. Untrained, it behaves like an idf-weighted GloVe mean
 * (with zero-initialised residual branches the transformer blocks pass the embeddings through).
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { dataRoot } from '../data/paths';
import { tokenizerFromVocab, type WordPieceTokenizer } from '../text/tokenizer';
import { wordPieceIdf } from '../text/idf';
import { DEFAULT_STUDENT, parseStudentConfig, type StudentConfig, type StudentConfigInput } from './config';
import { createDualEncoder, type StudentDualEncoder } from './dualEncoder';
import { gloveEmbedding, readGlove, tokenCoverage } from './glove';
import { inverseSoftplus } from './params';

/** Options of {@link createGloveStudent}. */
export interface GloveStudentOptions {
  readonly config?: StudentConfigInput | StudentConfig;
  /** Folder with meta.json + vocab.txt + vectors.f16.*.bin; default data/models/glove-6B-100d-top50k. */
  readonly gloveDir?: string;
  readonly tokenizer?: WordPieceTokenizer;
  /** Texts to compute word-piece idf from (for idf-mean pooling); without them every weight starts at 1. */
  readonly idfTexts?: Iterable<string>;
  readonly seed?: number;
}

/** Coverage figures of a GloVe initialisation. */
export interface GloveCoverage {
  readonly vocabCovered: number;
  readonly vocabSize: number;
  /** Over the idf texts' non-special tokens, when given. */
  readonly tokenFraction?: number;
  readonly tokens?: number;
}

/** The default bundled model files. */
export function defaultModelPaths(): { vocab: string; glove: string; gloveFixtures: string } {
  const m = join(dataRoot(), 'models');
  return { vocab: join(m, 'bert-base-uncased', 'vocab.txt'), glove: join(m, 'glove-6B-100d-top50k'), gloveFixtures: join(m, 'glove-6B-100d-subset-fixtures') };
}

/** Builds a seeded GloVe-initialised dual encoder and reports coverage. */
export function createGloveStudent(opts: GloveStudentOptions = {}): { model: StudentDualEncoder; coverage: GloveCoverage } {
  const paths = defaultModelPaths();
  const tokenizer = opts.tokenizer ?? tokenizerFromVocab(paths.vocab);
  const glove = readGlove(opts.gloveDir ?? paths.glove);
  const config = parseStudentConfig({ ...(opts.config ?? DEFAULT_STUDENT), embeddingDim: glove.dim, vocabSize: tokenizer.vocabSize });
  const seed = opts.seed ?? 0;
  const emb = gloveEmbedding(tokenizer.vocab(), glove, seed);
  const initial: Record<string, tf.Tensor> = { 'embeddings.word': tf.tensor2d(emb.table, [emb.vocabSize, emb.dim]) };
  let coverage: GloveCoverage = { vocabCovered: emb.covered, vocabSize: emb.vocabSize };
  if (opts.idfTexts && config.pooling === 'idf-mean') {
    const texts = [...opts.idfTexts];
    const idf = wordPieceIdf(tokenizer, texts);
    initial['pooling.word_weight'] = tf.tensor1d(Float32Array.from(idf, inverseSoftplus));
    const ids = texts.flatMap((t) => tokenizer.encode(t));
    const cov = tokenCoverage(emb, ids, new Set([tokenizer.clsId, tokenizer.sepId, tokenizer.padId]));
    coverage = { ...coverage, tokenFraction: cov.fraction, tokens: cov.tokens };
  }
  try {
    const towers = config.shareTowers ? [''] : ['query.', 'passage.'];
    const named: Record<string, tf.Tensor> = {};
    for (const t of towers) for (const [k, v] of Object.entries(initial)) named[t + k] = v;
    return { model: createDualEncoder(config, tokenizer, { seed, initial: named, name: 'glove-student' }), coverage };
  } finally {
    for (const t of Object.values(initial)) t.dispose();
  }
}
