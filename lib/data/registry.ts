/**
 * The embedded datasets by name: where their files are, how each is read, and their licences.
 * Loaded datasets are cached per process (a collection shared by two datasets is read once).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CandidateLists, Collection, Loaded, LoadReport, Qrels, QuerySet } from './types';
import { dataRoot } from './paths';
import { readJsonlCollection } from './jsonl';
import { readTsvQueries } from './tsv';
import { readTrecQrels } from './trec';
import { readCranfieldQrels, readSmartDocuments, readSmartQueries } from './smart';
import { readDprRetrieverFile } from './dpr';
import { readCacmDocuments } from './cacm';
import { readTrecTopics } from './sgml';
import { checkReferences } from './validate';
import { hashDatasetInputs } from './contentHash';

/** A loaded dataset: passages, queries, judgments when public, and the run files of real systems. */
export interface Dataset {
  readonly name: string;
  readonly collection: Collection;
  readonly queries: QuerySet;
  /** Absent where no judgments exist (dl22). */
  readonly qrels?: Qrels;
  /** System name (file stem's system part, e.g. `BM25`, `SPLADE_P_P_ENSEMBLE_DISTIL`) → run file path. */
  readonly runFiles: Readonly<Record<string, string>>;
  /** Candidate lists that come with the data (DPR files: positives, hard negatives, negatives). */
  readonly candidates?: CandidateLists;
  readonly licence: string;
  /** One report per file read. */
  readonly reports: readonly LoadReport[];
  /** Qrels ids unknown to the queries or the collection (counts), from `checkReferences`. */
  readonly warnings: readonly string[];
  /** Choices made while loading (auto-detected numbering, how a split was drawn): information, not problems. */
  readonly notes: readonly string[];
  /**
   * SHA-256 over the bytes of every file the dataset read (run files included) and its parsing
   * options (a split adds its parameters): put it into step keys so a changed data file recomputes
   * what depends on it.
   */
  readonly contentHash: string;
}

/** Loader options: `strict` makes any skipped line or warning in any file throw. */
export interface LoadDatasetOptions {
  readonly strict?: boolean;
}

const MS_MARCO = 'MS MARCO passages: MS MARCO terms, non-commercial research use only. Qrels/topics: NIST TREC, research use. Run files: Apache-2.0 repositories of their authors (castorini/rank_llm, rank_llm_data).';
const SCIFACT = 'SciFact: CC BY-NC 2.0 (non-commercial research use). Test topics/qrels via castorini/anserini-tools.';
const CLASSIC = 'Classic public IR research collection.';
const NQ = 'Natural Questions: CC BY-SA 3.0; Wikipedia passages: CC BY-SA.';

interface Parts {
  /** Every file read, by role (`documents`, `queries`, `qrels`), for the content hash. */
  files: Record<string, string>;
  collection: Loaded<Collection>;
  queries: Loaded<QuerySet>;
  qrels?: Loaded<Qrels>;
  runsDir?: string;
  candidates?: CandidateLists;
}

interface Definition {
  readonly licence: string;
  readonly description: string;
  load(root: string, opts: LoadDatasetOptions): Promise<Parts>;
}

const fileCache = new Map<string, Promise<unknown>>();

/** Reads a file once per process and options, sharing the promise between callers. */
function cached<T>(key: string, read: () => Promise<T>): Promise<T> {
  let p = fileCache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = read();
    fileCache.set(key, p);
    p.catch(() => fileCache.delete(key));
  }
  return p;
}

function jsonlCollection(path: string, name: string, opts: LoadDatasetOptions): Promise<Loaded<Collection>> {
  return cached(`jsonl:${path}:${opts.strict ?? false}`, () => readJsonlCollection(path, { name, strict: opts.strict }));
}

/** A TREC-DL-style demo folder: passages.jsonl(.gz), queries.tsv, qrels.trec (optional), runs/. */
function trecStyle(folder: string, files_: { passages: string; queries: string; qrels?: string }, name: string, licence: string, description: string): Definition {
  return {
    licence,
    description,
    async load(root, opts) {
      const dir = join(root, folder);
      const [collection, queries, qrels] = await Promise.all([
        jsonlCollection(join(dir, files_.passages), name, opts),
        readTsvQueries(join(dir, files_.queries), { name, strict: opts.strict }),
        files_.qrels ? readTrecQrels(join(dir, files_.qrels), { name, strict: opts.strict ?? true }) : Promise.resolve(undefined),
      ]);
      const files: Record<string, string> = { documents: join(dir, files_.passages), queries: join(dir, files_.queries) };
      if (files_.qrels) files.qrels = join(dir, files_.qrels);
      return { files, collection, queries, qrels, runsDir: join(dir, 'runs') };
    },
  };
}

