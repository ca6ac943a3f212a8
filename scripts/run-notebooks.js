#!/usr/bin/env node
// `npm run notebooks [names...]`: executes notebooks/*.ipynb in order, headless, through the real
// tslab kernel (nbclient, the engine of `jupyter nbconvert --execute`; HTML export by nbconvert),
// writing executed copies + HTML to out/notebooks/. Stops at the first failing cell and prints the
// notebook, the cell's source and the error.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { registerKernel, jupyterPath } = require('./register-kernel');

const root = path.resolve(__dirname, '..');
// Executes one notebook with nbclient in the notebook's folder, saves it even when a cell fails,
// and prints FAILED_CELL <index> for the first failing cell.
const EXECUTE_PY = `
import sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
src, dst, timeout = sys.argv[1], sys.argv[2], int(float(sys.argv[3]))
nb = nbformat.read(src, as_version=4)
state = {'failed': None}
def on_error(cell, cell_index, **kw):
    if state['failed'] is None:
        state['failed'] = cell_index
client = NotebookClient(nb, timeout=timeout, kernel_name='tslab', on_cell_error=on_error,
                        resources={'metadata': {'path': '.'}})
code = 0
try:
    client.execute()
except CellExecutionError:
    code = 1
finally:
    nbformat.write(nb, dst)
if state['failed'] is not None:
    print('FAILED_CELL %d' % state['failed'])
    code = 1
sys.exit(code)
`;

const USAGE = 'usage: node scripts/run-notebooks.js [--dir DIR] [--out DIR] [--timeout SECONDS] [NAME...]';

