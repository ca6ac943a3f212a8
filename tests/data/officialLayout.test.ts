/**
 * The full-scale datasets' official layout (lib/data/officialLayout.ts) on a miniature written by
 * data-scripts/miniature.ts: every full-scale name loads through the ordinary readers with the
 * miniature's counts, qrels, answers and run files; the full-scale configs pass the pre-run check
 * with a data root and fail it, naming the dataset, without one.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../lib/config';
import { OFFICIAL_DATASET_NAMES, withOfficialLayout } from '../../lib/data/officialLayout';
import { datasetResolver } from '../../lib/data/resolver';
import { projectRoot } from '../../lib/data/paths';
import { readTrecRun } from '../../lib/data/trec';
import { checkDataRoot, loadCheckedExperiment } from '../../lib/pipeline/validate';
import { writeMsmarcoMiniature, writeNqMiniature, type MiniatureSummary } from '../../data-scripts/miniature';

describe('data/officialLayout on a miniature in the public formats', function () {
  this.timeout(60000);
  const root = mkdtempSync(join(tmpdir(), 'mta4dpr-official-'));
  const systems = ['SPLADE_P_P_ENSEMBLE_DISTIL', 'D_BERT_KD_TASB', 'BM25'];
  let summaries: MiniatureSummary[];
  before(() => {
    summaries = [writeMsmarcoMiniature(root, { passages: 600, trainQueries: 40, systems }), writeNqMiniature(root, { passages: 500, trainQueries: 40, systems })];
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes the files by their public names, with the public headers and separators', () => {
    const head = (p: string) => readFileSync(join(root, p), 'utf8').split('\n')[0];
    assert.match(head('msmarco-passage/collection.tsv'), /^0\t\S/);
    assert.match(head('msmarco-passage/qrels.train.tsv'), /^\d+\t0\t\d+\t1$/);
    assert.match(head('msmarco-passage/top1000.dev'), /^\d+\t\d+\t[^\t]+\t[^\t]+$/);
    assert.match(head('trec-dl-2019/2019qrels-pass.txt'), /^\d+ Q0 \d+ [0-3]$/);
    assert.equal(head('wikipedia/psgs_w100.tsv'), 'id\ttext\ttitle');
    assert.match(readFileSync(join(root, 'wikipedia/psgs_w100.tsv'), 'utf8').split('\n')[1], /^1\t"[^\t]*"\t[^\t]+$/);
    assert.match(head('nq/nq-test.qa.csv'), /^[^\t]+\?\t\['[^']+', '[^']+'\]$/);
    const records = JSON.parse(readFileSync(join(root, 'nq/biencoder-nq-train.json'), 'utf8')) as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(records[0]), ['dataset', 'question', 'answers', 'positive_ctxs', 'negative_ctxs', 'hard_negative_ctxs']);
  });

  it('every full-scale name loads through the ordinary readers, with the miniature\'s counts', async () => {
    const resolver = datasetResolver(withOfficialLayout({}, root), process.cwd());
    for (const name of OFFICIAL_DATASET_NAMES) assert.ok(resolver.names().includes(name), name);
    const counts = Object.assign({}, ...summaries.map((s) => s.queries)) as Record<string, number>;
    for (const name of ['msmarco-passage/train', 'msmarco-passage/dev/small', 'trec-dl19-passage', 'trec-dl20-passage', 'nq-dpr/train']) {
      const d = await resolver.load(name);
      assert.equal(d.qrels!.judgments.size, counts[name], `${name}: judged queries`);
      assert.deepEqual(Object.keys(d.runFiles).sort(), [...systems].sort(), `${name}: runs`);
      assert.equal(d.warnings.length, 0, `${name}: ${d.warnings.join('; ')}`);
    }
    const marco = await resolver.load('msmarco-passage/train');
    assert.equal(marco.collection.passages.size, 600);
    // The DL topic files hold more topics than are judged, as the real ones.
    assert.ok((await resolver.load('trec-dl19-passage')).queries.queries.size > counts['trec-dl19-passage']);
    const test = await resolver.load('nq-dpr/test');
    assert.equal(test.queries.queries.size, counts['nq-dpr/test']);
    assert.equal(test.collection.passages.size, 500);
    assert.ok([...test.queries.queries.values()].every((q) => (q.answers?.length ?? 0) === 2));
    // A psgs passage with an embedded quote comes back unquoted.
    assert.ok([...test.collection.passages.values()].some((p) => p.text.includes('"')));
    const run = (await readTrecRun(test.runFiles.BM25)).value;
    assert.equal(run.byQuery.size, counts['nq-dpr/test']);
    assert.ok([...run.byQuery.values()].every((l) => l.every((e) => test.collection.passages.has(e.docId))));
  });

  it('the full-scale configs pass the data-root check with a data root holding their runs, and name the dataset without one', () => {
    const missingRuns: Record<string, { dirs: string[]; systems: string[] }> = {
      'msmarco-full.json': { dirs: ['msmarco-passage/runs/train'], systems: ['ANCE', 'BM25_RM3'] },
      'nq-full.json': { dirs: ['nq/runs/train'], systems: ['DKRR_NQ', 'DPR_SINGLE_NQ', 'DPR_MULTI'] },
    };
    for (const [f, missing] of Object.entries(missingRuns)) {
      const path = join(projectRoot(), 'configs', f);
      // This miniature has three systems' runs: the check names the others before any work.
      assert.throws(() => checkDataRoot(loadCheckedExperiment(path, { dataRoot: root })), (e: unknown) => e instanceof ConfigError
        && e.issues.length === 1 && e.issues[0] === `data.train: no run file ${missing.systems.map((x) => `${x}.trec`).join(', ')} in ${join(root, missing.dirs[0])} (found: ${[...systems].sort().join(', ')})`);
      for (const system of missing.systems) copyFileSync(join(root, missing.dirs[0], 'BM25.trec'), join(root, missing.dirs[0], `${system}.trec`));
      const config = loadCheckedExperiment(path, { dataRoot: root });
      checkDataRoot(config);
      assert.equal(config.data.root, root);
      for (const system of missing.systems) rmSync(join(root, missing.dirs[0], `${system}.trec`));
      assert.throws(() => loadCheckedExperiment(path), (e: unknown) => e instanceof ConfigError && /unknown dataset '(msmarco-passage\/train|nq-dpr\/train)'/.test(e.issues.join('\n')));
    }
  });

  it('lists every missing file of the layout at once, with where it looked', () => {
    const empty = mkdtempSync(join(tmpdir(), 'mta4dpr-official-empty-'));
    try {
      assert.throws(() => checkDataRoot(loadCheckedExperiment(join(projectRoot(), 'configs', 'msmarco-full.json'), { dataRoot: empty })), (e: unknown) => {
        if (!(e instanceof ConfigError)) return false;
        const text = e.issues.join('\n');
        for (const f of ['collection.tsv', 'queries.train.tsv', 'qrels.train.tsv', 'queries.dev.small.tsv', 'qrels.dev.small.tsv', 'msmarco-test2019-queries.tsv', '2020qrels-pass.txt']) {
          assert.match(text, new RegExp(`${f.replace(/\./g, '\\.')} not found under ${empty}`), f);
        }
        assert.match(text, /2019qrels-pass\.txt not found .*\(looked for trec-dl-2019\/2019qrels-pass\.txt\[\.gz\], msmarco-passage\/2019qrels-pass\.txt\[\.gz\]\)/);
        assert.match(text, /data\.train: no run file SPLADE_P_P_ENSEMBLE_DISTIL\.trec, D_BERT_KD_TASB\.trec, ANCE\.trec, BM25_RM3\.trec, BM25\.trec in .*msmarco-passage\/runs\/train \(found: none\)/);
        return true;
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads DPR\'s own download layout (downloads/data/…, its file names), gzipped files too', async () => {
    const dpr = mkdtempSync(join(tmpdir(), 'mta4dpr-official-dpr-'));
    try {
      const move = (from: string, to: string, gzip = false) => {
        mkdirSync(dirname(join(dpr, to)), { recursive: true });
        const bytes = readFileSync(join(root, from));
        writeFileSync(join(dpr, gzip ? `${to}.gz` : to), gzip ? gzipSync(bytes) : bytes);
      };
      move('wikipedia/psgs_w100.tsv', 'downloads/data/wikipedia_split/psgs_w100.tsv', true);
      move('nq/biencoder-nq-train.json', 'downloads/data/retriever/nq-train.json');
      move('nq/nq-test.qa.csv', 'downloads/data/retriever/qas/nq-test.csv');
      const resolver = datasetResolver(withOfficialLayout({}, dpr), process.cwd());
      const ours = datasetResolver(withOfficialLayout({}, root), process.cwd());
      for (const name of ['nq-dpr/train', 'nq-dpr/test']) {
        const [a, b] = [await resolver.load(name), await ours.load(name)];
        assert.equal(a.collection.passages.size, b.collection.passages.size, name);
        assert.deepEqual([...a.queries.queries.values()], [...b.queries.queries.values()], name);
      }
    } finally {
      rmSync(dpr, { recursive: true, force: true });
    }
  });
});