const DEFINITIONS: Readonly<Record<string, Definition>> = {
  dl19: trecStyle('demo/dl19', { passages: 'passages.jsonl.gz', queries: 'queries.tsv', qrels: 'qrels.trec' }, 'dl19', MS_MARCO, 'TREC DL 2019 passage: 43 judged queries, the 14,581 MS MARCO passages pooled by 6 systems, 8 real run files.'),
  dl20: trecStyle('demo/dl20', { passages: 'passages.jsonl.gz', queries: 'queries.tsv', qrels: 'qrels.trec' }, 'dl20', MS_MARCO, 'TREC DL 2020 passage: 54 judged queries, 14,091 pooled MS MARCO passages, 8 real run files.'),
  dl21: trecStyle('demo/dl21', { passages: 'passages.jsonl.gz', queries: 'queries.tsv', qrels: 'qrels.trec' }, 'dl21', MS_MARCO, 'TREC DL 2021 passage (MS MARCO v2 ids): 53 queries, 10,553 passages, BM25/BM25+RM3/SPLADE++ runs.'),
  dl22: trecStyle('demo/dl22', { passages: 'passages.jsonl.gz', queries: 'queries.tsv' }, 'dl22', MS_MARCO, 'TREC DL 2022 passage (MS MARCO v2 ids): 76 queries, no qrels (distillation only), 16,660 passages, 3 runs.'),
  'scifact-train': trecStyle('demo/scifact', { passages: 'corpus.jsonl.gz', queries: 'queries.train.tsv', qrels: 'qrels.train.trec' }, 'scifact-train', SCIFACT, 'SciFact train claims (809) over the 5,183-abstract corpus.'),
  'scifact-test': trecStyle('demo/scifact', { passages: 'corpus.jsonl.gz', queries: 'queries.test.tsv', qrels: 'qrels.test.trec' }, 'scifact-test', SCIFACT, 'SciFact test claims (300, BEIR test split) over the same corpus.'),
  'dl19-mini': trecStyle('fixtures/dl19-mini', { passages: 'passages.jsonl', queries: 'queries.tsv', qrels: 'qrels.trec' }, 'dl19-mini', MS_MARCO, 'Deterministic 5-query slice of dl19 with 4 runs, for tests.'),
  'scifact-mini': trecStyle('fixtures/scifact-mini', { passages: 'corpus.jsonl', queries: 'queries.tsv', qrels: 'qrels.trec' }, 'scifact-mini', SCIFACT, 'Deterministic 10-query, 150-abstract slice of SciFact, for tests.'),
  cranfield: {
    licence: CLASSIC,
    description: 'Cranfield: 1,400 aeronautics abstracts (2 empty ones skipped), 225 queries (numbered 1..225 as cranqrel does), graded qrels.',
    async load(root, opts) {
      const dir = join(root, 'fixtures/cranfield');
      const [collection, queries, qrels] = await Promise.all([
        readSmartDocuments(join(dir, 'cran.all.1400'), { name: 'cranfield', strict: opts.strict }),
        readSmartQueries(join(dir, 'cran.qry'), { name: 'cranfield', ids: 'sequential', strict: opts.strict }),
        readCranfieldQrels(join(dir, 'cranqrel'), { name: 'cranfield', strict: opts.strict }),
      ]);
      return { files: { documents: join(dir, 'cran.all.1400'), queries: join(dir, 'cran.qry'), qrels: join(dir, 'cranqrel') }, collection, queries, qrels };
    },
  },
  cacm: {
    licence: CLASSIC,
    description: 'CACM: 3,204 article records (title, abstract when present), 64 topics, binary qrels (anserini).',
    async load(root, opts) {
      const dir = join(root, 'fixtures/cacm');
      const [collection, queries, qrels] = await Promise.all([
        readCacmDocuments(join(dir, 'cacm.tar.gz'), { name: 'cacm', strict: opts.strict }),
        readTrecTopics(join(dir, 'topics.cacm.txt'), { name: 'cacm', strict: opts.strict }),
        readTrecQrels(join(dir, 'qrels.cacm.txt'), { name: 'cacm', strict: opts.strict ?? true }),
      ]);
      return { files: { documents: join(dir, 'cacm.tar.gz'), queries: join(dir, 'topics.cacm.txt'), qrels: join(dir, 'qrels.cacm.txt') }, collection, queries, qrels };
    },
  },
  'nq-mini': {
    licence: NQ,
    description: 'Three NQ-dev records in DPR retriever format (positives, hard negatives, negatives).',
    async load(root, opts) {
      const path = join(root, 'fixtures/dpr-nq-mini/nq-dev.mini.jsonl');
      const dpr = await readDprRetrieverFile(path, { name: 'nq-mini', strict: opts.strict });
      const { report } = dpr;
      return {
        files: { retriever: path },
        collection: { value: dpr.value.collection, report },
        queries: { value: dpr.value.queries, report },
        qrels: { value: dpr.value.qrels, report },
        candidates: dpr.value.candidates,
      };
    },
  },
};