function parseArgs(argv) {
  const o = { dir: path.join(root, 'notebooks'), out: path.join(root, 'out', 'notebooks'), timeout: Number(process.env.MTA4DPR_NOTEBOOK_TIMEOUT || 3600), names: [], python: process.env.MTA4DPR_PYTHON || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value\n${USAGE}`, 2);
      return argv[++i];
    };
    if (a === '--dir') o.dir = path.resolve(value());
    else if (a === '--out') o.out = path.resolve(value());
    else if (a === '--timeout') o.timeout = Number(value());
    else if (a === '-h' || a === '--help') { console.log(USAGE); process.exit(0); }
    else if (a.startsWith('-')) fail(`unknown flag ${a}\n${USAGE}`, 2);
    else o.names.push(a);
  }
  if (!Number.isFinite(o.timeout) || o.timeout <= 0) fail(`--timeout must be a positive number of seconds\n${USAGE}`, 2);
  return o;
}

function fail(msg, code = 1) {
  console.error(`run-notebooks: ${msg}`);
  process.exit(code);
}

/** Notebooks to run: all *.ipynb in name order, or those named (with or without .ipynb, or a prefix like 00). */
function selectNotebooks(dir, names) {
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort();
  if (names.length === 0) return all;
  return names.map((n) => {
    const hits = all.filter((f) => f === n || f === `${n}.ipynb` || f.startsWith(n));
    if (hits.length !== 1) fail(`'${n}' matches ${hits.length === 0 ? 'no notebook' : hits.join(', ')} in ${dir}`, 2);
    return hits[0];
  });
}

/** Text of a cell's error outputs (error outputs, plus stderr of a cell whose kernel reply failed). */
function errorOutputs(cell) {
  return (cell.outputs || []).filter((o) => o.output_type === 'error')
    .map((o) => `${o.ename}: ${o.evalue}\n${(o.traceback || []).join('\n')}`.replace(/\u001b\[[0-9;]*m/g, ''));
}

/** Index of the last code cell that ran (the failing one when nbclient stopped). */
function lastExecuted(doc) {
  let last = 0;
  doc.cells.forEach((c, i) => { if (c.cell_type === 'code' && (c.execution_count != null || (c.outputs || []).length > 0)) last = i; });
  return last;
}

function cellSource(cell) {
  return Array.isArray(cell.source) ? cell.source.join('') : String(cell.source || '');
}

/** The reader check from the built library (npm test builds first); a clear message when it is not built. */
function readerCheck(doc) {
  const built = path.join(root, 'dist', 'lib', 'report', 'notebookCheck.js');
  if (!fs.existsSync(built)) fail(`${built} is missing: run npm run build first`);
  return require(built).checkExecutedNotebook(doc);
}

function jupyter(args, env) {
  return spawnSync('jupyter', args, { cwd: root, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const version = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    fail('jupyter nbconvert not found: apt-get install -y --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-client jupyter-core python3-ipython');
  }
  registerKernel({ quiet: true });
  const env = { ...process.env, JUPYTER_PATH: jupyterPath() };
  fs.mkdirSync(o.out, { recursive: true });
  const notebooks = selectNotebooks(o.dir, o.names);
  if (notebooks.length === 0) fail(`no notebooks in ${o.dir}`);
  for (const nb of notebooks) {
    const input = path.join(o.dir, nb);
    const executed = path.join(o.out, nb);
    const t0 = Date.now();
    process.stdout.write(`notebook ${nb} … `);
    // nbclient (what `jupyter nbconvert --execute` runs) is driven directly so that a failing
    // notebook is still saved: tslab reports errors on stderr, not in the execute reply.
    const run = spawnSync(o.python, ['-c', EXECUTE_PY, input, executed, String(o.timeout)],
      { cwd: o.dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (run.status !== 0 && !fs.existsSync(executed)) {
      console.log('FAILED');
      fail(`could not execute ${input} (exit ${run.status}${run.error ? `, ${run.error.message}` : ''}):\n${run.stderr}`);
    }
    const failedAt = /FAILED_CELL (\d+)/.exec(run.stdout || '');
    if (run.status !== 0 || failedAt) {
      console.log('FAILED');
      const doc = JSON.parse(fs.readFileSync(executed, 'utf8'));
      const i = failedAt ? Number(failedAt[1]) : lastExecuted(doc);
      const cell = doc.cells[i] || { source: '(unknown cell)', outputs: [] };
      const stderr = (cell.outputs || []).filter((x) => x.output_type === 'stream' && x.name === 'stderr').map((x) => [].concat(x.text).join(''));
      const errs = errorOutputs(cell);
      console.error(`\nnotebook ${input}, cell ${i + 1} failed:\n------------------\n${cellSource(cell)}\n------------------\n` +
        `${[...errs, ...stderr].join('\n') || (run.stderr || '').slice(-4000)}\n\n(partial output saved in ${executed})`);
      process.exit(1);
    }
    // Belt and braces: an error output that did not stop nbconvert still fails the run.
    const doc = JSON.parse(fs.readFileSync(executed, 'utf8'));
    for (const [i, cell] of doc.cells.entries()) {
      const errs = cell.cell_type === 'code' ? errorOutputs(cell) : [];
      if (errs.length > 0) {
        console.log('FAILED');
        console.error(`\nnotebook ${input}, cell ${i + 1}:\n------------------\n${cellSource(cell)}\n------------------\n${errs.join('\n')}`);
        process.exit(1);
      }
    }
    const html = jupyter(['nbconvert', '--to', 'html', '--output-dir', o.out, executed], env);
    if (html.status !== 0) fail(`HTML export of ${executed} failed:\n${html.stderr}`);
    // What a reader sees: no log wall, no blank figure, no untitled figure (lib/report/notebookCheck.ts).
    const check = readerCheck(doc);
    if (check.problems.length > 0) {
      console.log('FAILED');
      fail(`${input}: the executed notebook does not pass the reader check:\n${check.problems.map((p) => `  - ${p}`).join('\n')}\n(executed copy: ${executed})`);
    }
    console.log(`ok (${((Date.now() - t0) / 1000).toFixed(1)} s; ${check.stderrLines} stderr lines, ${check.figures} figures) → ${path.relative(root, executed)}, ${path.relative(root, executed.replace(/\.ipynb$/, '.html'))}`);
  }
}

main();
