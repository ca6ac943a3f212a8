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

/** Yields the lines of `path` (gzip-aware) without holding the file in memory; a read error names the file. */
export async function* readLines(path: string): AsyncGenerator<NumberedLine> {
  const input = openInput(path);
  const rl = createInterface({ input, crlfDelay: Infinity });
  // readline does not forward the errors of a piped gunzip stream: catch them and end the loop.
  let failure: unknown;
  input.on('error', (e) => {
    failure = e;
    rl.close();
  });
  let n = 0;
  try {
    for await (const text of rl) {
      if (failure !== undefined) break;
      n += 1;
      yield { line: n, text: text.endsWith('\r') ? text.slice(0, -1) : text };
    }
  } catch (e) {
    failure = e;
  } finally {
    input.destroy();
  }
  if (failure !== undefined) throw namedError(path, failure);
}

const REASONS: Record<string, string> = {
  EISDIR: 'is a folder, expected a file',
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  Z_BUF_ERROR: 'truncated gzip data (unexpected end of file)',
  Z_DATA_ERROR: 'corrupt gzip data',
};

function namedError(file: string, e: unknown): Error {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  const known = code !== undefined && Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
  return new InputError(file, undefined, known ? `${known} (${code})` : String((e as Error)?.message ?? e));
}

/** An input error that names the file and line, so users can fix their data. */
export class InputError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, reason: string) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'InputError';
  }
}
