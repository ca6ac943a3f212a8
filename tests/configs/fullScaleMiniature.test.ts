/**
 * configs/msmarco-full.json and configs/nq-full.json end to end on miniatures in the public formats
 * (lib/data/miniature.ts, written for each config by lib/pipeline/miniature.ts), every row: run
 * files as teacher and assistants, a DistilBERT-architecture student loaded from a Hugging Face
 * folder the package writes, three iterations, dense retrieval over the whole collection, MS MARCO
 * dev at relevance 1 and TREC DL at 2, NQ by answer accuracy. Only the scale is changed
 * (lib/pipeline/toyScale.ts: steps, batch, depths, a tiny width): the config's names, models, rows
 * and evaluation are its own. MS MARCO runs through the real command (`reproduce --miniature`),
 * NQ through the library calls it makes.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentConfig } from '../../lib/config';
import { evaluate } from '../../lib/eval';
import { projectRoot } from '../../lib/data/paths';
import { main } from '../../lib/cli';
import { reproduce, type ReproduceResults, type RowOutcome } from '../../lib/pipeline/reproduce';
import { buildCandidates, loadTestSplits } from '../../lib/pipeline/stages/candidates';
import { loadCheckedExperiment } from '../../lib/pipeline/validate';
import { onMiniature, prepareMiniature, type PreparedMiniature } from '../../lib/pipeline/miniature';
import { initBackend } from '../../lib/backend';

/** A full config on its miniature in `dir`, at toy scale (the miniature is written, or reused when there). */
async function onItsMiniature(configFile: string, dir: string): Promise<{ config: ExperimentConfig; prepared: PreparedMiniature }> {
  const full = loadCheckedExperiment(join(projectRoot(), 'configs', configFile), { dataRoot: dir });
  const prepared = await prepareMiniature(full, dir);
  return { config: onMiniature(full, prepared), prepared };
}

/** Runs the CLI; stdout and stderr (the run log's lines) are kept, and shown only when the run fails. */
async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error, write] = [console.log, console.error, process.stderr.write];
  console.log = (...m: unknown[]) => void out.push(m.map(String).join(' '));
  console.error = (...m: unknown[]) => void err.push(m.map(String).join(' '));
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    if (code !== 0) error(`${out.join('\n')}\n${err.join('')}`);
    return { code, out: out.join('\n') };
  } finally {
    [console.log, console.error, process.stderr.write] = [log, error, write];
  }
}

describe('configs/msmarco-full.json end to end on a miniature (toy scale): `reproduce --miniature`', function () {
  this.timeout(300000);
  const root = mkdtempSync(join(tmpdir(), 'mta4dpr-full-'));
  const [miniature, out] = [join(root, 'miniature'), join(root, 'out')];
  let stdout: string;
  let results: Pick<ReproduceResults, 'rows' | 'evaluation'>;
  let outcomes: RowOutcome[];
  before(async () => {
    const run = await cli(['reproduce', '--config', join(projectRoot(), 'configs', 'msmarco-full.json'), '--miniature', miniature, '--out', out, '--jobs', '1', '--no-progress']);
    assert.equal(run.code, 0);
    stdout = run.out;
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    outcomes = JSON.parse(readFileSync(join(out, 'per-query.json'), 'utf8'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('gives every row on the three test sets, by retrieval, each test set at its own relevance level; results and report say: miniature, toy scale', async () => {
    const { config, prepared } = await onItsMiniature('msmarco-full.json', miniature);
    assert.equal(prepared.reused, true, 'the command\'s miniature is complete: a second preparation reuses it');
    assert.match(stdout.split('\n')[0], new RegExp(`^miniature written: ${miniature} .*toy scale: the numbers are not the paper's$`));
    const tests = ['msmarco-passage/dev/small', 'trec-dl19-passage', 'trec-dl20-passage'];
    assert.deepEqual(results.rows.map((r) => `${r.system} @ ${r.dataset}`), config.systems.flatMap((s) => tests.map((t) => `${s.name} @ ${t}`)));
    assert.deepEqual(results.evaluation, {
      mode: 'retrieve', depth: 50, relLevels: { 'msmarco-passage/dev/small': 1, 'trec-dl19-passage': 2, 'trec-dl20-passage': 2 }, miniature: prepared.note,
    });
    assert.ok(readFileSync(join(out, 'report.md'), 'utf8').includes(`**Data: ${prepared.note}.**`));
    for (const r of results.rows) for (const v of Object.values(r.metrics)) assert.ok(Number.isFinite(v) && v >= 0 && v <= 1, `${r.system} ${r.dataset}: ${v}`);
    const mta = outcomes.find((o) => o.system === 'MTA4DPR')!;
    assert.deepEqual(mta.iterations['1'].map((i) => i.steps), [3, 3, 3]);
    assert.equal(outcomes.find((o) => o.system === 'KD (teacher only)')!.iterations['1'][0].steps, 6);
  });

  it('bundled runs are evaluated as published at the test set\'s level (MS MARCO dev: grade 1)', async () => {
    const { config } = await onItsMiniature('msmarco-full.json', miniature);
    const [dev] = await loadTestSplits(config, (await buildCandidates(config)).train);
    const expected = evaluate(dev.qrels!, dev.runs.get('BM25')!, ['RR@10'], { relLevel: 1 }).mean['RR@10'];
    assert.equal(results.rows.find((r) => r.system === 'BM25' && r.dataset === 'msmarco-passage/dev/small')!.metrics['RR@10'], expected);
  });
});

describe('configs/nq-full.json end to end on a miniature (toy scale)', function () {
  this.timeout(300000);
  const root = mkdtempSync(join(tmpdir(), 'mta4dpr-full-'));
  let run: { config: ExperimentConfig; results: ReproduceResults };
  before(async () => {
    await initBackend();
    const { config, prepared } = await onItsMiniature('nq-full.json', join(root, 'miniature'));
    run = { config, results: await reproduce(config, { outDir: join(root, 'out'), progress: 'none', log: () => {}, miniature: prepared.note }) };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('gives every row its top-20 / top-100 answer accuracy on NQ test, students by retrieval over psgs_w100', () => {
    const { config, results } = run;
    assert.deepEqual(results.rows.map((r) => r.system), config.systems.map((s) => s.name));
    for (const r of results.rows) {
      assert.equal(r.dataset, 'nq-dpr/test');
      assert.deepEqual(Object.keys(r.metrics), ['Answer@20', 'Answer@100']);
      assert.ok(r.metrics['Answer@20'] <= r.metrics['Answer@100'], r.system);
    }
    assert.equal(results.evaluation.mode, 'retrieve');
    assert.match(results.evaluation.miniature ?? '', /^synthetic miniature of the official layout \(DPR NQ: 500 passages/);
    assert.ok(results.comparisons.every((c) => c.queries === 10));
  });
});
