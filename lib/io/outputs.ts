/**
 * Output checks before any work: an output folder must be a folder (not a file), outside the
 * kernel's pseudo file systems, and really writable — proved by a probe file written, renamed and
 * deleted, which fails at once (EACCES, EROFS, ENOSPC) instead of after hours of computing.
 */
import { existsSync, mkdirSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { OutputError, namedWriteError } from './errors';

/** Pseudo file systems no output may go to (writes there hang or change the kernel's state). */
const FORBIDDEN_ROOTS = ['/proc', '/sys', '/dev'];

/** The deepest existing ancestor of `path`, with symlinks resolved. */
function existingAncestor(path: string): string {
  let p = path;
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  return realpathSync(p);
}

function refusePseudoFs(path: string): void {
  const real = join(existingAncestor(path), '');
  for (const root of FORBIDDEN_ROOTS) {
    if (real === root + sep || real.startsWith(root + sep) || resolve(path).startsWith(root + sep)) {
      throw new OutputError(path, `is under ${root}, a kernel pseudo file system; choose a normal folder`);
    }
  }
}

function probe(dir: string): void {
  const a = join(dir, `.mta4dpr-probe-${process.pid}`);
  const b = `${a}.renamed`;
  try {
    writeFileSync(a, 'probe\n');
    renameSync(a, b);
    unlinkSync(b);
  } catch (e) {
    for (const f of [a, b]) { try { unlinkSync(f); } catch { /* not there */ } }
    throw new OutputError(dir, `is not writable: ${namedWriteError(dir, e).message.slice(dir.length + 2)}`);
  }
}

/** Creates (if needed) and checks an output folder; returns its absolute path. */
export function ensureWritableFolder(dir: string): string {
  const abs = resolve(dir);
  refusePseudoFs(abs);
  if (existsSync(abs) && !statSync(abs).isDirectory()) throw new OutputError(dir, 'exists and is a file; an output folder is needed');
  try {
    mkdirSync(abs, { recursive: true });
  } catch (e) {
    // A recursive mkdir on a read-only file system reports ENOENT: probe the deepest existing folder for the real reason.
    probe(existingAncestor(abs));
    throw namedWriteError(dir, e);
  }
  probe(abs);
  return abs;
}

/** Checks that an output file can be written: not a folder, and its folder writable (created if needed). */
export function ensureWritableFile(file: string): string {
  const abs = resolve(file);
  refusePseudoFs(abs);
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new OutputError(file, 'is a folder; an output file name is needed');
  ensureWritableFolder(dirname(abs));
  return abs;
}
