/** Test helper: writes small (possibly broken) input files into a fresh temp folder. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A fresh temp folder for one test file. */
export function tempDir(prefix = 'mta4dpr-data-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `content` to `dir/name` (gzipped when the name ends in .gz) and returns the path. */
export function writeInput(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(bytes) : bytes);
  return path;
}
