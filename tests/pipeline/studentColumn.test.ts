/**
 * The student column kept in a score log (stages/studentColumn.ts): written from the student's run
 * over a table's candidates, read back per query as the column the state's JSON used to hold.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScoreTable } from '../../lib/assistants/types';
import { replaceWeakest } from '../../lib/pipeline/stages/replace';
import { StudentColumnWriter, studentColumnScores, writeStudentColumn } from '../../lib/pipeline/stages/studentColumn';
import type { Run } from '../../lib/data/types';

const table: ScoreTable = {
  models: [{ name: 'T', role: 'teacher' }],
  byQuery: new Map([
    ['q1', { queryId: 'q1', docIds: ['d1', 'd2', 'd3'], scores: [Float64Array.of(3, 2, 1)] }],
    ['q2', { queryId: 'q2', docIds: ['e1', 'e2'], scores: [Float64Array.of(1, 0)] }],
  ]),
};
// The student re-ranked q1 (d2 missing from its run) and never saw q2.
const run: Run = { name: 'student-it1', byQuery: new Map([['q1', [{ docId: 'd3', score: 0.75, rank: 1 }, { docId: 'd1', score: -1.5, rank: 2 }]]]) };

describe('pipeline/studentColumn', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'mta4dpr-column-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what it wrote, aligned with the table\'s candidates, NaN where the run has no score', () => {
    const path = join(dir, 'model.column.log');
    writeStudentColumn(path, run, table);
    writeStudentColumn(path, run, table); // a rerun starts the log afresh
    const scores = studentColumnScores({ replaced: 'B', scoresLog: path, modelDir: join(dir, 'model') });
    assert.deepEqual(scores('q1', ['d1', 'd2', 'd3']), Float64Array.of(-1.5, NaN, 0.75));
    assert.deepEqual(scores('q2', ['e1', 'e2']), Float64Array.of(NaN, NaN));
    assert.deepEqual(scores('q9', ['x']), Float64Array.of(NaN), 'a query outside the column');
    assert.throws(() => scores('q1', ['d1', 'd2']), /gone or changed since/, 'another candidate list is not this column');
  });

  it('reads the inline scores of a state written before the log', () => {
    const scores = studentColumnScores({ replaced: 'B', scores: { q1: [-1.5, NaN, 0.75] }, modelDir: 'm' });
    assert.deepEqual(scores('q1', ['d1', 'd2', 'd3']), Float64Array.of(-1.5, NaN, 0.75));
    assert.deepEqual(scores('q2', ['e1', 'e2']), Float64Array.of(NaN, NaN));
  });

  it('refuses a damaged log, naming it', () => {
    const path = join(dir, 'damaged.column.log');
    writeStudentColumn(path, run, table);
    const bytes = readFileSync(path);
    bytes[10] ^= 0xff;
    writeFileSync(path, bytes);
    assert.throws(() => studentColumnScores({ replaced: 'B', scoresLog: path, modelDir: 'm' }), (e: Error) => e.message.startsWith(`${path}: the student column's score log is damaged`));
  });
  it('written query by query, as the student\'s pass ranks them, reads back like the whole-run writer\'s', () => {
    const path = join(dir, 'streamed.column.log');
    const w = StudentColumnWriter.create(path, table);
    w.put('q1', run.byQuery.get('q1')!);
    w.put('q7', [{ docId: 'x', score: 1, rank: 1 }]); // outside the table: ignored
    w.close();
    const scores = studentColumnScores({ replaced: 'B', scoresLog: path, modelDir: 'm' });
    assert.deepEqual(scores('q1', ['d1', 'd2', 'd3']), Float64Array.of(-1.5, NaN, 0.75));
    assert.deepEqual(scores('q2', ['e1', 'e2']), Float64Array.of(NaN, NaN), 'a query never put reads as unscored');
    assert.deepEqual(scores('q7', ['x']), Float64Array.of(NaN));
  });

  it('replaceWeakest keeps the column of a student that joins, deletes one that does not, and refuses a join without one', async () => {
    const state = { pool: [{ name: 'A', quality: 0.5 }, { name: 'B', quality: 0.3 }], studentColumns: {} };
    const columnLog = join(dir, 'joins.column.log');
    writeStudentColumn(columnLog, run, table);
    const joined = await replaceWeakest(state, { name: 'S', quality: 0.4, modelDir: join(dir, 'model'), columnLog }, ['q1'], ['t1']);
    assert.equal(joined.replaced, 'B');
    assert.deepEqual(joined.studentColumns.S, { replaced: 'B', scoresLog: columnLog, modelDir: join(dir, 'model') });
    assert.ok(existsSync(columnLog));
    const stays = join(dir, 'stays-out.column.log');
    writeStudentColumn(stays, run, table);
    const out = await replaceWeakest(state, { name: 'S', quality: 0.2, modelDir: 'm', columnLog: stays }, ['q1'], ['t1']);
    assert.equal(out.replaced, null);
    assert.ok(!existsSync(stays), 'the column of a student that did not join is deleted');
    await assert.rejects(replaceWeakest(state, { name: 'S', quality: 0.4, modelDir: 'm' }, ['q1'], ['t1']), /has no column/);
  });
});
