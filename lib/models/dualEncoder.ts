/**
 * The trainable tfjs dual encoder: one shared or two separate transformer towers over a WordPiece
 * tokenizer, implementing TrainableDualEncoder (encode batches inside tf.tidy; nothing leaks).
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { stableStringify } from '../io/hash';
import type { WordPieceTokenizer } from '../text/tokenizer';
import { parseStudentConfig, type StudentConfig, type StudentConfigInput } from './config';
import { initialValue, paramSeed, towerParamShapes, towerPrefixes } from './params';
import { pool, towerHidden, type DropoutState } from './transformer';
import type { EmbeddingMatrix, TextKind, TokenBatch, TrainableDualEncoder } from './types';

/** Options of {@link createDualEncoder}. */
export interface CreateDualEncoderOptions {
  /** Seed of every random initialisation (same seed → identical weights). Default 0. */
  readonly seed?: number;
  /** Initial values by canonical parameter name (e.g. GloVe embeddings, loaded weights); others are initialised. */
  readonly initial?: Readonly<Record<string, tf.Tensor>>;
  readonly name?: string;
}

let instanceCounter = 0;

/** A tfjs BERT/DistilBERT-style dual encoder. */
export class StudentDualEncoder implements TrainableDualEncoder {
  readonly name: string;
  readonly dim: number;
  /** Where the weights came from and which stored tensors were not used (set by loaders). */
  loadInfo?: { readonly source: string; readonly ignoredTensors: readonly string[] };
  private readonly vars = new Map<string, tf.Variable>();
  private dropoutCounter = 0;

  constructor(
    readonly config: StudentConfig,
    readonly tokenizer: WordPieceTokenizer,
    readonly seed: number,
    initial: Readonly<Record<string, tf.Tensor>> = {},
    name = 'student',
  ) {
    if (tokenizer.vocabSize > config.vocabSize) throw new Error(`tokenizer has ${tokenizer.vocabSize} word pieces but config.vocabSize is ${config.vocabSize}`);
    this.name = name;
    this.dim = config.hidden;
    // tfjs registers variable names globally: the counter keeps two models of one name apart.
    instanceCounter++;
    for (const prefix of towerPrefixes(config)) {
      for (const [local, shape] of towerParamShapes(config)) {
        const full = prefix + local;
        const given = initial[full] ?? initial[local];
        if (given && given.shape.join() !== shape.join()) throw new Error(`initial value for ${full} has shape [${given.shape}] but the config needs [${shape}]`);
        const value = given ? given.clone() : initialValue(config, full, shape, paramSeed(seed, full));
        this.vars.set(full, tf.variable(value, true, `${name}#${instanceCounter}/${full}`));
        value.dispose();
      }
    }
  }

  /** Canonical parameter names in stable order. */
  paramNames(): string[] {
    return [...this.vars.keys()];
  }

  /** A parameter by canonical name (throws if absent). */
  param(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`${this.name}: no parameter ${name}`);
    return v;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  private maxLength(kind: TextKind): number {
    return kind === 'query' ? this.config.queryMaxLength : this.config.passageMaxLength;
  }

  tokenize(texts: readonly string[], kind: TextKind): TokenBatch {
    const t = this.tokenizer.tokenizeBatch(texts, this.maxLength(kind));
    return {
      inputIds: tf.tensor2d(t.ids, [t.batch, t.length], 'int32'),
      attentionMask: tf.tensor2d(t.mask, [t.batch, t.length], 'int32'),
    };
  }

  embed(batch: TokenBatch, kind: TextKind, training: boolean): tf.Tensor2D {
    const prefix = this.config.shareTowers ? '' : `${kind}.`;
    const p = (local: string) => this.param(prefix + local);
    const dropout: DropoutState | undefined = training && this.config.dropout > 0
      ? { rate: this.config.dropout, nextSeed: () => paramSeed(this.seed, `dropout.${this.dropoutCounter++}`) }
      : undefined;
    const hidden = towerHidden(this.config, p, batch.inputIds, batch.attentionMask, dropout);
    return pool(this.config, p, hidden, batch.inputIds, batch.attentionMask);
  }

  async encode(texts: readonly string[], kind: TextKind): Promise<EmbeddingMatrix> {
    const out = new Float32Array(texts.length * this.dim);
    // Length-sorted batches waste less padding; rows go back to input order.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length || a - b);
    const bs = this.config.encodeBatchSize;
    for (let s = 0; s < order.length; s += bs) {
      const idx = order.slice(s, s + bs);
      const emb = tf.tidy(() => {
        const batch = this.tokenize(idx.map((i) => texts[i]), kind);
        return this.embed(batch, kind, false);
      });
      const data = (await emb.data()) as Float32Array;
      emb.dispose();
      idx.forEach((row, j) => out.set(data.subarray(j * this.dim, (j + 1) * this.dim), row * this.dim));
    }
    return { rows: texts.length, dim: this.dim, data: out };
  }

  /** Current weights as plain arrays by canonical name (for checkpoints and HF export). */
  async weights(): Promise<Record<string, { shape: number[]; data: Float32Array }>> {
    const out: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [n, v] of this.vars) out[n] = { shape: [...v.shape], data: (await v.data()) as Float32Array };
    return out;
  }

  /** SHA-256 of the config and every weight's bytes: the model part of cache keys. */
  async fingerprint(): Promise<string> {
    const h = createHash('sha256').update(stableStringify(this.config));
    for (const [n, v] of this.vars) {
      const d = (await v.data()) as Float32Array;
      h.update(n).update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    }
    return h.digest('hex');
  }

  /** Overwrites weights by canonical name; every parameter must be present with its shape. */
  setWeights(values: Readonly<Record<string, { shape: readonly number[]; data: Float32Array }>>): void {
    for (const [n, v] of this.vars) {
      const w = values[n];
      if (!w) throw new Error(`${this.name}: weights lack ${n}`);
      if (w.shape.join() !== v.shape.join()) throw new Error(`${this.name}: ${n} has shape [${w.shape}], expected [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(w.data, v.shape)));
    }
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

/** Creates a seeded dual encoder from a (validated here) configuration. */
export function createDualEncoder(config: StudentConfigInput | StudentConfig, tokenizer: WordPieceTokenizer, opts: CreateDualEncoderOptions = {}): StudentDualEncoder {
  return new StudentDualEncoder(parseStudentConfig(config), tokenizer, opts.seed ?? 0, opts.initial, opts.name);
}
