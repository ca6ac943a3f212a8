import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readTrecRun } from '../../lib/data/trec';
import { RunIndex } from '../../lib/data/runIndex';

/** A run line: mostly well-formed, some broken, blank or repeated; queries may come back later (interleaved). */
const lineArb = fc.oneof(
  { weight: 12, arbitrary: fc.record({ q: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 9 }), rank: fc.integer({ min: 1, max: 12 }), score: fc.integer({ min: -3, max: 3 }) }).map(({ q, d, rank, score }) => `q${q} Q0 D${d} ${rank} ${score / 2} tag`) },
  { weight: 1, arbitrary: fc.constantFrom('', 'q1 Q0 D1 x 1.0 tag', 'q2 Q0 D2 1 nan? tag', 'q3 Q0 D3 1', '  ') },
);

describe('data/runIndex: a run read back from its file', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'mta4dpr-runindex-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds what readTrecRun holds, query by query, with the same report, for any file (lax reading)', async () => {
    let k = 0;
    await fc.assert(fc.asyncProperty(fc.array(lineArb, { maxLength: 60 }), fc.boolean(), async (lines, crlf) => {
      const path = join(dir, `run${k++}.trec`);
      writeFileSync(path, lines.join(crlf ? '\r\n' : '\n') + (lines.length && k % 2 ? '\n' : ''));
      // The collection's own string of the same id (interning never changes an id's text).
      const intern = (d: string) => ` ${d}`.slice(1);
      const held = await readTrecRun(path, { strict: false, internDocId: intern });
      const disk = await readTrecRun(path, { strict: false, internDocId: intern, onDisk: true });
      assert.ok(disk.value.byQuery instanceof RunIndex);
      assert.deepEqual([...disk.value.byQuery.keys()], [...held.value.byQuery.keys()]);
      for (const [q, entries] of held.value.byQuery) assert.deepEqual(disk.value.byQuery.get(q), entries, q);
      assert.deepEqual([...disk.value.byQuery], [...held.value.byQuery]);
      assert.deepEqual(disk.report, held.report);
      assert.equal(disk.value.name, held.value.name);
    }), { numRuns: 150 });
  });

  it('refuses the same bad line as readTrecRun when strict, and a gzipped run is held as usual', async () => {
    const path = join(dir, 'bad.trec');
    writeFileSync(path, 'q1 Q0 D1 1 2.0 t\nq1 Q0 D1 2 1.0 t\n');
    await assert.rejects(readTrecRun(path, { onDisk: true }), /bad\.trec:2.*duplicate document D1 for query q1 \(first at line 1\)/);
    await assert.rejects(readTrecRun(path), /bad\.trec:2.*duplicate document D1 for query q1 \(first at line 1\)/);
    const gz = join(dir, 'run.trec.gz');
    writeFileSync(gz, gzipSync('q1 Q0 D1 1 2.0 t\n'));
    const held = await readTrecRun(gz, { onDisk: true });
    assert.ok(!(held.value.byQuery instanceof RunIndex));
    assert.deepEqual(held.value.byQuery.get('q1'), [{ docId: 'D1', score: 2, rank: 1 }]);
  });

  it('names a run file changed since it was read, never handing out other entries', async () => {
    const path = join(dir, 'changed.trec');
    writeFileSync(path, 'q1 Q0 D1 1 2.0 t\nq2 Q0 D2 1 1.0 t\n');
    const run = (await readTrecRun(path, { onDisk: true })).value;
    assert.deepEqual(run.byQuery.get('q2'), [{ docId: 'D2', score: 1, rank: 1 }]);
    appendFileSync(path, 'q3 Q0 D3 1 0.5 t\n');
    // An append leaves the indexed ranges as they were (their entries still right); the periodic size check names it.
    assert.deepEqual(run.byQuery.get('q1'), [{ docId: 'D1', score: 2, rank: 1 }]);
    assert.throws(() => { for (let i = 0; i < 256; i++) run.byQuery.get('q1'); }, (e: Error) => e.message.startsWith(`${path}: the run file changed since it was read (34 → 51 bytes)`));
    // Rewritten in place, the same size: the ranges no longer hold their query's lines, or as many.
    const other = join(dir, 'rewritten.trec');
    writeFileSync(other, 'q1 Q0 D1 1 2.0 t\nq2 Q0 D2 1 1.0 t\n');
    const again = (await readTrecRun(other, { onDisk: true })).value;
    assert.equal(again.byQuery.get('q2')!.length, 1); // this read also checked size and time
    writeFileSync(other, 'q2 Q0 D1 1 2.0 t\nq2 Q0 D2 1 1.0 t\n');
    assert.throws(() => again.byQuery.get('q1'), /changed since it was read \(query q1's lines hold one of query q2\)/);
    writeFileSync(other, 'q1 Q0 D1 1 two t\nq2 Q0 D2 1 1.0 t\n');
    assert.throws(() => again.byQuery.get('q1'), /changed since it was read \(query q1 has 0 entries, 1 when read\)/);
    assert.throws(() => { for (let i = 0; i < 256; i++) again.byQuery.get('q2'); }, /changed since it was read \(modified at /);
  });
});
