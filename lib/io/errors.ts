/**
 * File errors that name the file: Node's raw fs/zlib errors (EISDIR, ENOSPC, a truncated gzip
 * stream) carry no path or a bare code, so every reader and writer re-throws them through here.
 */

/** An input error that names the file and line, so users can fix their data. */
export class InputError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, reason: string) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'InputError';
  }
}

/** Writing an output failed (disk full, permissions, a folder where a file should be); names the file. */
export class OutputError extends Error {
  constructor(readonly file: string, reason: string, readonly code?: string) {
    super(`${file}: ${reason}`);
    this.name = 'OutputError';
  }
}

const REASONS: Record<string, string> = {
  EISDIR: 'is a folder, expected a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  Z_BUF_ERROR: 'truncated gzip data (unexpected end of file)',
  Z_DATA_ERROR: 'corrupt gzip data',
};

/** A short human reason for a Node fs/zlib error (its code's meaning, else its message). */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const known = code !== undefined && Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
  return known ? `${known} (${code})` : String((e as Error)?.message ?? e);
}

/** Wraps a raw read error as an InputError naming `file` (already-named errors pass through). */
export function namedReadError(file: string, e: unknown, line?: number): Error {
  if (e instanceof InputError || e instanceof OutputError) return e;
  return new InputError(file, line, ioReason(e));
}

/** Wraps a raw write error as an OutputError naming `file` (already-named errors pass through). */
export function namedWriteError(file: string, e: unknown): Error {
  if (e instanceof InputError || e instanceof OutputError) return e;
  return new OutputError(file, ioReason(e), (e as NodeJS.ErrnoException)?.code);
}
