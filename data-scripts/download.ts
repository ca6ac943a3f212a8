/**
 * Resumable, verified file downloads for the full-scale datasets: an existing `<dest>.part` is
 * continued with an HTTP Range request, size and checksums are checked on the whole file, and only
 * a verified file is renamed into place (atomically), so `dest` is either absent or correct.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { SingleBar, Presets } from 'cli-progress';

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Exact size in bytes; a different size fails the download. */
  readonly expectedBytes?: number;
  readonly sha256?: string;
  readonly md5?: string;
  /** Called as bytes arrive: bytes of the file so far, and its total when known. */
  readonly onProgress?: (received: number, total: number | undefined) => void;
  /** Draw a cli-progress bar on stderr (default: false). */
  readonly progressBar?: boolean;
  /** How many times an interrupted transfer is resumed within this call (default 3). */
  readonly retries?: number;
  /** Socket inactivity timeout in ms (default 60 s). */
  readonly timeoutMs?: number;
}

/** What a download did. */
export interface DownloadResult {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly md5: string;
  /** True when the destination already existed and verified, so nothing was fetched. */
  readonly alreadyPresent: boolean;
  /** Bytes that were already in the `.part` file when this call started. */
  readonly resumedFrom: number;
}

/** Thrown when a finished file's size or checksum differs from the expected one. */
export class VerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationError';
  }
}

class InterruptedError extends Error {}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await fs.stat(path)).size;
  } catch {
    return undefined;
  }
}

async function hashFile(path: string): Promise<{ sha256: string; md5: string; bytes: number }> {
  const s = createHash('sha256');
  const m = createHash('md5');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    s.update(chunk as Buffer);
    m.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: s.digest('hex'), md5: m.digest('hex'), bytes };
}

/** Checks size and checksums; returns the problem, or undefined when all given expectations hold. */
function verificationProblem(label: string, got: { sha256: string; md5: string; bytes: number }, opts: DownloadOptions): string | undefined {
  if (opts.expectedBytes !== undefined && got.bytes !== opts.expectedBytes) return `size mismatch for ${label}: expected ${opts.expectedBytes} bytes, got ${got.bytes}`;
  if (opts.sha256 !== undefined && got.sha256 !== opts.sha256.toLowerCase()) return `checksum mismatch for ${label}: expected sha256 ${opts.sha256}, got ${got.sha256}`;
  if (opts.md5 !== undefined && got.md5 !== opts.md5.toLowerCase()) return `checksum mismatch for ${label}: expected md5 ${opts.md5}, got ${got.md5}`;
  return undefined;
}

function request(url: string, headers: Record<string, string>, timeoutMs: number, redirects = 5): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects <= 0) return reject(new Error(`too many redirects fetching ${url}`));
        resolve(request(new URL(res.headers.location, url).toString(), headers, timeoutMs, redirects - 1));
        return;
      }
      resolve(res);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new InterruptedError(`no data for ${timeoutMs} ms from ${url}`)));
    req.on('error', reject);
  });
}

/** Total size from a 206 `Content-Range: bytes a-b/total` or a 200 `Content-Length`. */
function totalFrom(res: IncomingMessage, start: number): number | undefined {
  const range = res.headers['content-range'];
  const m = range ? /\/(\d+)$/.exec(range) : null;
  if (m) return Number(m[1]);
  const len = res.headers['content-length'];
  return len !== undefined ? Number(len) + (res.statusCode === 206 ? start : 0) : undefined;
}

/** Appends one HTTP response (from byte `start`) to the .part file; rejects with InterruptedError on a cut transfer. */
async function transfer(url: string, part: string, start: number, opts: DownloadOptions, bar: SingleBar | undefined): Promise<void> {
  const res = await request(url, start > 0 ? { Range: `bytes=${start}-` } : {}, opts.timeoutMs ?? 60_000).catch((e: Error) => {
    throw new InterruptedError(e.message);
  });
  const status = res.statusCode ?? 0;
  if (status === 416 && start > 0) {
    // The .part already holds the whole file: verification decides.
    res.resume();
    return;
  }
  if (status !== 200 && status !== 206) {
    res.resume();
    throw new Error(`HTTP ${status} fetching ${url}`);
  }
  const from = status === 206 ? start : 0;
  const total = totalFrom(res, from) ?? opts.expectedBytes;
  let received = from;
  bar?.setTotal(total ?? 0);
  const out = createWriteStream(part, { flags: from > 0 ? 'a' : 'w' });
  const closed = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
  });
  // Not stream.pipeline: on a cut transfer it destroys the file stream and drops buffered writes,
  // whereas every byte received must reach the .part file so the next try resumes after it.
  const cut = await new Promise<Error | undefined>((resolve) => {
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
      bar?.update(received);
      opts.onProgress?.(received, total);
      if (!out.write(chunk)) {
        res.pause();
        out.once('drain', () => res.resume());
      }
    });
    res.on('end', () => resolve(undefined));
    res.on('aborted', () => resolve(new Error('connection closed early')));
    res.on('error', (e) => resolve(e));
  });
  out.end();
  await closed;
  if (cut) throw new InterruptedError(`transfer of ${url} interrupted after ${(await sizeOf(part)) ?? 0} bytes (${cut.message})`);
  if (total !== undefined && received < total) throw new InterruptedError(`transfer of ${url} ended after ${received} of ${total} bytes`);
}

/**
 * Downloads `url` to `dest`: resumes `<dest>.part` when present, retries interrupted transfers,
 * verifies size / sha256 / md5 when given, then renames into place. A verified existing `dest`
 * is not fetched again. A checksum mismatch deletes the partial file and throws a VerificationError.
 */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  await fs.mkdir(dirname(dest), { recursive: true });
  if ((await sizeOf(dest)) !== undefined) {
    const got = await hashFile(dest);
    const problem = verificationProblem(dest, got, opts);
    if (problem) throw new VerificationError(`${problem} (existing file; delete it to download again)`);
    return { path: dest, ...got, alreadyPresent: true, resumedFrom: 0 };
  }
  const part = `${dest}.part`;
  const resumedFrom = (await sizeOf(part)) ?? 0;
  const bar = opts.progressBar
    ? new SingleBar({ format: `${dest.split('/').pop()} [{bar}] {percentage}% {value}/{total} B eta {eta_formatted}`, noTTYOutput: !process.stderr.isTTY, stream: process.stderr }, Presets.shades_classic)
    : undefined;
  bar?.start(opts.expectedBytes ?? 0, resumedFrom);
  const retries = opts.retries ?? 3;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await transfer(url, part, (await sizeOf(part)) ?? 0, opts, bar);
        break;
      } catch (e) {
        if (!(e instanceof InterruptedError) || attempt >= retries) {
          if (e instanceof InterruptedError) throw new Error(`${e.message}; ${part} kept, run again to resume`);
          throw e;
        }
      }
    }
  } finally {
    bar?.stop();
  }
  const got = await hashFile(part);
  const problem = verificationProblem(url, got, opts);
  if (problem) {
    await fs.rm(part, { force: true });
    throw new VerificationError(`${problem}; the partial file ${part} was deleted`);
  }
  const fh = await fs.open(part, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(part, dest);
  return { path: dest, ...got, alreadyPresent: false, resumedFrom };
}
