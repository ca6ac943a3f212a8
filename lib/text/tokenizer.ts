/**
 * BERT WordPiece tokenizer through transformers.js (offline only), loaded from a model folder's
 * tokenizer.json or built from a bare vocab.txt, with padded/truncated int32 batches for the encoder.
 * Where the layout allows, ids come from a plain-JS WordPiece with the same results (fastWordPiece.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FastWordPiece } from './fastWordPiece';
import { bertTokenizerConfig, bertTokenizerJson, parseVocabTxt } from './bertTokenizerJson';

// transformers.js is loaded lazily: it pulls onnxruntime-node, which the tokenizer itself never needs.
type HfTokenizer = { encode(text: string, opts?: { add_special_tokens?: boolean }): number[] };
function transformers(): {
  PreTrainedTokenizer: new (json: object, config: object) => HfTokenizer;
  env: { allowRemoteModels: boolean };
} {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const t = require('@huggingface/transformers');
  t.env.allowRemoteModels = false;
  return t;
}

/** Padded ids and mask of a batch, row-major [batch, length]. */
export interface TokenizedBatch {
  readonly batch: number;
  readonly length: number;
  readonly ids: Int32Array;
  readonly mask: Int32Array;
}

/** Options for {@link WordPieceTokenizer.tokenizeBatch}. */
export interface TokenizeBatchOptions {
  /** 'longest' pads to the longest row in the batch (capped at maxLength); 'max' pads to maxLength. */
  readonly padding?: 'longest' | 'max';
}

/** A BERT-style WordPiece tokenizer (ids equal Hugging Face's BertTokenizerFast). */
export class WordPieceTokenizer {
  readonly vocabSize: number;
  readonly padId: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly unkId: number;
  private readonly hf: HfTokenizer;
  /** The plain-JS WordPiece path, where this tokenizer's layout allows it (same ids, faster). */
  private readonly fast: FastWordPiece | undefined;

  /** Builds from tokenizer.json content; `source` names the origin in errors. */
  constructor(
    readonly tokenizerJson: Record<string, unknown>,
    readonly tokenizerConfig: Record<string, unknown>,
    readonly source: string,
  ) {
    const model = tokenizerJson.model as { vocab?: Record<string, number>; type?: string } | undefined;
    if (!model || model.type !== 'WordPiece' || typeof model.vocab !== 'object') {
      throw new Error(`${source}: tokenizer.json is not a WordPiece tokenizer (model.type=${model?.type})`);
    }
    const vocab = model.vocab;
    this.vocabSize = Math.max(...Object.values(vocab)) + 1;
    const need = (t: string) => {
      const id = vocab[t];
      if (id === undefined) throw new Error(`${source}: vocabulary lacks ${t}`);
      return id;
    };
    this.padId = need(String(tokenizerConfig.pad_token ?? '[PAD]'));
    this.clsId = need(String(tokenizerConfig.cls_token ?? '[CLS]'));
    this.sepId = need(String(tokenizerConfig.sep_token ?? '[SEP]'));
    this.unkId = need(String(tokenizerConfig.unk_token ?? '[UNK]'));
    this.hf = new (transformers().PreTrainedTokenizer)(tokenizerJson, tokenizerConfig);
    this.fast = FastWordPiece.from(tokenizerJson, tokenizerConfig);
  }

  /** Token strings by id (for saving vocab.txt and for GloVe lookup). */
  vocab(): string[] {
    const out = new Array<string>(this.vocabSize).fill('');
    for (const [t, i] of Object.entries((this.tokenizerJson.model as { vocab: Record<string, number> }).vocab)) out[i] = t;
    return out;
  }

  /** Ids of one text with [CLS] … [SEP], untruncated. */
  encode(text: string): number[] {
    return this.fast?.encode(text) ?? this.hf.encode(text);
  }

  /** Ids of one text cut to `maxLength`; truncation keeps the final [SEP]. */
  encodeTruncated(text: string, maxLength: number): number[] {
    if (!Number.isInteger(maxLength) || maxLength < 2) throw new Error(`tokenizer: maxLength must be an integer ≥ 2, got ${maxLength}`);
    const fast = this.fast?.encode(text, maxLength);
    if (fast) return fast;
    const ids = this.hf.encode(text);
    return ids.length <= maxLength ? ids : [...ids.slice(0, maxLength - 1), ids[ids.length - 1]];
  }

