/** The packed score log: exact round trip, damage stepped over without a wrong value, concurrent writers. */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ScoreLog, encodeScoreRecord, readScoreRecord } from '../../lib/assistants/scoreLog';

const keyOf = (i: number) => createHash('sha256').update(`chunk ${i}`).digest();
const scoresArb = fc.array(fc.oneof(fc.double(), fc.constant(NaN)), { minLength: 0, maxLength: 12 }).map((a) => Float64Array.from(a));

describe('assistants/scoreLog', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mta4dpr-scorelog-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds every record written, bit for bit (NaN, -0 and infinities kept), across flushes and reopenings', () => {
    fc.assert(fc.property(fc.array(scoresArb, { maxLength: 30 }), fc.integer({ min: 1, max: 7 }), (chunks, every) => {
      const path = join(dir, `log-${Math.random()}`);
      let log = ScoreLog.open(path);
      chunks.forEach((s, i) => {
        log.put(keyOf(i), s);
        assert.deepEqual(log.get(keyOf(i), s.length), s, 'an unwritten record is found by its writer');
        if (i % every === 0) { log.close(); log = ScoreLog.open(path); }
      });
      log.close();
      const back = ScoreLog.open(path);
      assert.equal(back.records, chunks.length);
      assert.equal(back.skippedBytes, 0);
      chunks.forEach((s, i) => {
        assert.deepEqual(back.get(keyOf(i), s.length), s);
        assert.equal(back.get(keyOf(i), s.length + 1), undefined, 'a record of another length is not the chunk');
      });
      back.close();
    }), { numRuns: 40 });
  });

  it('after any truncation or garbled byte, finds every intact record and never returns a wrong one', () => {
    fc.assert(fc.property(
      fc.array(scoresArb, { minLength: 1, maxLength: 15 }), fc.nat(), fc.boolean(), fc.integer({ min: 1, max: 255 }),
      (chunks, where, truncate, flip) => {
        const records = chunks.map((s, i) => encodeScoreRecord(keyOf(i), s));
        const file = Buffer.concat(records);
        const cut = where % file.length;
        const damaged = truncate ? file.subarray(0, cut) : Buffer.from(file);
        if (!truncate) damaged[cut] ^= flip;
        const path = join(dir, `log-${Math.random()}`);
        writeFileSync(path, damaged);
        const log = ScoreLog.open(path);
        let start = 0;
        let lost = 0;
        chunks.forEach((s, i) => {
          const end = start + records[i].length;
          const intact = truncate ? end <= cut : cut < start || cut >= end;
          const got = log.get(keyOf(i), s.length);
          if (intact) assert.deepEqual(got, s, `record ${i} is intact and must be found`);
          else {
            assert.equal(got, undefined, `damaged record ${i} must not be returned`);
            lost += 1;
          }
          start = end;
        });
        assert.equal(log.records, chunks.length - lost);
        assert.equal(log.skippedBytes, file.length - records.reduce((n, r, i) => n + (log.get(keyOf(i), chunks[i].length) ? r.length : 0), 0) - (truncate ? file.length - cut : 0));
        log.close();
      },
    ), { numRuns: 200 });
  });

  it('two writers appending to one log never break each other\'s records', () => {
    const path = join(dir, 'shared.log');
    const a = ScoreLog.open(path);
    const b = ScoreLog.open(path);
    for (let i = 0; i < 200; i++) {
      (i % 2 ? a : b).put(keyOf(i), Float64Array.from({ length: i % 9 }, (_, j) => i + j / 10));
      if (i % 7 === 0) (i % 2 ? b : a).flush();
    }
    a.flush();
    b.flush();
    // A writer's flush scans what was appended since its last scan: each locates its own records, and
    // b, which flushed last, everyone's; each is read back by place.
    for (const [w, own] of [[a, 1], [b, 0]] as const) {
      for (let i = 0; i < 200; i++) {
        if (w === a && i % 2 !== own) continue;
        const expected = Float64Array.from({ length: i % 9 }, (_, j) => i + j / 10);
        const at = w.locate(keyOf(i), i % 9);
        assert.ok(at, `record ${i}`);
        assert.deepEqual(readScoreRecord(at), expected);
        assert.equal(w.locate(keyOf(i), (i % 9) + 1), undefined, 'another length is another record');
      }
    }
    a.close();
    b.close();
    const back = ScoreLog.open(path);
    assert.equal(back.records, 200);
    assert.equal(back.skippedBytes, 0);
    for (let i = 0; i < 200; i++) assert.deepEqual(back.get(keyOf(i), i % 9), Float64Array.from({ length: i % 9 }, (_, j) => i + j / 10));
    back.close();
    assert.equal(readFileSync(path).length, Array.from({ length: 200 }, (_, i) => 44 + 8 * (i % 9)).reduce((x, y) => x + y, 0));
  });

  it('names the file when it cannot be written', () => {
    writeFileSync(join(dir, 'file'), 'x');
    const log = ScoreLog.open(join(dir, 'file', 'scores.log'));
    log.put(keyOf(0), Float64Array.of(1));
    assert.throws(() => log.close(), /file\/scores\.log/);
  });
});
