/**
 * One writer per output: an exclusive lock file (created with O_EXCL through a hard link, so it is
 * never seen half-written) holding the owner's pid. A second process is refused with the holder's
 * pid; a lock left by a dead process is taken over with a note. Released on exit, SIGINT and SIGTERM.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { namedWriteError } from './errors';

/** Name of the lock file inside a locked folder. */
export const FOLDER_LOCK = '.mta4dpr.lock';

/** What a lock file says about its holder. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
}

/** Another live process holds the lock. */
export class LockedError extends Error {
  constructor(readonly path: string, readonly owner: LockOwner) {
    super(`${path} is in use by process ${owner.pid} (${owner.command}, since ${owner.since}); ` +
      'wait for it to finish or stop it, or choose another output');
    this.name = 'LockedError';
  }
}

/** A held lock; `release` is idempotent. */
export interface Lock {
  readonly path: string;
  release(): void;
}

/** Locks held by this process: path → reference count (re-entrant, e.g. the CLI and runExperiment). */
const held = new Map<string, number>();
let handlersInstalled = false;

function releaseAll(): void {
  for (const p of held.keys()) removeIfOurs(p);
  held.clear();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', releaseAll);
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    // Where someone else handles the signal (a notebook kernel), leave its meaning to them; 'exit' still releases.
    if (process.listenerCount(sig) > 0) continue;
    process.on(sig, () => {
      releaseAll();
      process.exit(code);
    });
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return Number.isInteger(o.pid) && o.pid > 0 ? o : undefined;
  } catch {
    return undefined;
  }
}

function removeIfOurs(path: string): void {
  if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
}

/** Whether process `pid` is alive on this machine (EPERM: alive, owned by another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string, owner: LockOwner): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try { writeSync(fd, JSON.stringify(owner) + '\n'); } finally { closeSync(fd); }
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw namedWriteError(path, e);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Takes the lock file at `path` for this process (`command` says what holds it), or throws a
 * LockedError naming the live holder. `note` receives a line when a dead holder's lock is taken over.
 */
export function acquireLock(path: string, command: string, note: (m: string) => void = (m) => process.stderr.write(`${m}\n`)): Lock {
  const abs = resolve(path);
  const release = () => {
    const n = held.get(abs);
    if (n === undefined) return;
    if (n > 1) held.set(abs, n - 1);
    else {
      held.delete(abs);
      removeIfOurs(abs);
    }
  };
  let done = false;
  const lock: Lock = { path: abs, release: () => { if (!done) { done = true; release(); } } };
  const count = held.get(abs);
  if (count !== undefined) {
    held.set(abs, count + 1);
    return lock;
  }
  installHandlers();
  mkdirSync(dirname(abs), { recursive: true });
  const owner: LockOwner = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(abs, owner)) {
      held.set(abs, 1);
      return lock;
    }
    const other = readOwner(abs);
    if (other && other.pid !== process.pid && processAlive(other.pid)) throw new LockedError(abs, other);
    note(other
      ? `note: ${abs}: taking over the stale lock of process ${other.pid} (${other.command}, since ${other.since}), which is no longer running`
      : `note: ${abs}: removing an unreadable lock file`);
    // Remove only the lock just judged stale, not one a racing process has written since.
    if (readOwner(abs)?.pid !== other?.pid) continue;
    try { unlinkSync(abs); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw namedWriteError(abs, e); }
  }
  throw new Error(`${abs}: could not take the lock (it keeps reappearing: another process is racing for it)`);
}

/** Locks an output folder (creating it): one writer per folder. */
export function lockFolder(dir: string, command: string, note?: (m: string) => void): Lock {
  return acquireLock(join(dir, FOLDER_LOCK), command, note);
}

/** Locks one output file through `<file>.lock` beside it. */
export function lockFile(file: string, command: string, note?: (m: string) => void): Lock {
  return acquireLock(`${file}.lock`, command, note);
}
