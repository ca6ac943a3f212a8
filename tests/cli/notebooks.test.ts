/** The notebook runner really fails on a failing cell (tslab reports errors on stderr) and keeps outputs of a passing one. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, execution_count: null, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: 'TypeScript (mta4dpr)', language: 'typescript', name: 'tslab' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

describe('scripts/run-notebooks.js', function () {
  this.timeout(180_000);
  before(function () {
    if (spawnSync('jupyter', ['nbconvert', '--version']).status !== 0) this.skip();
  });

  it('stops at the first failing cell, printing notebook, cell source and error; later cells do not run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-nb-'));
    writeFileSync(join(dir, '01-fails.ipynb'), notebook(["console.log('first');", "throw new Error('deliberate failure 42');", "console.log('never printed');"]));
    writeFileSync(join(dir, '02-never-run.ipynb'), notebook(["console.log('second notebook');"]));
    const r = spawnSync(process.execPath, ['scripts/run-notebooks.js', '--dir', dir, '--out', join(dir, 'out'), '--timeout', '120'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /01-fails\.ipynb, cell 2 failed/);
    assert.match(r.stderr, /throw new Error\('deliberate failure 42'\);/);
    assert.match(r.stderr, /Error: deliberate failure 42/);
    const executed = readFileSync(join(dir, 'out', '01-fails.ipynb'), 'utf8');
    assert.doesNotMatch(executed, /"never printed\\n"/);
    assert.equal(existsSync(join(dir, 'out', '02-never-run.ipynb')), false);
  });

  it('a type error fails too; a passing notebook is saved with outputs and HTML, run in its own folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-nb-'));
    writeFileSync(join(dir, 'a-type-error.ipynb'), notebook(["const n: number = 'text';"]));
    writeFileSync(join(dir, 'b-ok.ipynb'), notebook(['console.log(process.cwd());']));
    // One run: the passing notebook first (saved, with HTML), then the type error stops the run.
    const r = spawnSync(process.execPath, ['scripts/run-notebooks.js', '--dir', dir, '--out', join(dir, 'out'), 'b-ok', 'a-type-error'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /b-ok\.ipynb … ok/);
    assert.match(r.stderr, /a-type-error\.ipynb, cell 1 failed/);
    assert.match(r.stderr, /not assignable to type 'number'/);
    const doc = JSON.parse(readFileSync(join(dir, 'out', 'b-ok.ipynb'), 'utf8')) as { cells: Array<{ outputs: Array<{ text?: string[] }> }> };
    assert.equal(doc.cells[0].outputs[0].text?.join('').trim(), dir);
    assert.ok(existsSync(join(dir, 'out', 'b-ok.html')));
  });

  it('fails a notebook whose outputs hold a wall of stderr lines, naming the count (the reader check)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-nb-'));
    writeFileSync(join(dir, 'a-quiet.ipynb'), notebook(['for (let i = 0; i < 5; i++) console.error(`note ${i}`);']));
    writeFileSync(join(dir, 'b-noisy.ipynb'), notebook(['for (let i = 0; i < 40; i++) console.error(`log line ${i}`);']));
    const r = spawnSync(process.execPath, ['scripts/run-notebooks.js', '--dir', dir, '--out', join(dir, 'out')], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /a-quiet\.ipynb … ok \([0-9.]+ s; 5 stderr lines, 0 figures\)/);
    assert.match(r.stderr, /b-noisy\.ipynb: the executed notebook does not pass the reader check/);
    assert.match(r.stderr, /40 lines of stderr \(at most 30\)/);
  });
});
