/** WordPiece tokenizer: ids equal an independent reference of bert-base-uncased; batching and truncation. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTokenizer, tokenizerFromVocab, wordPieceIdf } from '../../lib/text';

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
