/** WordPiece tokenizer: ids equal an independent reference of bert-base-uncased and transformers.js (the ASCII fast path); batching and truncation. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTokenizer, tokenizerFromVocab, wordPieceIdf } from '../../lib/text';
import { FastWordPiece } from '../../lib/text/fastWordPiece';

const VOCAB = join(__dirname, '../../data/models/bert-base-uncased/vocab.txt');
const cases = JSON.parse(readFileSync(join(__dirname, '../fixtures/tokenizer/expected-ids.json'), 'utf8')) as Array<{ name: string; text: string; ids: number[] }>;

describe('text/WordPieceTokenizer', () => {
  const tok = tokenizerFromVocab(VOCAB);

  it('matches the reference ids on DL19 queries, passages and edge cases', () => {
    assert.ok(cases.length >= 30);
    for (const c of cases) assert.deepEqual(tok.encode(c.text), c.ids, c.name);
  });

  it('loads the same tokenizer from a folder with tokenizer.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tok-'));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.tokenizerJson));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tok.tokenizerConfig));
    const again = loadTokenizer(dir);
    for (const c of cases.slice(0, 10)) assert.deepEqual(again.encode(c.text), c.ids, c.name);
  });

  it('the plain-JS WordPiece gives transformers.js\'s ids, whole and truncated, on DL19 and edge cases, uncased and cased; special-token texts fall back', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PreTrainedTokenizer } = require('@huggingface/transformers');
    const dl19 = join(__dirname, '../../data/demo/dl19');
    const passages = gunzipSync(readFileSync(join(dl19, 'passages.jsonl.gz'))).toString('utf8').split('\n').filter(Boolean)
      .filter((_, i) => i % 4 === 0).map((l) => (JSON.parse(l) as { text: string }).text);
    const queries = readFileSync(join(dl19, 'queries.tsv'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')[1]);
    const edge = ['', '   ', 'a', 'Hello, World!!', 'x\ty\nz\r w', 'ctl\u0001in\u0007side\u007f', '\u000b\u000cvt ff', "don't stop-me now...(ok)",
      'a'.repeat(100), 'b'.repeat(101), 'qzxqzxqzxqzx unknownwordpieces', '$100 @home #tag ~tilde `tick` {brace} [bracket] ^caret_ |pipe|',
      'UPPER lower MiXeD', '12345678901234567890 3.14159 1e-9', 'email@example.com http://x.y/z?q=1&r=2', ' lead and trail  ',
      'café naïve RÉSUMÉ', '北京大学 in Beijing', 'emoji 😀 and 𝔘𝔫𝔦', 'nbsp\u00a0here\u2003em', 'soft\u00adhyphen zero\u200bwidth', 'ΣΊΣΥΦΟΣ ὀδυσσεύς',
      '“curly” ‘quotes’ — dash … ellipsis', 'İstanbul ǅ ﬁne', 'x'.repeat(60) + 'é'.repeat(60), '\ufffdreplacement\u0000nul',
      'bom\ufeffin mongolian\u180evs \u2028line\u2029para', 'tag\u{e0041}s private\ue000use lone\ud800surrogate \udc00', '𠀀astral cjk 丁 兀 﨑', 'ΑΣ ΟΔΟΣ. ΣΑ', 'ÂÃ mojibake â€™s â€œhiâ€\u009d'];
    for (const lowercase of [true, false]) {
      const tok = tokenizerFromVocab(VOCAB, lowercase);
      const hf = new PreTrainedTokenizer(tok.tokenizerJson, tok.tokenizerConfig);
      const fast = FastWordPiece.from(tok.tokenizerJson, tok.tokenizerConfig)!;
      assert.ok(fast, 'the vocab.txt layout has the fast path');
      let taken = 0;
      for (const text of [...edge, ...queries, ...passages]) {
        const ref = hf.encode(text) as number[];
        assert.deepEqual(tok.encode(text), ref, `lowercase ${lowercase}: ${JSON.stringify(text.slice(0, 80))}`);
        const ids = fast.encode(text);
        if (ids) taken++;
        for (const max of [2, 3, 32, 128]) {
          const cut = ref.length <= max ? ref : [...ref.slice(0, max - 1), ref[ref.length - 1]];
          assert.deepEqual(tok.encodeTruncated(text, max), cut, `max ${max}: ${JSON.stringify(text.slice(0, 80))}`);
          if (ids) assert.deepEqual(fast.encode(text, max), cut);
        }
      }
      assert.equal(taken, edge.length + queries.length + passages.length, 'every text here takes the fast path');
    }
    const fast = FastWordPiece.from(tok.tokenizerJson, tok.tokenizerConfig)!;
    for (const text of ['a [SEP] b', 'a [mask] b', '[CLS]']) assert.equal(fast.encode(text), undefined, text);
    assert.deepEqual(tok.encode('a [SEP] b').filter((id) => id === tok.sepId).length, 2, 'a literal [SEP] is the special token (transformers.js)');
    assert.equal(FastWordPiece.from({ ...tok.tokenizerJson, pre_tokenizer: { type: 'Whitespace' } }, tok.tokenizerConfig), undefined);
    assert.equal(FastWordPiece.from(tok.tokenizerJson, { ...tok.tokenizerConfig, remove_space: true }), undefined);
  });

  it('names the folder when no tokenizer files exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tok-empty-'));
    assert.throws(() => loadTokenizer(dir), (e: Error) => e.message.includes(dir) && e.message.includes('vocab.txt'));
  });

  it('pads with [PAD] and a zero mask, truncating but keeping [SEP]', () => {
    const b = tok.tokenizeBatch(['short', cases[16].text], 16);
    assert.equal(b.length, 16);
    const row0 = Array.from(b.ids.slice(0, 16));
    assert.deepEqual(row0.slice(0, 3), [tok.clsId, tok.encode('short')[1], tok.sepId]);
    assert.ok(row0.slice(3).every((x) => x === tok.padId));
    assert.deepEqual(Array.from(b.mask.slice(0, 16)), [1, 1, 1, ...new Array(13).fill(0)]);
    const row1 = Array.from(b.ids.slice(16));
    assert.deepEqual(row1.slice(0, 15), cases[16].ids.slice(0, 15));
    assert.equal(row1[15], tok.sepId);
    assert.ok(b.mask.slice(16).every((x) => x === 1));
  });

  it('pads to the longest row unless asked for maxLength', () => {
    assert.equal(tok.tokenizeBatch(['a b', 'a'], 32).length, 4);
    assert.equal(tok.tokenizeBatch(['a b', 'a'], 32, { padding: 'max' }).length, 32);
  });

  it('computes positive idf, larger for rarer pieces, zero for specials', () => {
    const idf = wordPieceIdf(tok, ['the cat', 'the dog', 'the bird']);
    const [the, cat] = [tok.encode('the')[1], tok.encode('cat')[1]];
    assert.ok(idf[cat] > idf[the] && idf[the] > 0);
    assert.equal(idf[tok.clsId], 0);
  });
});
