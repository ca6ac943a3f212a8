/**
 * Tokenised (query, passage) batches for cross-encoders: `[CLS] q [SEP] p [SEP]` rows with token
 * types, sorted by length and padded per batch, so padding is almost nil.
 */
import type { WordPieceTokenizer } from '../../text/tokenizer';

/** One padded batch of pairs, row-major [batch, length]; `rows[j]` = index of the pair in the input. */
export interface PairBatch {
  readonly rows: readonly number[];
  readonly batch: number;
  readonly length: number;
  readonly ids: Int32Array;
  readonly mask: Int32Array;
  readonly typeIds: Int32Array;
}

/** Batches of `passages` paired with `query`, at most `batchSize` pairs and `maxLength` tokens each. */
export function pairBatches(tokenizer: WordPieceTokenizer, query: string, passages: readonly string[], maxLength: number, batchSize: number): PairBatch[] {
  const encoded = passages.map((p) => tokenizer.encodePair(query, p, maxLength));
  const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].ids.length - encoded[b].ids.length || a - b);
  const out: PairBatch[] = [];
  for (let s = 0; s < order.length; s += batchSize) {
    const rows = order.slice(s, s + batchSize);
    const length = Math.max(...rows.map((i) => encoded[i].ids.length));
    const ids = new Int32Array(rows.length * length).fill(tokenizer.padId);
    const mask = new Int32Array(rows.length * length);
    const typeIds = new Int32Array(rows.length * length);
    rows.forEach((i, r) => {
      ids.set(encoded[i].ids, r * length);
      typeIds.set(encoded[i].typeIds, r * length);
      mask.fill(1, r * length, r * length + encoded[i].ids.length);
    });
    out.push({ rows, batch: rows.length, length, ids, mask, typeIds });
  }
  return out;
}
