/**
 * Nothing dropped or accepted silently on input: `encode` reports every malformed TSV line with
 * file:line (before: dropped, exit 0), `--strict` makes a skip an error, binary and empty inputs are
 * errors (before: a garbage id / a 0×128 file), and a truncated .gz or a folder path names the file
 * (before: a raw zlib / EISDIR stack).
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../lib/cli';
import { InputError, readLines } from '../../lib/io';
import { captureStderr } from './helpers';

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const r = await captureStderr(() => main(args));
  if (r.error) throw r.error;
  return { code: r.value!, stderr: r.stderr };
}

async function drain(path: string): Promise<number> {
  let n = 0;
  for await (const _ of readLines(path)) n += 1;
  return n;
}

describe('faults/inputs: encode/search inputs and named read errors', function () {
  this.timeout(120000);
  let tmp: string;
  before(() => { tmp = mkdtempSync(join(tmpdir(), 'mta4dpr-inputs-')); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const encode = (input: string, out: string, ...extra: string[]) =>
    cli(['encode', '--model', 'glove:default', '--input', input, '--out', out, '--kind', 'query', ...extra]);

  it('encode reports each malformed line with file:line and the count, and encodes the rest', async () => {
    const input = join(tmp, 'mixed.tsv');
    writeFileSync(input, 'q1\tfirst query\nq2\ttoo\tmany columns\n\nq3\tthird query\n');
    const out = join(tmp, 'mixed.npy');
    const r = await encode(input, out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`${input}:2: skipped: expected 2 tab-separated columns`));
    assert.match(r.stderr, new RegExp(`${input}:3: skipped: blank line`));
    assert.match(r.stderr, /skipped 2 malformed line\(s\), read 2 queries/);
    assert.deepEqual(readFileSync(join(tmp, 'mixed.ids.txt'), 'utf8').trim().split('\n'), ['q1', 'q3']);
  });

  it('encode --strict turns the first skip into an error naming file:line, writing nothing', async () => {
    const input = join(tmp, 'strict.tsv');
    writeFileSync(input, 'q1\tfirst query\nq2\ttoo\tmany columns\n');
    const out = join(tmp, 'strict.npy');
    const r = await encode(input, out, '--strict');
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${input}:2: expected 2 tab-separated columns`));
    assert.equal(existsSync(out), false);
  });

  it('encode of a binary file is an error naming it (no row with a garbage id)', async () => {
    const input = join(tmp, 'binary.tsv');
    writeFileSync(input, Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00, 0x09, 0x7b, 0x27, 0x64, 0x0a]));
    const out = join(tmp, 'binary.npy');
    const r = await encode(input, out);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${input}:1: binary data \\(NUL byte\\): not a text file`));
    assert.equal(existsSync(out), false);
  });

  it('encode of an empty file is an error (no 0×128 output)', async () => {
    const input = join(tmp, 'empty.tsv');
    writeFileSync(input, '');
    const out = join(tmp, 'empty.npy');
    const r = await encode(input, out);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${input}: no queries read`));
    assert.equal(existsSync(out), false);
  });

  it('a truncated .gz names the file (reader and search CLI)', async () => {
    const full = gzipSync(Buffer.from(Array.from({ length: 400 }, (_, i) => `p${i}\tpassage number ${i} about rivers\n`).join('')));
    const gz = join(tmp, 'corpus.tsv.gz');
    writeFileSync(gz, full.subarray(0, Math.floor(full.length / 2)));
    await assert.rejects(drain(gz), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, new RegExp(`^${gz}: truncated gzip data .*Z_BUF_ERROR`));
      return true;
    });
    const queries = join(tmp, 'q.tsv');
    writeFileSync(queries, 'q1\trivers\n');
    const r = await cli(['search', '--model', 'glove:default', '--corpus', gz, '--queries', queries, '--out', join(tmp, 'gz.trec')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`mta4dpr search: ${gz}: truncated gzip data`));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace was printed');
  });

  it('a folder given as an input file names it (EISDIR), also for .gz', async () => {
    const dir = join(tmp, 'a-folder.tsv');
    mkdirSync(dir);
    await assert.rejects(drain(dir), new RegExp(`^InputError: ${dir}: is a folder, expected a file \\(EISDIR\\)`));
    const dirGz = join(tmp, 'b-folder.tsv.gz');
    mkdirSync(dirGz);
    await assert.rejects(drain(dirGz), new RegExp(`${dirGz}: is a folder, expected a file`));
    const r = await encode(dir, join(tmp, 'dir.npy'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${dir}: is a folder`));
  });
});
