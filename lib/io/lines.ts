/**
 * Streaming line input: files of any size (an 8.8M-passage TSV) are read line by line,
 * with transparent gzip by extension, and every line keeps its 1-based number for error messages.
 * Every failure names the file: a folder, a truncated .gz, binary bytes (NUL) in a text file.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { InputError, namedReadError } from './errors';

export { InputError } from './errors';

/** One line of a text file with its 1-based line number (no trailing newline, no trailing \r). */
export interface NumberedLine {
  readonly line: number;
  readonly text: string;
}

/**
 * Opens a file as a byte stream, gunzipping when the name ends in `.gz`; any error (the raw file's
 * included, which `pipe` would not forward) arrives on the returned stream as an InputError naming `path`.
 */
export function openInput(path: string): Readable {
  const raw = createReadStream(path);
  if (!path.endsWith('.gz')) return wrapErrors(raw, path);
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(namedReadError(path, e)));
  return wrapErrors(raw.pipe(gunzip), path);
}

/** Re-emits a stream's errors as named ones (the stream object itself is returned). */
function wrapErrors(s: Readable, path: string): Readable {
  const destroy = s.destroy.bind(s);
  s.destroy = (e?: Error) => destroy(e === undefined ? e : namedReadError(path, e));
  return s;
}

/** Line `n`'s text without its trailing \r; a NUL byte never occurs in text, so it means the file is binary (an index, an image, a model). */
function lineText(path: string, n: number, text: string): string {
  if (text.includes('\u0000')) throw new InputError(path, n, 'binary data (NUL byte): not a text file');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** Yields the lines of `path` (gzip-aware) without holding the file in memory. */
export async function* readLines(path: string): AsyncGenerator<NumberedLine> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let n = 0;
  const emit = (text: string): NumberedLine => ({ line: ++n, text: lineText(path, n, text) });
  try {
    for await (const chunk of openInput(path)) {
      rest += decoder.write(chunk as Buffer);
      let nl = rest.indexOf('\n');
      let start = 0;
      while (nl !== -1) {
        yield emit(rest.slice(start, nl));
        start = nl + 1;
        nl = rest.indexOf('\n', start);
      }
      rest = rest.slice(start);
    }
  } catch (e) {
    throw namedReadError(path, e, e instanceof InputError ? e.line : undefined);
  }
  rest += decoder.end();
  if (rest.length > 0) yield emit(rest);
}

/** A line of a plain file with the byte range it occupies (`end` excludes the newline). */
export interface PlacedLine extends NumberedLine {
  readonly start: number;
  readonly end: number;
}

/**
 * Yields the lines of a plain (not gzipped) file with their byte ranges, so a reader can keep where
 * a record is instead of the record. Same text and numbering as {@link readLines}.
 */
export async function* readPlacedLines(path: string): AsyncGenerator<PlacedLine> {
  if (path.endsWith('.gz')) throw new Error(`readPlacedLines: ${path} is gzipped; byte ranges exist only in plain files`);
  let n = 0;
  let carry: Buffer = Buffer.alloc(0);
  let carryStart = 0;
  const emit = (bytes: Buffer, start: number): PlacedLine => ({ line: ++n, text: lineText(path, n, bytes.toString('utf8')), start, end: start + bytes.length });
  try {
    for await (const chunk of openInput(path)) {
      const buf: Buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      let from = 0;
      let nl = buf.indexOf(10, from);
      while (nl !== -1) {
        yield emit(buf.subarray(from, nl), carryStart + from);
        from = nl + 1;
        nl = buf.indexOf(10, from);
      }
      carryStart += from;
      carry = Buffer.from(buf.subarray(from));
    }
  } catch (e) {
    throw namedReadError(path, e, e instanceof InputError ? e.line : undefined);
  }
  if (carry.length > 0) yield emit(carry, carryStart);
}
