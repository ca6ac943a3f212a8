/**
 * `reproduce --miniature` (lib/pipeline/miniature.ts): what each full-scale config needs is read
 * from the config (official families, run-file systems teacher first, HF model folders); the
 * miniature holds every file the official layout reads for it and loads through the ordinary
 * readers; a second call reuses it, other options or a tampered folder rewrite it, a foreign folder
 * is refused; the same seed writes the same bytes; the config comes back on the miniature at toy
 * scale. The CLI refuses --miniature with --data-root, and a miniature folder holding --out.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli';
import { ConfigError, parseExperimentConfig, specFilePaths, type ExperimentConfig } from '../../lib/config';
import { initBackend } from '../../lib/backend';
import { officialLayoutSpecs } from '../../lib/data/officialLayout';
import { datasetResolver } from '../../lib/data/resolver';
import { projectRoot } from '../../lib/data/paths';
import { OutputError } from '../../lib/io';
import { MINIATURE_STAMP, miniatureNeeds, onMiniature, prepareMiniature } from '../../lib/pipeline/miniature';
import { TOY_ROW_STEPS, TOY_SCALE } from '../../lib/pipeline/toyScale';
import { checkExperiment, loadCheckedExperiment } from '../../lib/pipeline/validate';

const SMALL = { passages: 80, trainQueries: 12, runDepth: 20 };
const config = (file: string, root: string): ExperimentConfig => loadCheckedExperiment(join(projectRoot(), 'configs', file), { dataRoot: root });

/** Runs the CLI, capturing stdout and stderr. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...m: unknown[]) => void out.push(m.map(String).join(' '));
  console.error = (...m: unknown[]) => void err.push(m.map(String).join(' '));
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

describe('pipeline/miniature: a full-scale config\'s miniature, read from the config', function () {
  this.timeout(120000);
  const tmp = mkdtempSync(join(tmpdir(), 'mta4dpr-miniature-'));
  before(async () => { await initBackend(); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads the families, the run-file systems (teacher first) and the HF student from each full config', () => {
    const marco = miniatureNeeds(config('msmarco-full.json', tmp));
    assert.deepEqual(marco.families, ['msmarco']);
    assert.deepEqual(marco.datasets, ['msmarco-passage/train', 'msmarco-passage/dev/small', 'trec-dl19-passage', 'trec-dl20-passage']);
    assert.deepEqual(marco.systems, ['SPLADE_P_P_ENSEMBLE_DISTIL', 'D_BERT_KD_TASB', 'ANCE', 'BM25_RM3', 'BM25']);
    assert.deepEqual(marco.models.map((m) => [m.role, m.dir]), [['student', 'models/tiny-student']]);
    const nq = miniatureNeeds(config('nq-full.json', tmp));
    assert.deepEqual(nq.families, ['nq']);
    assert.deepEqual(nq.systems, ['DKRR_NQ', 'DPR_SINGLE_NQ', 'DPR_MULTI', 'BM25']);
    // A config on its own data has nothing a miniature could stand in for.
    assert.throws(() => miniatureNeeds(loadCheckedExperiment(join(projectRoot(), 'configs', 'dl-demo.json'))), (e: unknown) => e instanceof ConfigError && /names no dataset of the official layout/.test(e.message));
  });

  for (const file of ['msmarco-full.json', 'nq-full.json']) {
    it(`${file}: writes every file the official layout reads for it, loadable, and the config runs on it at toy scale`, async () => {
      const dir = join(tmp, file.replace('.json', ''));
      const full = config(file, dir);
      const prepared = await prepareMiniature(full, dir, SMALL);
      assert.equal(prepared.reused, false);
      assert.equal(prepared.root, dir);
      const specs = officialLayoutSpecs(dir);
      const resolver = datasetResolver(specs, process.cwd());
      for (const name of prepared.needs.datasets) {
        for (const f of specFilePaths(specs[name])) assert.ok(existsSync(f), `${name}: ${f}`);
        const d = await resolver.load(name);
        assert.deepEqual(Object.keys(d.runFiles).sort(), [...prepared.needs.systems].sort(), `${name}: runs`);
        assert.equal(d.collection.passages.size, SMALL.passages);
      }
      assert.ok(existsSync(join(prepared.hfModel!, 'config.json')) && existsSync(join(prepared.hfModel!, 'model.safetensors')));
      const run = onMiniature(full, prepared);
      checkExperiment(run);
      assert.equal(run.data.root, dir);
      assert.equal(run.student.hfModel, prepared.hfModel);
      assert.deepEqual({ ...TOY_SCALE.train }, { stepsPerIteration: run.train.stepsPerIteration, batchSize: run.train.batchSize, negatives: run.train.negatives, warmupFraction: run.train.warmupFraction });
      assert.deepEqual(run.data.candidates, { ...TOY_SCALE.data.candidates });
      assert.equal(run.data.heldOut.fraction, TOY_SCALE.data.heldOut.fraction);
      // Everything but the scale is the config's own: rows, models, evaluation, iterations.
      assert.deepEqual(run.systems.map((s) => s.name), full.systems.map((s) => s.name));
      assert.deepEqual([run.teacher, run.assistants, run.eval, run.iterations, run.train.lr], [full.teacher, full.assistants, full.eval, full.iterations, full.train.lr]);
      assert.equal((run.systems.find((s) => s.name === 'KD (teacher only)')!.overrides.train as { stepsPerIteration: number }).stepsPerIteration, TOY_ROW_STEPS);
      assert.match(prepared.note, /miniature.*toy scale.*not the paper's/);
    });
  }

  it('reuses a complete miniature with the same options; other options or a changed folder rewrite it', async () => {
    const dir = join(tmp, 'reuse');
    const full = config('msmarco-full.json', dir);
    const first = await prepareMiniature(full, dir, SMALL);
    const collection = join(dir, 'msmarco-passage', 'collection.tsv');
    const mtime = statSync(collection).mtimeMs;
    const again = await prepareMiniature(full, dir, SMALL);
    assert.equal(again.reused, true);
    assert.equal(again.hash, first.hash);
    assert.equal(statSync(collection).mtimeMs, mtime, 'reused files are not rewritten');
    const other = await prepareMiniature(full, dir, { ...SMALL, seed: 2 });
    assert.equal(other.reused, false);
    assert.notEqual(other.hash, first.hash);
    // A stray run file would join the test candidates: the folder no longer matches its stamp and is rewritten, without it.
    const stray = join(dir, 'trec-dl-2019', 'runs', 'EXTRA.trec');
    writeFileSync(stray, '1 Q0 1 1 1 EXTRA\n');
    const cleaned = await prepareMiniature(full, dir, { ...SMALL, seed: 2 });
    assert.equal(cleaned.reused, false);
    assert.equal(cleaned.hash, other.hash);
    assert.ok(!existsSync(stray));
    // An edited file likewise.
    writeFileSync(collection, '0\tedited\n');
    assert.equal((await prepareMiniature(full, dir, { ...SMALL, seed: 2 })).reused, false);
    assert.notEqual(readFileSync(collection, 'utf8'), '0\tedited\n');
    assert.ok(JSON.parse(readFileSync(join(dir, MINIATURE_STAMP), 'utf8')).hash === other.hash);
  });

  it('the same seed writes the same bytes, in another folder', async () => {
    const a = await prepareMiniature(config('nq-full.json', join(tmp, 'same-a')), join(tmp, 'same-a'), SMALL);
    const b = await prepareMiniature(config('nq-full.json', join(tmp, 'same-b')), join(tmp, 'same-b'), SMALL);
    assert.equal(a.hash, b.hash);
  });

  it('refuses a non-empty folder that is not a miniature, and bad sizes, touching nothing', async () => {
    const dir = join(tmp, 'real-data');
    mkdirSync(join(dir, 'msmarco-passage'), { recursive: true });
    writeFileSync(join(dir, 'msmarco-passage', 'collection.tsv'), '0\treal\n');
    await assert.rejects(prepareMiniature(config('msmarco-full.json', dir), dir, SMALL), (e: unknown) => e instanceof OutputError && /holds no miniature\.json/.test(e.message));
    assert.equal(readFileSync(join(dir, 'msmarco-passage', 'collection.tsv'), 'utf8'), '0\treal\n');
    await assert.rejects(prepareMiniature(config('msmarco-full.json', join(tmp, 'bad')), join(tmp, 'bad'), { passages: 3 }), (e: unknown) => e instanceof ConfigError && /passages/.test(e.message));
    assert.ok(!existsSync(join(tmp, 'bad')));
  });

  it('writes tiny folders for dense and cross-encoder models and points the config at them', async () => {
    const dir = join(tmp, 'folders');
    const base = config('msmarco-full.json', dir);
    const raw = {
      ...base,
      assistants: [...base.assistants, { name: 'CE', kind: 'cross-encoder', path: '/nowhere/ce' }, { name: 'D', kind: 'dense', path: '/nowhere/dense', format: 'onnx', passageMaxLength: 100 }],
    };
    const withFolders = parseExperimentConfig(raw, 'test');
    const prepared = await prepareMiniature(withFolders, dir, SMALL);
    assert.deepEqual(prepared.needs.models.map((m) => [m.role, m.dir, m.maxPositions]), [['student', 'models/tiny-student', 64], ['cross-encoder', 'models/tiny-cross-encoder', 128], ['dense', 'models/tiny-dense', 100]]);
    const run = onMiniature(withFolders, prepared);
    const ce = run.assistants.find((a) => a.name === 'CE')!;
    const dense = run.assistants.find((a) => a.name === 'D')!;
    assert.ok(ce.kind === 'cross-encoder' && ce.path === join(dir, 'models/tiny-cross-encoder') && existsSync(join(ce.path, 'config.json')));
    assert.ok(dense.kind === 'dense' && dense.path === join(dir, 'models/tiny-dense') && dense.format === 'hf' && existsSync(join(dense.path, 'model.safetensors')));
  });

  it('reproduce: --miniature excludes --data-root, and may not hold --out', async () => {
    const cfg = join(projectRoot(), 'configs', 'msmarco-full.json');
    const both = await cli(['reproduce', '--config', cfg, '--out', join(tmp, 'o'), '--miniature', join(tmp, 'm'), '--data-root', tmp]);
    assert.equal(both.code, 2);
    assert.match(both.err, /--miniature and --data-root exclude each other/);
    const holding = await cli(['reproduce', '--config', cfg, '--out', join(tmp, 'm2', 'out'), '--miniature', join(tmp, 'm2')]);
    assert.equal(holding.code, 2);
    assert.match(holding.err, /would contain --out/);
    const help = await cli(['reproduce', '--help']);
    assert.match(help.out, /--miniature \[DIR\]/);
  });
});
