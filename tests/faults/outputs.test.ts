/**
 * Validation before work and named write errors: integer flags in range (`search --k 2.5` wrote a
 * NaN at rank 1, `--k 0` an empty run), a `--tag` with a space, a file-shaped, read-only or /proc
 * `--out` (which hung forever) — all refused before any data is read; a full disk names the file.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli';
import { OutputError, writeFileAtomic } from '../../lib/io';
import { captureStderr } from './helpers';

async function cli(args: string[]): Promise<{ code: number; stderr: string; ms: number }> {
  const t0 = Date.now();
  const r = await captureStderr(() => main(args));
  if (r.error) throw r.error;
  return { code: r.value!, stderr: r.stderr, ms: Date.now() - t0 };
}

/** Mounts a tmpfs (root only); undefined where this machine does not allow it. */
function mountTmpfs(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status === 0;
}

describe('faults/outputs: flags, outputs and disk-full checked before work', function () {
  this.timeout(120000);
  let tmp: string;
  // Paths that do not exist: a command that reads data before its checks fails on these instead.
  const missingCorpus = '/nonexistent/corpus.tsv';
  before(() => { tmp = mkdtempSync(join(tmpdir(), 'mta4dpr-outputs-')); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const search = (...extra: string[]) => cli(['search', '--model', 'glove:default', '--corpus', missingCorpus, '--queries', missingCorpus, '--out', join(tmp, 'r.trec'), ...extra]);

  it('search --k must be an integer ≥ 1, checked before the corpus is read', async () => {
    for (const k of ['2.5', '0', '-3', 'ten', '1e2']) {
      const r = await search(`--k=${k}`);
      assert.equal(r.code, 2, `--k ${k}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`--k must be an integer in 1…1000000, got '${k.replace('.', '\\.')}'`));
      assert.doesNotMatch(r.stderr, /nonexistent/);
    }
  });

  it('search --tag with a space, and encode/train/reproduce numeric flags, are refused up front', async () => {
    const tag = await search('--tag', 'my run');
    assert.equal(tag.code, 2);
    assert.match(tag.stderr, /--tag must be a non-empty name without spaces, got 'my run'/);
    const enc = await cli(['encode', '--model', 'glove:default', '--input', missingCorpus, '--out', join(tmp, 'e.npy'), '--batch-size', '0']);
    assert.match(enc.stderr, /--batch-size must be an integer in 1…/);
    const tr = await cli(['train', '--config', 'configs/dl-demo.json', '--row', 'KD (teacher only)', '--out', join(tmp, 't'), '--max-steps', '1.5']);
    assert.match(tr.stderr, /--max-steps must be an integer ≥ 1, got '1\.5'/);
    assert.equal(tr.code, 2);
    const rep = await cli(['reproduce', '--config', 'configs/dl-demo.json', '--out', join(tmp, 'rp'), '--jobs', '0']);
    assert.match(rep.stderr, /--jobs must be an integer in 1…256, got '0'/);
    const only = await cli(['reproduce', '--config', 'configs/dl-demo.json', '--out', join(tmp, 'rp'), '--only', 'No such row']);
    assert.match(only.stderr, /--only: no row named 'No such row'/);
  });

  it('a file-shaped or /proc --out fails at once in all four commands, before data is read', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const runs: Array<[string, string[]]> = [
      ['reproduce', ['reproduce', '--config', 'configs/dl-demo.json', '--out', file]],
      ['train', ['train', '--config', 'configs/dl-demo.json', '--row', 'KD (teacher only)', '--out', file]],
      ['search', ['search', '--model', 'glove:default', '--corpus', missingCorpus, '--queries', missingCorpus, '--out', join(file, 'r.trec')]],
      ['encode', ['encode', '--model', 'glove:default', '--input', missingCorpus, '--out', join(file, 'e.npy')]],
    ];
    for (const [name, args] of runs) {
      const r = await cli(args);
      assert.equal(r.code, 1, `${name}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`mta4dpr ${name}: ${file}.*(exists and is a file|not writable)`), name);
      const proc = await cli(args.map((a) => a.replace(file, '/proc/mta4dpr-out')));
      assert.equal(proc.code, 1, `${name} /proc: ${proc.stderr}`);
      assert.match(proc.stderr, /is under \/proc, a kernel pseudo file system/, name);
      assert.ok(proc.ms < 5000, `${name} took ${proc.ms} ms on /proc`);
    }
  });

  it('a read-only --out is found by the probe write, before data is read', async function () {
    const ro = join(tmp, 'ro');
    if (!mountTmpfs(ro, 'ro,size=64k')) {
      console.log('      (skipped: mount -t tmpfs is not allowed here)');
      this.skip();
    }
    try {
      const r = await cli(['train', '--config', 'configs/dl-demo.json', '--row', 'KD (teacher only)', '--out', join(ro, 'out')]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`${ro}: is not writable: read-only file system \\(EROFS\\)`));
      const s = await search('--out', join(ro, 'run.trec'));
      assert.equal(s.code, 1);
      assert.match(s.stderr, new RegExp(`${ro}: (is not writable: )?read-only file system`));
      assert.doesNotMatch(s.stderr, /nonexistent/);
    } finally {
      spawnSync('umount', [ro]);
    }
  });

  it('disk full (a 64 KiB tmpfs): atomic writes and encode name the file, leaving no temp file', async function () {
    const full = join(tmp, 'full');
    if (!mountTmpfs(full, 'size=64k')) {
      console.log('      (skipped: mount -t tmpfs is not allowed here)');
      this.skip();
    }
    try {
      const target = join(full, 'big.bin');
      await assert.rejects(writeFileAtomic(target, new Uint8Array(1 << 20)), (e: unknown) => {
        assert.ok(e instanceof OutputError);
        assert.equal(e.code, 'ENOSPC');
        assert.equal(e.message, `${target}: no space left on the device (ENOSPC)`);
        return true;
      });
      assert.deepEqual(readdirSync(full), [], 'a temp file was left behind');
      const input = join(tmp, 'passages.tsv');
      writeFileSync(input, Array.from({ length: 300 }, (_, i) => `p${i}\tpassage ${i} about a river and a harbor\n`).join(''));
      const out = join(full, 'e.npy');
      const r = await cli(['encode', '--model', 'glove:default', '--input', input, '--out', out]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`mta4dpr encode: ${out}: no space left on the device \\(ENOSPC\\)`));
      assert.equal(existsSync(out), false);
    } finally {
      spawnSync('umount', [full]);
    }
  });
});
