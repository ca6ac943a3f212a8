/**
 * Streaming line input: files of any size (an 8.8M-passage TSV) are read line by line,
 * with transparent gzip by extension, and every line keeps its 1-based number for error messages.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createGunzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** One line of a text file with its 1-based line number (no trailing newline, no trailing \r). */
export interface NumberedLine {
  readonly line: number;
  readonly text: string;
}

/** Opens a file as a byte stream, gunzipping when the name ends in `.gz`. */
export function openInput(path: string): Readable {
  const raw = createReadStream(path);
  return path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

/** Yields the lines of `path` (gzip-aware) without holding the file in memory; read errors name the file. */
export async function* readLines(path: string): AsyncGenerator<NumberedLine> {
  const input = openInput(path);
  // readline does not forward errors of a piped gunzip stream, so they are caught here and rethrown in order.
  let failure: Error | undefined;
  const rl = createInterface({ input, crlfDelay: Infinity });
  input.on('error', (e: Error) => {
    failure = e;
    rl.close();
  });
  let n = 0;
  try {
    for await (const text of rl) {
      if (failure) break;
      n += 1;
      yield { line: n, text: text.endsWith('\r') ? text.slice(0, -1) : text };
    }
  } catch (e) {
    throw readError(path, e, n);
  } finally {
    input.destroy();
  }
  if (failure) throw readError(path, failure, n);
}

/** Reads a whole file (gunzipped when it ends in `.gz`); a missing, directory or corrupt file names itself. */
export async function readInputFile(path: string): Promise<Buffer> {
  try {
    const raw = await readFile(path);
    return path.endsWith('.gz') ? await promisify(gunzip)(raw) : raw;
  } catch (e) {
    throw readError(path, e, undefined);
  }
}

/** Turns a file-system or zlib error into an InputError naming the file (and the last line read). */
export function readError(path: string, e: unknown, linesRead: number | undefined): Error {
  if (e instanceof InputError) return e;
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'EISDIR' ? 'is a directory, not a file'
    : err.code === 'ENOENT' ? 'no such file'
    : err.code === 'EACCES' ? 'permission denied'
    : err.code?.startsWith('Z_') || /incorrect header check|unexpected end of file|invalid (block|distance|stored)/i.test(err.message)
      ? `corrupt or truncated gzip data (${err.message})${linesRead ? ` after line ${linesRead}` : ''}`
      : err.message;
  const out = new InputError(path, undefined, `cannot read: ${why}`);
  (out as NodeJS.ErrnoException).code = err.code;
  return out;
}

/** An input error that names the file and line, so users can fix their data. */
export class InputError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, reason: string) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'InputError';
  }
}
