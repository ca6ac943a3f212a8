/** The miniature writers (lib/data/miniature.ts): a failed write names its file. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputError } from '../../lib/io/errors';
import { writeMsmarcoMiniature } from '../../lib/data/miniature';

describe('data/miniature', () => {
  it('names the file a write failed on (here a folder stands where the collection goes)', () => {
    const root = mkdtempSync(join(tmpdir(), 'mta4dpr-mini-fail-'));
    try {
      const blocked = join(root, 'msmarco-passage', 'collection.tsv');
      mkdirSync(blocked, { recursive: true });
      assert.throws(() => writeMsmarcoMiniature(root, { passages: 50, trainQueries: 5, systems: ['BM25'] }),
        (e: unknown) => e instanceof OutputError && e.message.includes(blocked));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
