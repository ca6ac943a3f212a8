/**
 * What data is present: every file under the data folder with its size and whether it matches
 * data/SHA256SUMS (ok / mismatch / missing / unlisted). Used by `mta4dpr doctor` and notebook 00.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sha256File } from '../io';
import { dataRoot } from '../data/paths';

/** Checksum status of one data file. */
export type ChecksumStatus = 'ok' | 'mismatch' | 'missing' | 'unlisted';

/** One data file. */
export interface DataFileStatus {
  /** Path relative to the data folder, with '/' separators. */
  path: string;
  bytes: number;
  status: ChecksumStatus;
}

/** The whole data folder. */
export interface DataInventory {
  root: string;
  files: DataFileStatus[];
  counts: Record<ChecksumStatus, number>;
  totalBytes: number;
  /** Lines of SHA256SUMS that could not be parsed (reported, never skipped silently). */
  badSumLines: Array<{ line: number; text: string }>;
}

/** Parses `<sha256>  ./path` lines; returns path → hash and the lines it could not read. */
export function parseSha256Sums(text: string): { sums: Map<string, string>; bad: Array<{ line: number; text: string }> } {
  const sums = new Map<string, string>();
  const bad: Array<{ line: number; text: string }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const m = /^([0-9a-f]{64})\s+\*?(?:\.\/)?(.+)$/.exec(line);
    if (!m) bad.push({ line: i + 1, text: raw });
    else sums.set(m[2], m[1]);
  });
  return { sums, bad };
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** Lists the data folder and checks every file against SHA256SUMS (hashes all of it: ~1 s per 100 MB). */
export async function dataInventory(root: string = dataRoot()): Promise<DataInventory> {
  if (!existsSync(root)) throw new Error(`data folder not found: ${root} (set MTA4DPR_DATA or restore data/ from the repository)`);
  const sumsPath = join(root, 'SHA256SUMS');
  const { sums, bad } = existsSync(sumsPath) ? parseSha256Sums(readFileSync(sumsPath, 'utf8')) : { sums: new Map<string, string>(), bad: [] };
  const present = listFiles(root).filter((p) => p !== 'SHA256SUMS');
  const files: DataFileStatus[] = [];
  for (const p of present) {
    const bytes = statSync(join(root, p)).size;
    const want = sums.get(p);
    const status: ChecksumStatus = want === undefined ? 'unlisted' : (await sha256File(join(root, p))) === want ? 'ok' : 'mismatch';
    files.push({ path: p, bytes, status });
  }
  for (const p of sums.keys()) if (!present.includes(p)) files.push({ path: p, bytes: 0, status: 'missing' });
  const counts: Record<ChecksumStatus, number> = { ok: 0, mismatch: 0, missing: 0, unlisted: 0 };
  for (const f of files) counts[f.status]++;
  return { root, files, counts, totalBytes: files.reduce((a, f) => a + f.bytes, 0), badSumLines: bad };
}

/** Groups files by dataset folder (first two path parts, e.g. 'demo/dl19') with file count, size and worst status. */
export function datasetSummary(inv: DataInventory): Array<{ dataset: string; files: number; MB: string; checksums: string }> {
  const groups = new Map<string, DataFileStatus[]>();
  for (const f of inv.files) {
    const parts = f.path.split('/');
    const key = parts.length > 2 ? parts.slice(0, 2).join('/') : parts.length === 2 ? parts[0] : '(top level)';
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([dataset, fs]) => {
    const bad = fs.filter((f) => f.status !== 'ok');
    return {
      dataset,
      files: fs.length,
      MB: (fs.reduce((a, f) => a + f.bytes, 0) / 1e6).toFixed(2),
      checksums: bad.length === 0 ? 'ok' : bad.map((f) => `${f.status}: ${f.path}`).join('; '),
    };
  });
}
