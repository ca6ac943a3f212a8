/**
 * CLI: downloads a full-scale dataset's files (see lib/data/fullScale.ts) into a folder,
 * resumably and verified. Usage:
 *   npx tsx data-scripts/fetch.ts --dataset msmarco-passage --out DIR [--optional] [--dry-run]
 */
import { join } from 'node:path';
import { parseFlags, requireFlag, UsageError } from '../lib/cli/args';
import { FULL_SCALE_DATASETS, approximateBytes, fullScaleDataset } from '../lib/data/fullScale';
import { downloadFile } from './download';

const USAGE = `usage: npx tsx data-scripts/fetch.ts --dataset NAME --out DIR [--optional] [--dry-run]
datasets: ${Object.keys(FULL_SCALE_DATASETS).join(', ')}`;

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** Runs the fetch CLI on `argv`; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const flags = parseFlags(argv, { dataset: { type: 'string' }, out: { type: 'string' }, optional: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean' } }, USAGE);
    if (flags.help) {
      console.log(USAGE);
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
      const r = await downloadFile(f.url, dest, { expectedBytes: f.expectedBytes, sha256: f.sha256, md5: f.md5, progressBar: true });
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
