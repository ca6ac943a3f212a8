import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile, VerificationError } from '../../data-scripts/download';
import { main as fetchMain } from '../../data-scripts/fetch';
import { dataRoot } from '../../lib/data/paths';

/** A loopback server for one real file; `cutAfter` makes the first N full-body responses stop mid-way. */
function serve(body: Buffer, opts: { cutAfter?: number; cutTimes?: number } = {}): Promise<{ server: Server; url: string; ranges: string[] }> {
  const ranges: string[] = [];
  let cuts = opts.cutTimes ?? 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const range = req.headers.range;
    ranges.push(range ?? '');
    let start = 0;
    if (range) {
      const m = /^bytes=(\d+)-$/.exec(range);
      start = m ? Number(m[1]) : 0;
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` });
        res.end();
        return;
      }
      res.writeHead(206, { 'Content-Length': body.length - start, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    } else {
      res.writeHead(200, { 'Content-Length': body.length });
    }
    const rest = body.subarray(start);
    if (cuts > 0 && opts.cutAfter !== undefined && rest.length > opts.cutAfter) {
      cuts -= 1;
      // A graceful close after the bytes: the client sees a body shorter than Content-Length.
      res.write(rest.subarray(0, opts.cutAfter), () => res.socket?.end());
      return;
    }
    res.end(rest);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cran.all.1400`, ranges })));
}

describe('data-scripts/download (loopback HTTP)', function () {
  this.timeout(30000);
  const body = readFileSync(join(dataRoot(), 'fixtures/cranfield/cran.all.1400'));
  const sha256 = createHash('sha256').update(body).digest('hex');
  const md5 = createHash('md5').update(body).digest('hex');
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));
  const tmp = (): string => mkdtempSync(join(tmpdir(), 'mta4dpr-dl-'));

  it('downloads a real file, verifies size, sha256 and md5, and skips a verified existing file', async () => {
    assert.equal(sha256, 'b234544b6ceccd131520df4a3cb6d42aee6576eb577933d047e722bbfe7b0b09', 'data/SHA256SUMS');
    const s = await serve(body);
    servers.push(s.server);
    const dest = join(tmp(), 'sub/cran.all.1400');
    const seen: number[] = [];
    const r = await downloadFile(s.url, dest, { expectedBytes: body.length, sha256, md5, onProgress: (n) => seen.push(n) });
    assert.deepEqual(readFileSync(dest), body);
    assert.equal(r.sha256, sha256);
    assert.equal(r.alreadyPresent, false);
    assert.equal(seen[seen.length - 1], body.length);
    assert.equal(existsSync(`${dest}.part`), false);
    const again = await downloadFile(s.url, dest, { sha256 });
    assert.equal(again.alreadyPresent, true);
    assert.equal(s.ranges.length, 1, 'no second request');
  });

  it('an interrupted transfer keeps .part; the next call resumes it with a Range request', async () => {
    const s = await serve(body, { cutAfter: 100_000, cutTimes: 1 });
    servers.push(s.server);
    const dest = join(tmp(), 'cran.all.1400');
    let message = '';
    await assert.rejects(downloadFile(s.url, dest, { sha256, retries: 0 }), (e: Error) => ((message = e.message), true));
    const kept = statSync(`${dest}.part`).size;
    assert.ok(kept > 0 && kept <= 100_000, `kept ${kept}`);
    assert.match(message, new RegExp(`^transfer of ${s.url} (interrupted after ${kept} bytes \\(.*\\)|ended after ${kept} of ${body.length} bytes); ${dest}\\.part kept, run again to resume$`));
    assert.equal(existsSync(dest), false);
    const r = await downloadFile(s.url, dest, { sha256, expectedBytes: body.length });
    assert.equal(r.resumedFrom, kept);
    assert.deepEqual(s.ranges, ['', `bytes=${kept}-`]);
    assert.deepEqual(readFileSync(dest), body);
  });

  it('resumes automatically within one call when retries allow', async () => {
    const s = await serve(body, { cutAfter: 50_000, cutTimes: 2 });
    servers.push(s.server);
    const dest = join(tmp(), 'cran.all.1400');
    const r = await downloadFile(s.url, dest, { sha256, retries: 3 });
    assert.equal(s.ranges.length, 3);
    assert.deepEqual(s.ranges.slice(1).map((h) => /^bytes=\d+-$/.test(h)), [true, true]);
    assert.deepEqual(readFileSync(dest), body);
    assert.equal(r.bytes, body.length);
  });

  it('a checksum mismatch fails with a clear message and removes the partial file', async () => {
    const s = await serve(body);
    servers.push(s.server);
    const dest = join(tmp(), 'cran.all.1400');
    const wrong = '0'.repeat(64);
    await assert.rejects(downloadFile(s.url, dest, { sha256: wrong }), (e: Error) => {
      assert.ok(e instanceof VerificationError);
      assert.equal(e.message, `checksum mismatch for ${s.url}: expected sha256 ${wrong}, got ${sha256}; the partial file ${dest}.part was deleted`);
      return true;
    });
    assert.equal(existsSync(dest), false);
    assert.equal(existsSync(`${dest}.part`), false);
    await assert.rejects(downloadFile(s.url, dest, { expectedBytes: 10 }), { message: `size mismatch for ${s.url}: expected 10 bytes, got ${body.length}; the partial file ${dest}.part was deleted` });
  });

  it('a .part that already holds the whole file is verified after a 416, not re-downloaded', async () => {
    const s = await serve(body);
    servers.push(s.server);
    const dest = join(tmp(), 'cran.all.1400');
    writeFileSync(`${dest}.part`, body);
    const r = await downloadFile(s.url, dest, { md5 });
    assert.equal(r.resumedFrom, body.length);
    assert.deepEqual(s.ranges, [`bytes=${body.length}-`]);
  });

  it('fetch CLI: usage errors exit 2, --dry-run lists files with their checksums', async () => {
    assert.equal(await fetchMain(['--dataset', 'nope', '--out', tmp()]), 2);
    assert.equal(await fetchMain(['--out', tmp()]), 2);
    const lines: string[] = [];
    const log = console.log;
    const err = console.error;
    console.log = (s: string) => lines.push(s);
    console.error = () => undefined;
    try {
      assert.equal(await fetchMain(['--dataset', 'msmarco-passage', '--out', '/tmp/x', '--dry-run']), 0);
    } finally {
      console.log = log;
      console.error = err;
    }
    assert.deepEqual(lines, [
      'https://msmarco.z22.web.core.windows.net/msmarcoranking/collectionandqueries.tar.gz -> /tmp/x/msmarco-passage/collectionandqueries.tar.gz (1.06 GB, md5 31644046b18952c1386cd4564ba2ae69)',
      'https://msmarco.z22.web.core.windows.net/msmarcoranking/qrels.train.tsv -> /tmp/x/msmarco-passage/qrels.train.tsv (0.01 GB, md5 733fb9fe12d93e497f7289409316eccf)',
      'https://msmarco.z22.web.core.windows.net/msmarcoranking/qrels.dev.tsv -> /tmp/x/msmarco-passage/qrels.dev.tsv (0.00 GB, md5 9157ccaeaa8227f91722ba5770787b16)',
    ]);
  });
});
