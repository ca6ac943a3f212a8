/**
 * Command line of the miniature writers (lib/data/miniature.ts): MS MARCO passage, TREC DL
 * 2019/2020 and DPR NQ in their exact public formats with synthetic text, plus the SHA256SUMS
 * manifest `fetch.ts --mirror` checks. Re-exports the writers so existing imports keep working.
 * Usage:
 *   npx tsx data-scripts/miniature.ts --out DIR [--passages 2000] [--train-queries 200] [--seed 1] [--systems A,B,C]
 */
import { writeManifest, writeMsmarcoMiniature, writeNqMiniature, type MiniatureOptions } from '../lib/data/miniature';

export { writeFamilyMiniature, writeManifest, writeMsmarcoMiniature, writeNqMiniature, type MiniatureOptions, type MiniatureSummary } from '../lib/data/miniature';

function main(argv: string[]): void {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const out = get('--out');
  if (!out) {
    process.stderr.write('usage: npx tsx data-scripts/miniature.ts --out DIR [--passages 2000] [--train-queries 200] [--seed 1] [--systems A,B,C]\n');
    process.exit(2);
  }
  const opts: MiniatureOptions = {
    passages: get('--passages') ? Number(get('--passages')) : undefined,
    trainQueries: get('--train-queries') ? Number(get('--train-queries')) : undefined,
    seed: get('--seed') ? Number(get('--seed')) : undefined,
    systems: get('--systems')?.split(',').filter(Boolean),
  };
  const summaries = [writeMsmarcoMiniature(out, opts), writeNqMiniature(out, opts)];
  for (const s of summaries) {
    process.stdout.write(`${s.root}: ${s.passages} passages, ${Object.entries(s.queries).map(([k, v]) => `${k} ${v} queries`).join(', ')}, ${s.files.length} files\n`);
  }
  process.stdout.write(`manifest: ${writeManifest(out, summaries)}\n`);
}

if (require.main === module) main(process.argv.slice(2));
