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
 * DPR's download_data.py layout is read too (ROOT/downloads/data/wikipedia_split/psgs_w100.tsv,
 * …/retriever/nq-train.json, …/retriever/qas/nq-test.csv), and the TREC DL topics and qrels may
 * sit beside the MS MARCO files (LOCATIONS below).
 *
 * Run files (teacher and assistant rankings) are not part of the public releases; a config whose
 * models are run references reads them from the `runs` folders above.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
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

/**
 * Where each file may sit under the root, first found wins (each also as `NAME.gz`): the layout
 * above first, then DPR's own download layout (`downloads/data/…` as its download_data.py writes
 * it, with its file names) and the TREC DL files beside the MS MARCO ones, so a folder unpacked
 * the way the publishers' scripts do it loads as it is.
 */
const LOCATIONS = {
  collection: ['msmarco-passage/collection.tsv'],
  'queries.train': ['msmarco-passage/queries.train.tsv'],
  'qrels.train': ['msmarco-passage/qrels.train.tsv'],
  'queries.dev.small': ['msmarco-passage/queries.dev.small.tsv'],
  'qrels.dev.small': ['msmarco-passage/qrels.dev.small.tsv'],
  'queries.dl19': ['trec-dl-2019/msmarco-test2019-queries.tsv', 'msmarco-passage/msmarco-test2019-queries.tsv'],
  'qrels.dl19': ['trec-dl-2019/2019qrels-pass.txt', 'msmarco-passage/2019qrels-pass.txt'],
  'queries.dl20': ['trec-dl-2020/msmarco-test2020-queries.tsv', 'msmarco-passage/msmarco-test2020-queries.tsv'],
  'qrels.dl20': ['trec-dl-2020/2020qrels-pass.txt', 'msmarco-passage/2020qrels-pass.txt'],
  psgs: ['wikipedia/psgs_w100.tsv', 'downloads/data/wikipedia_split/psgs_w100.tsv'],
  'nq.train': ['nq/biencoder-nq-train.json', 'downloads/data/retriever/nq-train.json'],
  'nq.test': ['nq/nq-test.qa.csv', 'downloads/data/retriever/qas/nq-test.csv'],
} as const;

/** A file of the official layout (LOCATIONS' keys). */
type LayoutFile = keyof typeof LOCATIONS;

/** What each official dataset reads: its format, its files by role, the folder of its run files. */
interface OfficialDataset {
  readonly format: 'msmarco' | 'dpr';
  readonly files: Partial<Record<'documents' | 'queries' | 'qrels' | 'retriever', LayoutFile>>;
  readonly runs: string;
  readonly description: string;
}

const dl = (year: 2019 | 2020): OfficialDataset => ({
  format: 'msmarco',
  files: year === 2019 ? { documents: 'collection', queries: 'queries.dl19', qrels: 'qrels.dl19' } : { documents: 'collection', queries: 'queries.dl20', qrels: 'qrels.dl20' },
  runs: `trec-dl-${year}/runs`, description: `TREC DL ${year} passage topics and NIST qrels over the MS MARCO collection`,
});

const DATASETS: Readonly<Record<OfficialDatasetName, OfficialDataset>> = {
  'msmarco-passage/train': {
    format: 'msmarco', files: { documents: 'collection', queries: 'queries.train', qrels: 'qrels.train' },
    runs: 'msmarco-passage/runs/train', description: 'MS MARCO passage training queries and qrels',
  },
  'msmarco-passage/dev/small': {
    format: 'msmarco', files: { documents: 'collection', queries: 'queries.dev.small', qrels: 'qrels.dev.small' },
    runs: 'msmarco-passage/runs/dev.small', description: 'MS MARCO passage dev (small) queries and qrels',
  },
  'trec-dl19-passage': dl(2019),
  'trec-dl20-passage': dl(2020),
  'nq-dpr/train': {
    format: 'dpr', files: { retriever: 'nq.train', documents: 'psgs' },
    runs: 'nq/runs/train', description: 'NQ retriever training records (DPR) over the psgs_w100 corpus',
  },
  'nq-dpr/test': {
    format: 'dpr', files: { documents: 'psgs', queries: 'nq.test' },
    runs: 'nq/runs/test', description: 'NQ test questions with answers (DPR) over the psgs_w100 corpus',
  },
};

/** The path of `f` under `root`: the first location that exists, plain or gzipped; else the first location (for the reader's error). */
function locate(root: string, f: LayoutFile): string {
  for (const rel of LOCATIONS[f]) {
    const path = join(root, rel);
    if (existsSync(path)) return path;
    if (existsSync(`${path}.gz`)) return `${path}.gz`;
  }
  return join(root, LOCATIONS[f][0]);
}

/** The run folder of `name` under `root`. */
function runFolder(root: string, name: OfficialDatasetName): string {
  return join(root, DATASETS[name].runs);
}

/** System name → run file, for every `SYSTEM.trec` in `dir` (none when it does not exist). */
function runsIn(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.trec')).sort().map((f) => [f.slice(0, -'.trec'.length), join(dir, f)]));
}

/** Whether `name` is one of the official layout's names. */
export function isOfficialDatasetName(name: string): name is OfficialDatasetName {
  return (OFFICIAL_DATASET_NAMES as readonly string[]).includes(name);
}

/**
 * The files of the official dataset `name` that are in none of their locations under `root`, each
 * with where it looked: every one at once, before hours of work stop at the first.
 */
export function missingOfficialFiles(root: string, name: OfficialDatasetName): string[] {
  return Object.values(DATASETS[name].files).filter((f) => !existsSync(locate(root, f))).map((f) =>
    `${name}: ${basename(LOCATIONS[f][0])} not found under ${root} (looked for ${LOCATIONS[f].map((l) => `${l}[.gz]`).join(', ')})`);
}

/** The run folder of the official dataset `name` under `root` and the systems whose `SYSTEM.trec` it holds. */
export function officialRuns(root: string, name: OfficialDatasetName): { readonly dir: string; readonly systems: string[] } {
  const dir = runFolder(root, name);
  return { dir, systems: Object.keys(runsIn(dir)) };
}

/** The spec of each official dataset under `root` (absolute paths). */
export function officialLayoutSpecs(root: string): Record<string, DatasetSpec> {
  return Object.fromEntries(Object.entries(DATASETS).map(([name, d]) => {
    const files = Object.fromEntries(Object.entries(d.files).map(([role, f]) => [role, locate(root, f)]));
    const spec: DatasetSpecInput = { format: d.format, ...files, runs: runsIn(runFolder(root, name as OfficialDatasetName)), description: d.description } as DatasetSpecInput;
    return [name, DatasetSpecSchema.parse(spec)];
  }));
}

/** A config's own dataset specs plus, when it names a data root, the official layout under it (the config's names win). */
export function withOfficialLayout(specs: DatasetSpecs, root: string | undefined): DatasetSpecs {
  return root === undefined ? specs : { ...officialLayoutSpecs(root), ...specs };
}
