/**
 * The full-scale datasets in their official file layout under one data root — the files as MS
 * MARCO, NIST and DPR publish them, unpacked (what data-scripts/fetch.ts fetches, or what
 * data-scripts/miniature.ts writes at toy size) — as dataset specs, so the full-scale configs'
 * names (`msmarco-passage/train`, `trec-dl19-passage`, `nq-dpr/test`, …) load through the same
 * readers as any user collection. A file may also be stored gzipped (`NAME.gz`).
 *
 *   ROOT/msmarco-passage/collection.tsv, queries.train.tsv, queries.dev.small.tsv,
 *                        qrels.train.tsv, qrels.dev.small.tsv, runs/{train,dev.small}/SYSTEM.trec
 *   ROOT/trec-dl-2019/msmarco-test2019-queries.tsv, 2019qrels-pass.txt, runs/SYSTEM.trec
 *   ROOT/trec-dl-2020/msmarco-test2020-queries.tsv, 2020qrels-pass.txt, runs/SYSTEM.trec
 *   ROOT/wikipedia/psgs_w100.tsv
 *   ROOT/nq/biencoder-nq-train.json, nq-test.qa.csv, runs/{train,test}/SYSTEM.trec
 *
 * Run files (teacher and assistant rankings) are not part of the public releases; a config whose
 * models are run references reads them from the `runs` folders above.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetSpecSchema, type DatasetSpec, type DatasetSpecInput, type DatasetSpecs } from '../config/dataset';

/** The dataset names the official layout provides. */
export const OFFICIAL_DATASET_NAMES = [
  'msmarco-passage/train', 'msmarco-passage/dev/small', 'trec-dl19-passage', 'trec-dl20-passage', 'nq-dpr/train', 'nq-dpr/test',
] as const;

/** One of the names the official layout provides. */
export type OfficialDatasetName = (typeof OFFICIAL_DATASET_NAMES)[number];

/** The releases the official layout groups its names into: MS MARCO passage + TREC DL (one collection), DPR NQ. */
export type OfficialFamily = 'msmarco' | 'nq';

/** Each official name's family: what a miniature of the name has to contain (lib/data/miniature.ts). */
export const OFFICIAL_FAMILY: Readonly<Record<OfficialDatasetName, OfficialFamily>> = {
  'msmarco-passage/train': 'msmarco', 'msmarco-passage/dev/small': 'msmarco', 'trec-dl19-passage': 'msmarco', 'trec-dl20-passage': 'msmarco',
  'nq-dpr/train': 'nq', 'nq-dpr/test': 'nq',
};

/** `path`, or `path.gz` when only that exists (a missing file keeps its plain name for the reader's error). */
function file(path: string): string {
  return !existsSync(path) && existsSync(`${path}.gz`) ? `${path}.gz` : path;
}

/** System name → run file, for every `SYSTEM.trec` in `dir` (none when it does not exist). */
function runsIn(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.trec')).sort().map((f) => [f.slice(0, -'.trec'.length), join(dir, f)]));
}

/** The spec of each official dataset under `root` (absolute paths). */
export function officialLayoutSpecs(root: string): Record<string, DatasetSpec> {
  const marco = join(root, 'msmarco-passage');
  const collection = file(join(marco, 'collection.tsv'));
  const psgs = file(join(root, 'wikipedia', 'psgs_w100.tsv'));
  const dl = (year: 2019 | 2020): DatasetSpecInput => {
    const dir = join(root, `trec-dl-${year}`);
    return {
      format: 'msmarco', documents: collection, queries: file(join(dir, `msmarco-test${year}-queries.tsv`)),
      qrels: file(join(dir, `${year}qrels-pass.txt`)), runs: runsIn(join(dir, 'runs')),
      description: `TREC DL ${year} passage topics and NIST qrels over the MS MARCO collection`,
    };
  };
  const specs: Record<string, DatasetSpecInput> = {
    'msmarco-passage/train': {
      format: 'msmarco', documents: collection, queries: file(join(marco, 'queries.train.tsv')), qrels: file(join(marco, 'qrels.train.tsv')),
      runs: runsIn(join(marco, 'runs', 'train')), description: 'MS MARCO passage training queries and qrels',
    },
    'msmarco-passage/dev/small': {
      format: 'msmarco', documents: collection, queries: file(join(marco, 'queries.dev.small.tsv')), qrels: file(join(marco, 'qrels.dev.small.tsv')),
      runs: runsIn(join(marco, 'runs', 'dev.small')), description: 'MS MARCO passage dev (small) queries and qrels',
    },
    'trec-dl19-passage': dl(2019),
    'trec-dl20-passage': dl(2020),
    'nq-dpr/train': {
      format: 'dpr', retriever: file(join(root, 'nq', 'biencoder-nq-train.json')), documents: psgs,
      runs: runsIn(join(root, 'nq', 'runs', 'train')), description: 'NQ retriever training records (DPR) over the psgs_w100 corpus',
    },
    'nq-dpr/test': {
      format: 'dpr', documents: psgs, queries: file(join(root, 'nq', 'nq-test.qa.csv')),
      runs: runsIn(join(root, 'nq', 'runs', 'test')), description: 'NQ test questions with answers (DPR) over the psgs_w100 corpus',
    },
  };
  return Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, DatasetSpecSchema.parse(s)]));
}

/** A config's own dataset specs plus, when it names a data root, the official layout under it (the config's names win). */
export function withOfficialLayout(specs: DatasetSpecs, root: string | undefined): DatasetSpecs {
  return root === undefined ? specs : { ...officialLayoutSpecs(root), ...specs };
}
