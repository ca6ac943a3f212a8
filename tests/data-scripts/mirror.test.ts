/**
 * `fetch.ts --mirror`: a miniature in the official layout (data-scripts/miniature.ts) served over
 * a loopback HTTP server is fetched file by file against its SHA256SUMS — a transfer cut mid-way is
 * resumed with a Range request, the result is byte-identical and loads through the official
 * layout, and a file whose bytes differ from the manifest fails with its checksum.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { main as fetchMain, parseManifest } from '../../data-scripts/fetch';
import { writeManifest, writeMsmarcoMiniature, writeNqMiniature } from '../../data-scripts/miniature';
import { datasetResolver } from '../../lib/data/resolver';
import { withOfficialLayout } from '../../lib/data/officialLayout';

/** Serves `root` with Range support; the first full response for `cut` stops after `cutAfter` bytes. */
function serveFolder(root: string, cut: string, cutAfter: number): Promise<{ server: Server; url: string; ranges: Map<string, string[]> }> {
  const ranges = new Map<string, string[]>();
  let cutDone = false;
  const server = createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').slice(1));
    const path = normalize(join(root, rel));
    if (!path.startsWith(root) || !existsSync(path)) { res.writeHead(404); res.end(); return; }
    const body = readFileSync(path);
    const range = req.headers.range;
    ranges.set(rel, [...(ranges.get(rel) ?? []), range ?? '']);
    const start = range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1] ?? 0) : 0;
    if (range) res.writeHead(206, { 'Content-Length': body.length - start, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    else res.writeHead(200, { 'Content-Length': body.length });
    const rest = body.subarray(start);
    if (rel === cut && !cutDone) {
      cutDone = true;
      res.write(rest.subarray(0, cutAfter), () => res.socket?.end());
      return;
    }
    res.end(rest);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ranges })));
}

describe('data-scripts/fetch --mirror (a miniature over loopback HTTP)', function () {
  this.timeout(60000);
  const src = mkdtempSync(join(tmpdir(), 'mta4dpr-mirror-src-'));
  const out = mkdtempSync(join(tmpdir(), 'mta4dpr-mirror-out-'));
  let served: Awaited<ReturnType<typeof serveFolder>>;
  before(async () => {
    const systems = ['SPLADE_P_P_ENSEMBLE_DISTIL', 'BM25'];
    writeManifest(src, [writeMsmarcoMiniature(src, { passages: 300, trainQueries: 20, systems }), writeNqMiniature(src, { passages: 200, trainQueries: 20, systems })]);
    served = await serveFolder(src, 'msmarco-passage/collection.tsv', 5000);
  });
  after(() => {
    served.server.close();
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('fetches every listed file, resumes the cut one, and the copy loads through the official layout', async () => {
    assert.equal(await fetchMain(['--mirror', served.url, '--out', out]), 0);
    const entries = parseManifest(readFileSync(join(src, 'SHA256SUMS'), 'utf8'), 'SHA256SUMS');
    assert.ok(entries.length > 20);
    for (const e of entries) assert.ok(readFileSync(join(out, e.path)).equals(readFileSync(join(src, e.path))), e.path);
    // The cut transfer was resumed from where it stopped, not restarted.
    assert.deepEqual(served.ranges.get('msmarco-passage/collection.tsv'), ['', 'bytes=5000-']);
    const d = await datasetResolver(withOfficialLayout({}, out), process.cwd()).load('msmarco-passage/train');
    assert.equal(d.collection.passages.size, 300);
    // A second run finds every file present and verified.
    const before = statSync(join(out, 'nq/nq-test.qa.csv')).mtimeMs;
    assert.equal(await fetchMain(['--mirror', served.url, '--out', out]), 0);
    assert.equal(statSync(join(out, 'nq/nq-test.qa.csv')).mtimeMs, before);
  });

  it('a served file that differs from its manifest checksum fails, naming the checksum, and leaves no file', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'mta4dpr-mirror-bad-'));
    try {
      writeFileSync(join(src, 'nq', 'nq-test.qa.csv'), 'tampered?\t[\'x\']\n');
      assert.equal(await fetchMain(['--mirror', served.url, '--out', fresh, '--manifest', join(src, 'SHA256SUMS')]), 1);
      assert.equal(existsSync(join(fresh, 'nq', 'nq-test.qa.csv')), false);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('parseManifest rejects malformed lines and paths leaving the folder, with file and line', () => {
    assert.throws(() => parseManifest('abc  x\n', 'M'), /^Error: M:1: expected '<sha256>  <path>'/);
    assert.throws(() => parseManifest(`${'0'.repeat(64)}  ../etc/passwd\n`, 'M'), /M:1: path '\.\.\/etc\/passwd' must stay inside/);
  });
});
