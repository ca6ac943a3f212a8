/** `mta4dpr data check`, and `mta4dpr eval` on a config's dataset, through the built CLI (node bin/mta4dpr.js), as a user runs it. */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../data/tmpFiles';

const root = join(__dirname, '..', '..');
const cran = join(root, 'data', 'fixtures', 'cranfield');

/** Newest modification time of the .ts files under `dir`. */
function newestTs(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestTs(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Runs the built CLI; builds first when dist/ is older than lib/ (npm test builds before mocha). */
function mta4dpr(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'mta4dpr.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('mta4dpr data check', function () {
  this.timeout(600_000);
  before(() => {
    const built = join(root, 'dist', 'lib', 'cli', 'data.js');
    let stale = true;
    try {
      stale = statSync(built).mtimeMs < newestTs(join(root, 'lib'));
    } catch {
      // Not built yet.
    }
    if (stale) execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit', timeout: 590_000 });
  });

  /** A config folder with Cranfield as x/ALL, x/QRY, x/REL and the exact spec, plus `extra` keys. */
  function config(extra: Record<string, unknown> = {}, mutate?: (dir: string) => void): string {
    const dir = tempDir('mta4dpr-cli-data-');
    mkdirSync(join(dir, 'x'));
    copyFileSync(join(cran, 'cran.all.1400'), join(dir, 'x/ALL'));
    copyFileSync(join(cran, 'cran.qry'), join(dir, 'x/QRY'));
    copyFileSync(join(cran, 'cranqrel'), join(dir, 'x/REL'));
    mutate?.(dir);
    const path = join(dir, 'experiment.json');
    writeFileSync(path, JSON.stringify({
      datasets: { mine: { format: 'smart', documents: 'x/ALL', queries: 'x/QRY', qrels: 'x/REL', split: { testFraction: 0.5, seed: 42 } } },
      data: { train: ['mine/train'], test: ['mine/test', 'dl19-mini'] },
      ...extra,
    }));
    return path;
  }

  it('--config prints counts and every skipped or suspicious record with file:line; --strict exits 1 on them', () => {
    const path = config();
    const r = mta4dpr('data', 'check', '--config', path);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^mine \(config\)  sha256 [0-9a-f]{16}  PROBLEMS$/m);
    assert.match(r.out, /^ {2}documents 1398 {2}queries 225 {2}judged queries 225 {2}judgments 1837 {2}runs 0$/m);
    assert.match(r.out, /x\/ALL:13470: skipped: empty document/);
    assert.match(r.out, /x\/ALL:16283: suspicious: record "\.I 576" has a second \.W field/);
    assert.match(r.out, /^mine\/train \(split\) .*\n {2}documents 1398 {2}queries 112 {2}judged queries 112/m);
    assert.match(r.out, /^mine\/test \(split\) .*\n {2}documents 1398 {2}queries 113 {2}judged queries 113/m);
    assert.match(r.out, /^dl19-mini \(embedded\) .* ok\n {2}documents 247 {2}queries 5 {2}judged queries 5 {2}judgments 177 {2}runs 4$/m);
    assert.equal(r.out.match(/x\/ALL:13470: skipped/g)?.length, 1, 'a problem of a file shared by the splits is listed once');
    const strict = mta4dpr('data', 'check', '--config', path, '--strict');
    assert.equal(strict.code, 1);
    assert.match(strict.out, /6 problem line\(s\) \(--strict: failing\)/);
  });

  it('--json is machine-readable; a file cut mid-record is reported at its line', () => {
    const path = config({}, (dir) => writeFileSync(join(dir, 'x/ALL'), '.I 1\n.T\none\n.W\nfirst\n.I 2\n.T\ntwo\n.W\nsecond\n.I 3\n.T\nthree\n.W\n'));
    const r = mta4dpr('data', 'check', '--config', path, '--json', '--strict');
    assert.equal(r.code, 1, r.err);
    const report = JSON.parse(r.out) as { ok: boolean; datasets: Array<{ name: string; ok: boolean; counts: { documents: number }; problems: string[] }> };
    assert.equal(report.ok, false);
    const mine = report.datasets.find((d) => d.name === 'mine')!;
    assert.equal(mine.counts.documents, 3);
    assert.deepEqual(mine.problems, [`${join(path, '..', 'x', 'ALL')}:14: suspicious: file ends right after the .W marker of record ".I 3" (truncated file? the record is kept as read)`]);
  });

  it('--format with files checks one dataset; a missing flag names it', () => {
    const r = mta4dpr('data', 'check', '--format', 'trec', '--documents', 'tests/fixtures/own-data/trec/docs.sgml', '--queries', 'tests/fixtures/own-data/trec/topics.txt', '--qrels', 'tests/fixtures/own-data/trec/qrels.txt', '--strict');
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /^ {2}documents 9 {2}queries 3 {2}judged queries 3 {2}judgments 9 {2}runs 0$/m);
    const missing = mta4dpr('data', 'check', '--format', 'beir');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--dir: required for --format beir/);
  });

  it('config errors name the key path and exit 2 without a stack trace; unknown names list the known ones', () => {
    const bad = config({ datasets: { m: { format: 'smart', documents: 'a', queries: 'b', split: { testFraction: 2, seed: 1 } } } });
    const a = mta4dpr('data', 'check', '--config', bad);
    assert.equal(a.code, 2);
    assert.match(a.err, /invalid config\n {2}- datasets\.m\.split\.testFraction: testFraction must be in \(0, 1\)/);
    assert.doesNotMatch(a.err, /\n\s+at /);
    const proto = config({ data: { train: ['constructor'], test: ['mine/dev'] } });
    const b = mta4dpr('data', 'check', '--config', proto);
    assert.equal(b.code, 2);
    assert.match(b.err, /- data\.train\.0: unknown dataset "constructor" \(known: mine, mine\/train, mine\/test, dl19, /);
    assert.match(b.err, /- data\.test\.0: unknown dataset "mine\/dev"/);
    assert.doesNotMatch(b.err, /\n\s+at /);
  });

  it('eval --config --dataset scores a run against a declared dataset\'s judgments, as a TREC qrels file of the same grades does', () => {
    const path = config();
    const dir = join(path, '..');
    // The same judgments written independently as TREC qrels: Cranfield code c >= 1 is grade c, -1 is grade 0.
    const rows = readFileSync(join(dir, 'x/REL'), 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/));
    writeFileSync(join(dir, 'qrels.trec'), rows.map(([q, d, c]) => `${q} 0 ${d} ${Math.max(0, Number(c))}`).join('\n') + '\n');
    // A run that ranks, per query, documents 1..30 with descending scores: some judged, most not.
    const run = [...new Set(rows.map((r) => r[0]))].flatMap((q) => Array.from({ length: 30 }, (_, i) => `${q} Q0 ${i + 1} ${i + 1} ${30 - i} t`));
    writeFileSync(join(dir, 'run.trec'), run.join('\n') + '\n');
    const viaConfig = mta4dpr('eval', '--config', path, '--dataset', 'mine', '--run', join(dir, 'run.trec'), '--json', '--missing-as-zero');
    assert.equal(viaConfig.code, 0, viaConfig.err);
    const viaFile = mta4dpr('eval', '--qrels', join(dir, 'qrels.trec'), '--run', join(dir, 'run.trec'), '--json', '--missing-as-zero');
    assert.equal(viaFile.code, 0, viaFile.err);
    assert.deepEqual(JSON.parse(viaConfig.out), JSON.parse(viaFile.out));
    assert.ok(JSON.parse(viaConfig.out)['R@100'] > 0, 'the run retrieves some judged documents');
    const part = mta4dpr('eval', '--config', path, '--dataset', 'mine/test', '--run', join(dir, 'run.trec'));
    assert.equal(part.code, 0, part.err);
    assert.match(part.out, /all \(113 queries\)/);
    assert.match(part.err, /note: 112 run queries have no judgments/);
    const unknown = mta4dpr('eval', '--config', path, '--dataset', 'mine/dev', '--run', join(dir, 'run.trec'));
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /unknown dataset "mine\/dev"/);
    const both = mta4dpr('eval', '--config', path, '--dataset', 'mine', '--qrels', 'q', '--run', 'r');
    assert.equal(both.code, 2);
  });
});
