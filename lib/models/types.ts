/**
 * Encoder contracts: what retrieval, scorers and the trainer may assume about a dual encoder.
 */
import type * as tf from '@tensorflow/tfjs';

/** Which tower / max length to use. */
export type TextKind = 'query' | 'passage';

/** Row-major float32 matrix of `rows` embeddings of size `dim`. */
export interface EmbeddingMatrix {
  readonly rows: number;
  readonly dim: number;
  readonly data: Float32Array;
}

/** Texts → embeddings (inference only). */
export interface Encoder {
  readonly name: string;
  readonly dim: number;
  encode(texts: readonly string[], kind: TextKind): Promise<EmbeddingMatrix>;
  /**
   * False when encoding costs less than writing and reading its embeddings back (the hashed
   * lexical student: a 12k-passage pool at D = 4096 is 200 MB of disk per model for ~3 s of
   * compute); encodeCorpus then ignores its cache folder. Default true.
   */
  readonly cacheEmbeddings?: boolean;
}

/** Token ids and attention mask of a padded batch, as int32 tensors [batch, length]. */
export interface TokenBatch {
  readonly inputIds: tf.Tensor2D;
  readonly attentionMask: tf.Tensor2D;
}

/** A dual encoder the trainer can optimise: differentiable embedding of tokenised text. */
export interface TrainableDualEncoder extends Encoder {
  /** Tokenise and pad texts for one tower; caller disposes the tensors. */
  tokenize(texts: readonly string[], kind: TextKind): TokenBatch;
  /** Differentiable [batch, dim] embeddings; call inside tf.tidy / optimizer.minimize. */
  embed(batch: TokenBatch, kind: TextKind, training: boolean): tf.Tensor2D;
  /** Every trainable variable, in a stable order (checkpoints rely on it). */
  trainableVariables(): tf.Variable[];
  /** Releases all variables. */
  dispose(): void;
}
