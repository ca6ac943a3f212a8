/**
 * ExperimentConfig (lib/config): the docs/method.md defaults are what a minimal config gets, unknown keys fail
 * with their path (also inside a row's overrides), deepMerge merges objects and replaces the rest,
 * and every row of the main config (configs/dl-demo.json) is a valid configuration.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../lib/data/paths';
import { ConfigError, deepMerge, loadExperimentConfig, parseExperimentConfig, systemConfig } from '../../lib/config';
import { checkExperiment } from '../../lib/pipeline/validate';

/** The smallest valid experiment: a name, a teacher and one row. */
function minimal(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'min', teacher: { name: 'T', run: 'T_RUN' }, systems: [{ name: 'row' }], ...extra };
}

/** The issue lines of the ConfigError `f` throws (fails the test when it does not throw one). */
function issuesOf(f: () => unknown): { source: string; issues: readonly string[] } {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return { source: e.source, issues: e.issues };
  }
  assert.fail('expected a ConfigError');
}

describe('config/experiment', () => {
  it('applies the docs/method.md §1 defaults to a minimal config', () => {
    const c = parseExperimentConfig(minimal());
    assert.deepEqual(c.distribution, { normalise: 'zscore', temperature: 0.5 });
    assert.deepEqual(c.missing, { policy: 'min-minus-margin', margin: 'std' });
    assert.equal(c.fusion.method, 'mean');
    assert.equal(c.fusion.rrfK, 60);
    assert.equal(c.selection.measure, 'kl');
    assert.equal(c.selection.includeFused, true);
    assert.equal(c.selection.includeIndividual, true);
    assert.equal(c.selection.rboP, 0.9);
    assert.deepEqual([c.loss.alpha, c.loss.beta, c.loss.gamma], [1, 1, 1]);
    assert.equal(c.iterations.count, 3);
    assert.deepEqual(c.iterations.gotWrong, { rule: 'top-k', k: 10 });
    assert.equal(c.iterations.hardData, true);
    assert.equal(c.iterations.negativesFrom, 'student');
    assert.equal(c.iterations.replacement, true);
    assert.equal(c.iterations.continueTraining, true);
    assert.deepEqual(c.data.heldOut, { fraction: 0.2, seed: 0 });
    assert.deepEqual(c.data.train, ['dl20']);
    assert.deepEqual(c.data.test, ['dl19']);
    assert.equal(c.teacher.kind, 'run');
    assert.deepEqual(c.assistants, []);
    assert.deepEqual(c.seeds, [1, 2, 3]);
    assert.equal(c.systems[0].kind, 'trained');
    assert.deepEqual(c.systems[0].overrides, {});
    assert.deepEqual(c.compareTo, []);
    // A default inside a partly given object: gotWrong k defaults to 10 when only the rule is set.
    const k = parseExperimentConfig(minimal({ iterations: { gotWrong: { rule: 'top-k' } } }));
    assert.deepEqual(k.iterations.gotWrong, { rule: 'top-k', k: 10 });
  });

  it('rejects unknown keys with their path, at the root, nested, and inside a row\'s overrides', () => {
    assert.deepEqual(issuesOf(() => parseExperimentConfig(minimal({ foo: 1 }), 'x.json')), { source: 'x.json', issues: ['(root): Unrecognized key: "foo"'] });
    assert.deepEqual(issuesOf(() => parseExperimentConfig(minimal({ loss: { gama: 1 } }))).issues, ['loss: Unrecognized key: "gama"']);
    const row = issuesOf(() => parseExperimentConfig(minimal({ systems: [{ name: 'ok' }, { name: 'bad', overrides: { loss: { gama: 0 } } }] })));
    assert.equal(row.source, 'config');
    assert.deepEqual(row.issues, ['systems.1.overrides.loss: Unrecognized key: "gama"']);
    const deep = issuesOf(() => parseExperimentConfig(minimal({ systems: [{ name: 'r', overrides: { iterations: { gotWrong: { rule: 'top-k', kk: 2 } } } }] })));
    assert.deepEqual(deep.issues, ['systems.0.overrides.iterations.gotWrong: Unrecognized key: "kk"']);
    // Unknown keys of the row itself (not its overrides) are reported with the row index.
    assert.deepEqual(issuesOf(() => parseExperimentConfig(minimal({ systems: [{ name: 'r', overide: {} }] }))).issues, ['systems.0: Unrecognized key: "overide"']);
  });

  it('rejects invalid values with their path, also where only a row\'s override makes them invalid', () => {
    const t = issuesOf(() => parseExperimentConfig(minimal({ distribution: { temperature: 0 } }))).issues;
    assert.equal(t.length, 1);
    assert.match(t[0], /^distribution\.temperature: /);
    assert.match(issuesOf(() => parseExperimentConfig(minimal({ selection: { measure: 'cosine' } }))).issues[0], /^selection\.measure: /);
    assert.match(issuesOf(() => parseExperimentConfig(minimal({ systems: [] }))).issues[0], /^systems: /);
    const row = issuesOf(() => parseExperimentConfig(minimal({ systems: [{ name: 'neg', overrides: { loss: { alpha: -1 } } }] })));
    assert.equal(row.source, 'config');
    assert.match(row.issues[0], /^systems\.0\.overrides\.loss\.alpha: /);
  });

  it('loadExperimentConfig reports unreadable JSON as a ConfigError naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-config-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"name": "x",');
    const e = issuesOf(() => loadExperimentConfig(bad));
    assert.equal(e.source, bad);
    assert.equal(e.issues.length, 1);
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(minimal()));
    assert.equal(loadExperimentConfig(good).name, 'min');
    rmSync(dir, { recursive: true, force: true });
  });

  it('deepMerge merges plain objects key by key; arrays, scalars and null replace; undefined keeps', () => {
    const base = { a: 1, o: { x: 1, y: { z: 2, w: 3 } }, arr: [1, 2, 3], keep: 'k', n: { v: 1 } };
    const merged = deepMerge(base, { a: 2, o: { y: { z: 9 }, extra: true }, arr: [7], n: null, added: { q: 1 } });
    assert.deepEqual(merged, { a: 2, o: { x: 1, y: { z: 9, w: 3 }, extra: true }, arr: [7], keep: 'k', n: null, added: { q: 1 } });
    // The base is not modified.
    assert.deepEqual(base, { a: 1, o: { x: 1, y: { z: 2, w: 3 } }, arr: [1, 2, 3], keep: 'k', n: { v: 1 } });
    assert.deepEqual(deepMerge({ a: 1 }, undefined), { a: 1 });
    assert.equal(deepMerge({ a: 1 }, 5), 5);
    assert.deepEqual(deepMerge([1, 2], { 0: 9 }), { 0: 9 });
  });

  it('systemConfig: a row is the base with its overrides merged in, under the row\'s name', () => {
    const e = parseExperimentConfig(minimal({
      assistants: [{ name: 'A', run: 'A_RUN' }, { name: 'B', run: 'B_RUN' }],
      train: { batchSize: 4, stepsPerIteration: 30 },
      systems: [{ name: 'KD', overrides: { loss: { gamma: 0 }, train: { stepsPerIteration: 90 }, assistants: [{ name: 'B', run: 'B_RUN' }] } }],
    }));
    const c = systemConfig(e, e.systems[0]);
    assert.equal(c.name, 'KD');
    assert.deepEqual([c.loss.alpha, c.loss.beta, c.loss.gamma], [1, 1, 0]);
    assert.equal(c.train.stepsPerIteration, 90);
    assert.equal(c.train.batchSize, 4);
    // Arrays replace: the row has one assistant, not three.
    assert.deepEqual(c.assistants.map((a) => a.name), ['B']);
    assert.ok(!('systems' in c) && !('compareTo' in c));
  });

  it('every row of configs/dl-demo.json validates, and its ablations differ from the base as written', () => {
    const e = loadExperimentConfig(join(projectRoot(), 'configs', 'dl-demo.json'));
    assert.equal(e.systems.length, 8);
    const rows = Object.fromEntries(e.systems.map((s) => [s.name, systemConfig(e, s)]));
    assert.deepEqual(Object.keys(rows), e.systems.map((s) => s.name));
    for (const ref of e.compareTo) assert.ok(ref in rows, `compareTo '${ref}' is not a row`);
    assert.deepEqual([rows['Labels only'].loss.beta, rows['Labels only'].loss.gamma, rows['Labels only'].iterations.count], [0, 0, 1]);
    assert.equal(rows['KD (teacher only)'].loss.gamma, 0);
    assert.deepEqual(rows['TA-KD (TAS-B)'].assistants.map((a) => a.name), ['TAS-B']);
    assert.equal(rows['TA-KD (TAS-B)'].selection.includeFused, false);
    assert.equal(rows.MTA4DPR.iterations.count, 3);
    assert.equal(rows.MTA4DPR.assistants.length, 4);
    // The demo default: the hashed lexical student, the paper's top-10 got-wrong rule, both directions.
    assert.equal(rows.MTA4DPR.student.preset, 'hashed-lexical');
    assert.deepEqual(rows.MTA4DPR.iterations.gotWrong, { rule: 'top-k', k: 10 });
    assert.equal(e.data.reverse, true);
    assert.ok(e.seeds.length >= 5);
    for (const s of e.systems.filter((x) => x.kind === 'run')) assert.ok(s.run, `run row '${s.name}' names no run`);
  });

  it('rejects duplicate row names, unknown compareTo rows, duplicate model names and all-zero loss weights', () => {
    assert.deepEqual(issuesOf(() => parseExperimentConfig(minimal({ systems: [{ name: 'r' }, { name: 'r' }] }))).issues, ["systems.1.name: row name 'r' is used twice"]);
    assert.deepEqual(issuesOf(() => parseExperimentConfig(minimal({ compareTo: ['nope'] }))).issues, ["compareTo.0: 'nope' is not a row (rows: row)"]);
    assert.deepEqual(issuesOf(() => parseExperimentConfig(minimal({ assistants: [{ name: 'T' }] }))).issues, ["assistants.0.name: model name 'T' is used twice"]);
    assert.deepEqual(issuesOf(() => parseExperimentConfig(minimal({ loss: { alpha: 0, beta: 0, gamma: 0 } }))).issues, ['loss: all loss weights are 0']);
  });

  it('checkExperiment: unknown metrics, datasets and student override keys are errors with their path', () => {
    const e = parseExperimentConfig(minimal({
      data: { train: ['dl20'], test: ['dl19', 'nosuch'] },
      eval: { metrics: ['nDCG@10', 'nDGC@10'] },
      systems: [{ name: 'row' }, { name: 'typo', overrides: { student: { overrides: { hiddn: 64 } } } }],
    }));
    const { source, issues } = issuesOf(() => checkExperiment(e, 'x.json'));
    assert.equal(source, 'x.json');
    assert.equal(issues.length, 3, issues.join('\n'));
    assert.match(issues[0], /^data\.test\.1: unknown dataset 'nosuch'/);
    assert.match(issues[1], /^eval\.metrics\.1: unknown measure 'nDGC@10'/);
    assert.match(issues[2], /^systems\.1\(typo\)\.student\.overrides\.hiddn: unknown student field/);
    // A known field with a bad value is checked against the preset it overrides.
    const bad = parseExperimentConfig(minimal({ student: { overrides: { passageMaxLength: 4096 } } }));
    assert.match(issuesOf(() => checkExperiment(bad)).issues[0], /^student\.overrides\.\(root\): max lengths must not exceed maxPositions/);
    checkExperiment(loadExperimentConfig(join(projectRoot(), 'configs', 'dl-demo.json')));
  });
});
