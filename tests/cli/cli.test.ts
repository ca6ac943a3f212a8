/** The CLI surface this project owns: top-level help, usage errors, doctor and bench argument handling. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { formatChecks } from '../../lib/cli/doctor';

const root = join(__dirname, '..', '..');

/** Runs the CLI from source (tsx), as `mta4dpr ...args` would, and captures everything. */
function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const script = `require('./lib/cli').main(${JSON.stringify(args)}).then((c) => { process.exitCode = c; });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', timeout: 90_000, env: { ...process.env, MTA4DPR_BACKEND: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('mta4dpr CLI', () => {
  it('--help lists the commands, doctor and bench among them', () => {
    const r = cli('--help');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /usage: mta4dpr <command>/);
    assert.match(r.out, /^\s+doctor\s+check the environment/m);
    assert.match(r.out, /^\s+bench\s+run the benchmarks/m);
  });

  it('an unknown subcommand exits non-zero with a clear message', () => {
    const r = cli('frobnicate');
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command 'frobnicate'/);
    // Object-prototype names are not commands.
    const proto = cli('constructor');
    assert.equal(proto.code, 2);
    assert.match(proto.err, /unknown command 'constructor'/);
  });

  it('a bad flag exits 2 naming the flag and printing the usage', () => {
    const r = cli('doctor', '--bogus');
    assert.equal(r.code, 2);
    assert.match(r.err, /--bogus/);
    assert.match(r.err, /usage: mta4dpr doctor/);
  });

  it('bench rejects an unknown benchmark name and a bad backend', () => {
    const a = cli('bench', '--only', 'no-such-bench');
    assert.equal(a.code, 2, a.err);
    assert.match(a.err, /unknown benchmark 'no-such-bench'/);
    const b = cli('bench', '--backend', 'tpu');
    assert.equal(b.code, 2, b.err);
    assert.match(b.err, /--backend must be one of/);
  });

  it('doctor --json runs every check and passes the required ones here', () => {
    const r = cli('doctor', '--json');
    assert.equal(r.code, 0, r.err + r.out);
    const report = JSON.parse(r.out) as { ok: boolean; checks: Array<{ name: string; ok: boolean; required: boolean; detail: string }> };
    assert.equal(report.ok, true);
    const byName = new Map(report.checks.map((c) => [c.name, c]));
    for (const name of ['node', 'npm', '@tensorflow/tfjs', 'backend wasm', 'selected backend', 'python3', 'jupyter nbconvert', 'tslab kernel', 'chromium (figures → PNG)', 'data vs SHA256SUMS']) {
      assert.ok(byName.has(name), `missing check ${name}`);
    }
    assert.equal(byName.get('data vs SHA256SUMS')?.ok, true);
    assert.match(byName.get('selected backend')?.detail ?? '', /^(wasm|cpu|tensorflow|tensorflow-gpu) /);
    assert.match(byName.get('backend tensorflow (tfjs-node)')?.detail ?? '', /shim|loads|not installed/);
  });

  it('doctor text marks required failures ✘ and optional ones –, with the fix', () => {
    const text = formatChecks([
      { name: 'node', required: true, ok: false, detail: 'v18', fix: 'install Node 20' },
      { name: 'gpu', required: false, ok: false, detail: 'none' },
      { name: 'data', required: true, ok: true, detail: 'ok' },
    ]);
    assert.match(text, /^✘ node {2}v18\n {8}fix: install Node 20$/m);
    assert.match(text, /^– gpu {3}none$/m);
    assert.match(text, /^✔ data {2}ok$/m);
  });
});