/** The system part of a run file's name: `RankGPT-gpt-3.5-turbo.bm25top100.dl19.trec` → `RankGPT-gpt-3.5-turbo`. */
export function runSystemName(fileName: string): string {
  let stem = fileName.replace(/\.(trec|txt|run)$/, '');
  for (;;) {
    const m = /^(.+)\.(dl\d\d|bm25top\d+|top\d+)$/.exec(stem);
    if (!m) return stem;
    stem = m[1];
  }
}

function runFilesIn(dir: string | undefined): Record<string, string> {
  if (dir === undefined) return {};
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const n of names.filter((f) => /\.(trec|txt|run)$/.test(f)).sort()) {
    const system = runSystemName(n);
    if (out[system] !== undefined) throw new Error(`${dir}: two run files for system ${system}`);
    out[system] = join(dir, n);
  }
  return out;
}

/** Whether `name` is an embedded dataset (an own key: `constructor` and `__proto__` are not). */
export function isEmbeddedDataset(name: string): boolean {
  return Object.hasOwn(DEFINITIONS, name);
}

/** Names of the embedded datasets, with a one-line description and licence each. */
export function listDatasets(): Array<{ name: string; description: string; licence: string }> {
  return Object.entries(DEFINITIONS).map(([name, d]) => ({ name, description: d.description, licence: d.licence }));
}

const datasetCache = new Map<string, Promise<Dataset>>();

/** Loads an embedded dataset by name from `dataRoot()` (cached per process, data root and options). */
export function loadDataset(name: string, opts: LoadDatasetOptions = {}): Promise<Dataset> {
  const def = isEmbeddedDataset(name) ? DEFINITIONS[name] : undefined;
  if (!def) return Promise.reject(new Error(`unknown dataset "${name}"; known: ${Object.keys(DEFINITIONS).join(', ')}`));
  const root = dataRoot();
  const key = `${root}\u0000${name}\u0000${opts.strict ?? false}`;
  let p = datasetCache.get(key);
  if (!p) {
    p = (async (): Promise<Dataset> => {
      const parts = await def.load(root, opts);
      const reports = [...new Set([parts.collection.report, parts.queries.report, ...(parts.qrels ? [parts.qrels.report] : [])])];
      // Never strict: pooled demo collections hold only the passages some run retrieved, so qrels may judge others.
      const warnings = parts.qrels ? [...checkReferences(parts.qrels.value, parts.queries.value, parts.collection.value).warnings] : [];
      const runFiles = runFilesIn(parts.runsDir);
      const contentHash = await hashDatasetInputs(
        { ...parts.files, ...Object.fromEntries(Object.entries(runFiles).map(([s, p]) => [`run:${s}`, p])) },
        { embedded: name },
      );
      return {
        name,
        collection: parts.collection.value,
        queries: parts.queries.value,
        ...(parts.qrels ? { qrels: parts.qrels.value } : {}),
        runFiles,
        ...(parts.candidates ? { candidates: parts.candidates } : {}),
        licence: def.licence,
        reports,
        warnings,
        notes: [],
        contentHash,
      };
    })();
    datasetCache.set(key, p);
    p.catch(() => datasetCache.delete(key));
  }
  return p;
}
