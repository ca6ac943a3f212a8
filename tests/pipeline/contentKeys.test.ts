/**
 * Content-addressed steps for real: the tiny experiment runs once, then one passage of its test
 * dataset (dl20, a copy under a temporary MTA4DPR_DATA) is changed and it reruns into the same
 * folder. The training steps (score table, iterations) are reused; every test evaluation that
 * reads the changed split is recomputed, and no row keeps a number computed on the old text.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseExperimentConfig } from '../../lib/config';
import { projectRoot } from '../../lib/data/paths';
import { readTrecRun } from '../../lib/data';
import { reproduce } from '../../lib/pipeline/reproduce';
import { StepStore } from '../../lib/pipeline/steps';
import { tinyExperimentConfig } from './tinyExperiment';

/** A data root that links every folder of the bundled data except demo/dl20, which is copied. */
function dataCopy(dir: string): string {
  const src = join(projectRoot(), 'data');
  const root = join(dir, 'data');
  mkdirSync(join(root, 'demo'), { recursive: true });
  for (const e of readdirSync(src)) if (e !== 'demo') symlinkSync(join(src, e), join(root, e));
  for (const e of readdirSync(join(src, 'demo'))) if (e !== 'dl20') symlinkSync(join(src, 'demo', e), join(root, 'demo', e));
  cpSync(join(src, 'demo', 'dl20'), join(root, 'demo', 'dl20'), { recursive: true });
  return root;
}

describe('pipeline: a changed data file recomputes exactly the dependent steps', function () {
  this.timeout(240000);
  let dir: string;
  const saved = process.env.MTA4DPR_DATA;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mta4dpr-content-'));
    process.env.MTA4DPR_DATA = dataCopy(dir);
  });
  after(() => {
    if (saved === undefined) delete process.env.MTA4DPR_DATA;
    else process.env.MTA4DPR_DATA = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('changing one dl20 passage reruns the test evaluations only, with fresh numbers', async () => {
    const outDir = join(dir, 'out');
    const config = parseExperimentConfig(tinyExperimentConfig());
    const first = await reproduce(config, { outDir, progress: 'none', log: () => {} });
    const store = new StepStore(outDir);
    const before = new Map(store.records().map((r) => [r.key, r.name]));

    // The top BM25 passage of a dl20 query is a test candidate: rewrite its text.
    const root = process.env.MTA4DPR_DATA!;
    const bm25 = (await readTrecRun(join(root, 'demo', 'dl20', 'runs', readdirSync(join(root, 'demo', 'dl20', 'runs')).find((f) => /bm25/i.test(f) && !/rm3/i.test(f))!), { name: 'BM25' })).value;
    const target = [...bm25.byQuery.values()][0][0].docId;
    const file = join(root, 'demo', 'dl20', 'passages.jsonl.gz');
    let changed = 0;
    const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n').map((line) => {
      if (!line.trim()) return line;
      const p = JSON.parse(line) as Record<string, unknown>;
      const id = String(p.id ?? p._id ?? p.docid ?? p.pid);
      if (id !== target) return line;
      changed += 1;
      return JSON.stringify({ ...p, text: 'zebra xylophone quasar marmalade' });
    });
    assert.equal(changed, 1, `passage ${target} not found in ${file}`);
    writeFileSync(file, gzipSync(lines.join('\n')));

    // A rerun is a new process (this one keeps the loaded datasets in memory).
    const script = `const { reproduce } = require(${JSON.stringify(join(projectRoot(), 'lib/pipeline/reproduce'))});
      const { parseExperimentConfig } = require(${JSON.stringify(join(projectRoot(), 'lib/config'))});
      const { tinyExperimentConfig } = require(${JSON.stringify(join(__dirname, 'tinyExperiment'))});
      reproduce(parseExperimentConfig(tinyExperimentConfig()), { outDir: ${JSON.stringify(outDir)}, progress: 'none', log: () => {} })
        .then((r) => require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'second.json'))}, JSON.stringify(r)));`;
    execFileSync(process.execPath, ['--import=tsx', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
    const second = JSON.parse(readFileSync(join(dir, 'second.json'), 'utf8')) as typeof first;
    const after = store.records();
    const rerun = after.filter((r) => !before.has(r.key));
    // Exactly the test evaluations reran (one per student row), nothing of training.
    assert.deepEqual(rerun.map((r) => r.name).sort(), ['test-eval', 'test-eval']);
    for (const name of ['iteration']) assert.ok(after.filter((r) => r.name === name).every((r) => before.has(r.key)), `${name} steps were recomputed`);
    // The bundled-run row reads no passage text; the student rows' results are the new steps'.
    const row = (r: typeof first, s: string) => r.rows.find((x) => x.system === s)!.metrics;
    assert.deepEqual(row(second, 'BM25'), row(first, 'BM25'));
    const fresh = rerun.map((r) => JSON.parse(readFileSync(join(outDir, r.dir, 'value.json'), 'utf8')) as Record<string, Record<string, number>>);
    for (const s of ['Untrained student', 'MTA4DPR']) {
      const o = second.outcomes.find((x) => x.system === s)!;
      assert.ok(fresh.some((v) => JSON.stringify(v) === JSON.stringify(o.perSeed['1'])), `${s}: its per-query values are not from a recomputed step`);
    }
  });
});
