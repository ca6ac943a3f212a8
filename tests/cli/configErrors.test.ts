/**
 * The train and assistants commands read the experiment config: a config error names its key path
 * and exits 2 without a stack trace (--debug prints one); a bad --row lists the rows.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli';

/** Runs the CLI capturing stderr. */
async function run(argv: string[]): Promise<{ code: number; err: string }> {
  const lines: string[] = [];
  const orig = console.error;
  console.error = (...m: unknown[]) => void lines.push(m.map(String).join(' '));
  try {
    return { code: await main(argv), err: lines.join('\n') };
  } finally {
    console.error = orig;
  }
}

describe('cli: config errors of train / assistants / reproduce', () => {
  let tmp: string;
  let bad: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'mta4dpr-cfgerr-'));
    bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', teacher: { name: 'T' }, systems: [{ name: 'r', overrides: { student: { overrides: { hiddn: 3 } } } }], typo: 1 }));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const argvOf: Record<string, string[]> = {
    train: ['--row', 'r', '--out', 'OUT'], assistants: ['--row', 'r'], reproduce: ['--out', 'OUT'],
  };
  for (const cmd of Object.keys(argvOf)) {
    it(`${cmd}: exits 2 naming the file and key path, no stack trace`, async () => {
      const { code, err } = await run([cmd, '--config', bad, ...argvOf[cmd].map((a) => (a === 'OUT' ? join(tmp, 'o') : a))]);
      assert.equal(code, 2);
      assert.match(err, /bad\.json: invalid config/);
      assert.match(err, /\(root\): Unrecognized key: "typo"/);
      assert.doesNotMatch(err, /\n\s+at /);
    });
  }

  it('an unknown student override key is an error before any work; --debug shows the stack', async () => {
    const cfg = join(tmp, 'student.json');
    writeFileSync(cfg, JSON.stringify({ name: 'x', teacher: { name: 'T' }, data: { train: ['dl19-mini'], test: ['dl20'] }, systems: [{ name: 'r', overrides: { student: { overrides: { hiddn: 3 } } } }] }));
    const plain = await run(['train', '--config', cfg, '--row', 'r', '--out', join(tmp, 'o')]);
    assert.equal(plain.code, 2);
    assert.match(plain.err, /systems\.0\(r\)\.student\.overrides\.hiddn: unknown student field/);
    const debug = await run(['train', '--config', cfg, '--row', 'r', '--out', join(tmp, 'o'), '--debug']);
    assert.equal(debug.code, 2);
    assert.match(debug.err, /\n\s+at /);
  });

  it('train --row NAME that is not a row lists the rows', async () => {
    const { code, err } = await run(['train', '--config', 'configs/dl-demo.json', '--row', 'nope', '--out', join(tmp, 'o')]);
    assert.equal(code, 2);
    assert.match(err, /--row 'nope' is not a row \(rows: BM25, /);
  });
});
