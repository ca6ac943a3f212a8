/**
 * Whole-file input for the data readers (archives, hashes) with errors that name the file, in the
 * wording of the line reader's (`file: reason (CODE)`): a folder, a missing file, a truncated .gz.
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { InputError } from '../io/lines';

const REASONS: Record<string, string> = {
  EISDIR: 'is a folder, expected a file',
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  Z_BUF_ERROR: 'truncated gzip data (unexpected end of file)',
  Z_DATA_ERROR: 'corrupt gzip data',
};

/** Wraps a raw fs / zlib error as an InputError naming `file` (already-named errors pass through). */
export function dataReadError(file: string, e: unknown): Error {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  const known = code !== undefined && Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
  return new InputError(file, undefined, known ? `${known} (${code})` : String((e as Error)?.message ?? e));
}

/** Reads a whole file, gunzipped when its name ends in `.gz` or `.tgz`. */
export async function readDataFile(path: string): Promise<Buffer> {
  try {
    const raw = await readFile(path);
    return /\.(gz|tgz)$/.test(path) ? await promisify(gunzip)(raw) : raw;
  } catch (e) {
    throw dataReadError(path, e);
  }
}