  /**
   * Ids and token types of a sequence pair, `[CLS] a [SEP] b [SEP]` (types 0 … 0 1 … 1), as BERT
   * cross-encoders read it; over `maxLength`, tokens are cut from the end of the longer text first
   * (Hugging Face's `longest_first`).
   */
  encodePair(a: string, b: string, maxLength: number): { ids: number[]; typeIds: number[] } {
    if (!Number.isInteger(maxLength) || maxLength < 3) throw new Error(`tokenizer: pair maxLength must be an integer ≥ 3, got ${maxLength}`);
    const x = this.hf.encode(a, { add_special_tokens: false });
    const y = this.hf.encode(b, { add_special_tokens: false });
    let nx = x.length;
    let ny = y.length;
    while (nx + ny > maxLength - 3) {
      if (ny >= nx) ny -= 1;
      else nx -= 1;
    }
    const ids = [this.clsId, ...x.slice(0, nx), this.sepId, ...y.slice(0, ny), this.sepId];
    const typeIds = ids.map((_, i) => (i < nx + 2 ? 0 : 1));
    return { ids, typeIds };
  }

  /** Rows of ids padded to one length (`length`, default the longest row, at least 2), with their mask. */
  padRows(rows: readonly (readonly number[])[], length = Math.max(2, ...rows.map((r) => r.length))): TokenizedBatch {
    const ids = new Int32Array(rows.length * length).fill(this.padId);
    const mask = new Int32Array(rows.length * length);
    rows.forEach((r, i) => {
      ids.set(r, i * length);
      mask.fill(1, i * length, i * length + r.length);
    });
    return { batch: rows.length, length, ids, mask };
  }

  /** Ids of many texts padded to one length; truncation keeps the final [SEP]. */
  tokenizeBatch(texts: readonly string[], maxLength: number, opts: TokenizeBatchOptions = {}): TokenizedBatch {
    const rows = texts.map((t) => this.encodeTruncated(t, maxLength));
    return this.padRows(rows, opts.padding === 'max' ? maxLength : undefined);
  }
}

/** Builds the tokenizer of a bare BERT vocab.txt (uncased by default). */
export function tokenizerFromVocab(vocabPath: string, lowercase = true): WordPieceTokenizer {
  if (!existsSync(vocabPath)) throw new Error(`tokenizer vocabulary not found: ${vocabPath}`);
  const vocab = parseVocabTxt(readFileSync(vocabPath, 'utf8'), vocabPath);
  return new WordPieceTokenizer(bertTokenizerJson(vocab, lowercase), bertTokenizerConfig(lowercase), vocabPath);
}

/**
 * Loads the tokenizer of a model folder: tokenizer.json (+ tokenizer_config.json) if present,
 * else vocab.txt (+ do_lower_case from tokenizer_config.json). Never touches the network.
 */
export function loadTokenizer(dirOrVocab: string): WordPieceTokenizer {
  if (existsSync(dirOrVocab) && statSync(dirOrVocab).isFile()) return tokenizerFromVocab(dirOrVocab);
  const dir = dirOrVocab;
  const cfgPath = join(dir, 'tokenizer_config.json');
  const config = existsSync(cfgPath) ? (JSON.parse(readFileSync(cfgPath, 'utf8')) as Record<string, unknown>) : undefined;
  const jsonPath = join(dir, 'tokenizer.json');
  if (existsSync(jsonPath)) {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${jsonPath}: invalid JSON (${(e as Error).message})`);
    }
    return new WordPieceTokenizer(json, config ?? bertTokenizerConfig(), jsonPath);
  }
  const vocabPath = join(dir, 'vocab.txt');
  if (existsSync(vocabPath)) return tokenizerFromVocab(vocabPath, config?.do_lower_case !== false);
  throw new Error(`no tokenizer in ${dir}: expected tokenizer.json (+ tokenizer_config.json) or vocab.txt`);
}
