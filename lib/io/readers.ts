/**
 * Read descriptors shared by the values that read their data back from files on access (score
 * tables from score logs, runs from run files): at most a few dozen open at once, least recently
 * used closed first, so neither a long run nor a test suite that builds hundreds of them runs out.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { namedReadError } from './errors';

const MAX_OPEN = 32;
const open = new Map<string, number>();

/** A read descriptor of `path`, opened now or reused. */
export function readerOf(path: string): number {
  let fd = open.get(path);
  if (fd !== undefined) {
    open.delete(path);
  } else {
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw namedReadError(path, e);
    }
    if (open.size >= MAX_OPEN) {
      const [oldest, ofd] = open.entries().next().value as [string, number];
      open.delete(oldest);
      closeSync(ofd);
    }
  }
  open.set(path, fd);
  return fd;
}

/** Closes `path`'s descriptor if one is open (the next {@link readerOf} opens the file anew). */
export function forgetReader(path: string): void {
  const fd = open.get(path);
  if (fd === undefined) return;
  open.delete(path);
  closeSync(fd);
}

/** `length` bytes of `path` from `offset` (fewer at the end of the file). */
export function readAt(path: string, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  try {
    const n = readSync(readerOf(path), buf, 0, length, offset);
    return n === length ? buf : buf.subarray(0, n);
  } catch (e) {
    throw namedReadError(path, e);
  }
}

/** Size and modification time of `path` as its open descriptor sees it. */
export function readerStat(path: string): { size: number; mtimeMs: number } {
  try {
    const s = fstatSync(readerOf(path));
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch (e) {
    throw namedReadError(path, e);
  }
}
