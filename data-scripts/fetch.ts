/**
 * CLI: downloads a full-scale dataset's files (see lib/data/fullScale.ts) into a folder,
 * resumably and verified. Usage:
 *   npx tsx data-scripts/fetch.ts --dataset msmarco-passage --out DIR [--optional] [--dry-run]
 * or, from a mirror of files in the official layout with a SHA256SUMS manifest (`sha256  path`
 * lines, as data-scripts/miniature.ts writes one), every listed file, each checksum enforced:
 *   npx tsx data-scripts/fetch.ts --mirror URL --out DIR [--manifest SHA256SUMS]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags, requireFlag, UsageError } from '../lib/cli/args';
import { FULL_SCALE_DATASETS, approximateBytes, fullScaleDataset } from '../lib/data/fullScale';
import { downloadFile } from './download';

const USAGE = `usage: npx tsx data-scripts/fetch.ts --dataset NAME --out DIR [--optional] [--dry-run]
       npx tsx data-scripts/fetch.ts --mirror URL --out DIR [--manifest FILE]
datasets: ${Object.keys(FULL_SCALE_DATASETS).join(', ')}`;

/** One line of a SHA256SUMS manifest. */
export interface ManifestEntry {
  readonly sha256: string;
  readonly path: string;
}

/** Parses `sha256  path` lines (sha256sum's format; a `*` before the path marks binary mode); `source` names the file in errors. */
export function parseManifest(text: string, source: string): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) throw new Error(`${source}:${i + 1}: expected '<sha256>  <path>', got '${line.slice(0, 80)}'`);
    const path = m[2]!;
    if (path.startsWith('/') || path.split('/').includes('..')) throw new Error(`${source}:${i + 1}: path '${path}' must stay inside the output folder`);
    out.push({ sha256: m[1]!, path });
  });
  if (out.length === 0) throw new Error(`${source}: no entries`);
  return out;
}

/** Fetches every manifest entry from `mirror` (URL of the layout's root) into `out`, resumably, sha256 enforced. */
async function fetchMirror(mirror: string, out: string, manifestPath: string | undefined): Promise<void> {
  const base = mirror.replace(/\/+$/, '');
  let text: string;
  let source: string;
  if (manifestPath) {
    text = readFileSync(manifestPath, 'utf8');
    source = manifestPath;
  } else {
    const r = await downloadFile(`${base}/SHA256SUMS`, join(out, 'SHA256SUMS.mirror'), { retries: 3 });
    text = readFileSync(r.path, 'utf8');
    source = `${base}/SHA256SUMS`;
  }
  const entries = parseManifest(text, source);
  console.error(`${base}: ${entries.length} file(s) listed in ${source}`);
  for (const e of entries) {
    const r = await downloadFile(`${base}/${e.path.split('/').map(encodeURIComponent).join('/')}`, join(out, e.path), { sha256: e.sha256, progressBar: process.stderr.isTTY === true });
    console.error(`${r.alreadyPresent ? 'present' : r.resumedFrom > 0 ? `resumed at ${r.resumedFrom} bytes` : 'fetched'} ${e.path}: ${r.bytes} bytes, sha256 verified`);
  }
}

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** Runs the fetch CLI on `argv`; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const flags = parseFlags(argv, {
      dataset: { type: 'string' }, out: { type: 'string' }, optional: { type: 'boolean' }, 'dry-run': { type: 'boolean' },
      mirror: { type: 'string' }, manifest: { type: 'string' }, help: { type: 'boolean' },
    }, USAGE);
    if (flags.help) {
      console.log(USAGE);
      return 0;
    }
    if (typeof flags.mirror === 'string') {
      if (flags.dataset !== undefined) throw new UsageError('--mirror fetches what its manifest lists; give it without --dataset', USAGE);
      await fetchMirror(flags.mirror, requireFlag(flags, 'out', USAGE), typeof flags.manifest === 'string' ? flags.manifest : undefined);
      return 0;
    }
    const name = requireFlag(flags, 'dataset', USAGE);
    if (!FULL_SCALE_DATASETS[name]) throw new UsageError(`unknown dataset "${name}"`, USAGE);
    const dataset = fullScaleDataset(name);
    const out = requireFlag(flags, 'out', USAGE);
    const includeOptional = flags.optional === true;
    const files = dataset.files.filter((f) => includeOptional || !f.optional);
    console.error(`${dataset.name}: ${files.length} file(s), about ${gb(approximateBytes(dataset, { includeOptional }))} (size hints). Licence: ${dataset.licence}`);
    for (const f of files) {
      const dest = join(out, f.dest);
      const check = f.sha256 ? `sha256 ${f.sha256}` : f.md5 ? `md5 ${f.md5}` : 'no published checksum';
      if (flags['dry-run']) {
        console.log(`${f.url} -> ${dest} (${f.sizeHint !== undefined ? gb(f.sizeHint) : 'size unknown'}, ${check})`);
        continue;
      }
      const r = await downloadFile(f.url, dest, { expectedBytes: f.expectedBytes, sha256: f.sha256, md5: f.md5, progressBar: process.stderr.isTTY === true });
      console.error(`${r.alreadyPresent ? 'present' : 'fetched'} ${dest}: ${r.bytes} bytes, md5 ${r.md5}, sha256 ${r.sha256}${f.md5 || f.sha256 ? ' (verified)' : ' (unverified: no published checksum)'}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n${e.usage ?? USAGE}`);
      return 2;
    }
    console.error((e as Error).message);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
