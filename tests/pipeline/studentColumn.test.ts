/**
 * The student column kept in a score log (stages/studentColumn.ts): written from the student's run
 * over a table's candidates, read back per query as the column the state's JSON used to hold.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScoreTable } from '../../lib/assistants/types';
import { studentColumnScores, writeStudentColumn } from '../../lib/pipeline/stages/studentColumn';
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
});
