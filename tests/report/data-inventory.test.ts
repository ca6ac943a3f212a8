/** Data inventory against SHA256SUMS: ok / mismatch / missing / unlisted, on a temp folder and on the real data. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { dataInventory, datasetSummary, parseSha256Sums } from '../../lib/report';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('dataInventory', () => {
  it('classifies every file and reports unreadable SHA256SUMS lines', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mta4dpr-data-'));
    mkdirSync(join(root, 'demo', 'x'), { recursive: true });
    writeFileSync(join(root, 'demo', 'x', 'good.txt'), 'good');
    writeFileSync(join(root, 'demo', 'x', 'bad.txt'), 'changed');
    writeFileSync(join(root, 'extra.txt'), 'extra');
    writeFileSync(join(root, 'SHA256SUMS'), [
      `${sha256('good')}  ./demo/x/good.txt`,
      `${sha256('original')}  ./demo/x/bad.txt`,
      `${sha256('gone')}  ./demo/x/gone.txt`,
      'not a checksum line',
      '',
    ].join('\n'));
    const inv = await dataInventory(root);
    const status = Object.fromEntries(inv.files.map((f) => [f.path, f.status]));
    assert.deepEqual(status, { 'demo/x/good.txt': 'ok', 'demo/x/bad.txt': 'mismatch', 'demo/x/gone.txt': 'missing', 'extra.txt': 'unlisted' });
    assert.deepEqual(inv.counts, { ok: 1, mismatch: 1, missing: 1, unlisted: 1 });
    assert.deepEqual(inv.badSumLines, [{ line: 4, text: 'not a checksum line' }]);
    const summary = datasetSummary(inv);
    assert.equal(summary.find((s) => s.dataset === 'demo/x')?.files, 3);
  });

  it('the shipped data folder matches its SHA256SUMS', async () => {
    const inv = await dataInventory();
    assert.equal(inv.counts.mismatch, 0);
    assert.equal(inv.counts.missing, 0);
    assert.ok(inv.counts.ok >= 60, `only ${inv.counts.ok} files verified`);
  });

  it('parseSha256Sums accepts binary-mode markers and paths without ./', () => {
    const h = 'a'.repeat(64);
    const { sums, bad } = parseSha256Sums(`${h} *x/y.gz\n${h}  z.txt\n`);
    assert.deepEqual([...sums.keys()], ['x/y.gz', 'z.txt']);
    assert.equal(bad.length, 0);
  });
});
