/**
 * Streaming line input: files of any size (an 8.8M-passage TSV) are read line by line,
 * with transparent gzip by extension, and every line keeps its 1-based number for error messages.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
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

/** Yields the lines of `path` (gzip-aware) without holding the file in memory. */
export async function* readLines(path: string): AsyncGenerator<NumberedLine> {
  const rl = createInterface({ input: openInput(path), crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n += 1;
    yield { line: n, text: text.endsWith('\r') ? text.slice(0, -1) : text };
  }
}

/** An input error that names the file and line, so users can fix their data. */
export class InputError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, reason: string) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'InputError';
  }
}
