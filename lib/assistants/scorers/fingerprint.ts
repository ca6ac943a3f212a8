/**
 * Content fingerprints for scorer cache keys: every file of a model folder (path and bytes), and
 * a run's entries, so a changed weight byte or run line changes the key and cached scores are
 * never returned for a model that is not the one on disk.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Run } from '../../data/types';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // Hidden files and atomic-write temporaries are not part of the model.
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** sha256 over every regular file of `dir` (sorted relative paths, each path then its bytes). */
export function folderFingerprint(dir: string): string {
  const h = createHash('sha256');
  for (const p of filesUnder(dir).sort()) {
    const bytes = readFileSync(p);
    h.update(`${relative(dir, p)}\u0000${bytes.length}\u0000`);
    h.update(bytes);
  }
  return h.digest('hex');
}

/** sha256 over a run's entries (query, document, rank, score) in order. */
export function runFingerprint(run: Run): string {
  const h = createHash('sha256');
  for (const [q, entries] of run.byQuery) {
    h.update(`${q}\u0001`);
    for (const e of entries) h.update(`${e.docId}\u0002${e.rank}\u0002${e.score}\u0003`);
  }
  return h.digest('hex');
}
