/**
 * The data an experiment runs on: a training split (queries, judgments, passages, candidate lists
 * and the teacher/assistant runs) and test splits, assembled from registry datasets and the
 * config's own. Several datasets may form one split (e.g. dl20 + dl21 + dl22 for distillation); a
 * model without a run on one of them simply has no scores there (NaN, filled by the missing-score
 * policy).
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { candidateListOf, checkCandidateDepth, datasetResolver, loadProblems, readTrecRun, type DatasetResolver } from '../data';
import { specFilePaths, type DatasetSpecs } from '../config/dataset';
import type { CandidateLists, Collection, DocId, Passage, Qrels, Query, QueryId, QuerySet, Run, RunEntry } from '../data/types';
import type { MethodConfig, ModelRef } from '../config';
import { runSystemOf } from '../config/model';
import { dataRoot } from '../data/paths';
import { ChunkedMap } from '../data/chunkedMap';
import { CandidateListsBuilder, candidatesHeldMax } from '../data/storedCandidates';
import { RunColumns } from '../data/runColumns';
import { bm25Run, bm25RunNameOf, DEFAULT_BM25_FAMILY, DEFAULT_BM25_RUN_DEPTH, isBm25RunName } from './bm25Runs';

/** One split: the union of the named datasets. */
export interface Split {
  readonly name: string;
  readonly datasets: readonly string[];
  readonly queries: QuerySet;
  /** Union of the datasets' judgments; absent when none of them has any. */
  readonly qrels?: Qrels;
  readonly collection: Collection;
  /** Run files by system name, merged over the datasets that have them. */
  readonly runs: ReadonlyMap<string, Run>;
  /** Candidate passages per query: union of the top-`depth` of the candidate runs. */
  readonly candidates: CandidateLists;
  readonly licences: readonly string[];
  /** Problems found while loading, counted, never silently dropped. */
  readonly warnings: readonly string[];
  /**
   * SHA-256 of everything the split holds (queries, passages, judgments, runs, candidates): step
   * keys include it, so a changed data or run file recomputes exactly the steps that read it.
   */
  readonly contentHash: string;
}

/** Hash of a split's content, fed in a fixed order (ids sorted) so equal content hashes equally. */
function splitContentHash(queries: ReadonlyMap<QueryId, Query>, passages: ReadonlyMap<DocId, Passage>, judgments: ReadonlyMap<QueryId, ReadonlyMap<DocId, number>>, runs: ReadonlyMap<string, Run>, candidates: ReadonlyMap<QueryId, readonly DocId[]>): string {
  const h = createHash('sha256');
  // A generator, not an array of pairs: 21M passages would make 21M small arrays.
  function* sorted<T>(m: ReadonlyMap<string, T>): Generator<readonly [string, T]> {
    for (const k of [...m.keys()].sort()) yield [k, m.get(k)!];
  }
  for (const [id, q] of sorted(queries)) h.update(`q\u0000${id}\u0000${q.text}\u0000`);
  for (const [id, p] of sorted(passages)) h.update(`p\u0000${id}\u0000${p.title ?? ''}\u0000${p.text}\u0000`);
  for (const [q, m] of sorted(judgments)) for (const [d, g] of sorted(m)) h.update(`j\u0000${q}\u0000${d}\u0000${g}\u0000`);
  for (const [name, run] of sorted(runs)) {
    for (const [q, entries] of sorted(run.byQuery)) for (const e of entries) h.update(`r\u0000${name}\u0000${q}\u0000${e.docId}\u0000${e.score}\u0000${e.rank}\u0000`);
  }
  for (const [q, list] of sorted(candidates)) h.update(`c\u0000${q}\u0000${list.join('\u0001')}\u0000`);
  return h.digest('hex');
}

/**
 * Systems whose runs provide candidates: the configured list, else the runs of the teacher and
 * assistants (a run file, or for a `bm25` scorer the BM25-family run with its parameters). Empty
 * when every model is a model folder: the caller then takes every run the data has.
 */
export function candidateSystems(config: MethodConfig): string[] {
  if (config.data.candidates.runs) return config.data.candidates.runs;
  const refs: ModelRef[] = [config.teacher, ...config.assistants];
  return [...new Set(refs.flatMap((r) => runSystemOf(r) ?? (r.kind === 'bm25' ? bm25RunNameOf(r) : undefined) ?? []))];
}

const splitCache = new Map<string, Promise<Split>>();

/**
 * Loads (once per process and data state) the split made of `datasets`, with candidates from
 * `systems` runs ('all': every bundled run). `specs` are the config's own datasets (absolute paths).
 */
export function loadSplit(datasets: readonly string[], systems: readonly string[] | 'all', depth: number, specs: DatasetSpecs = {}): Promise<Split> {
  // The data root and the size and mtime of every file the specs name are part of the key: a
  // process that points MTA4DPR_DATA elsewhere, or whose user edited a file, reads the data again.
  const files = specFileStates(specs);
  // The spill threshold too: it changes how the lists are held (never their content).
  const key = JSON.stringify([dataRoot(), datasets, systems, depth, specs, files, candidatesHeldMax()]);
  let p = splitCache.get(key);
  if (!p) {
    p = assembleSplit(datasets, systems, depth, resolverFor(specs, files));
    p.catch(() => splitCache.delete(key));
    splitCache.set(key, p);
  }
  return p;
}

/** Path, size and mtime of each file a spec names (a folder: its files, two levels deep); absent files read as missing. */
function specFileStates(specs: DatasetSpecs): string[] {
  const states: string[] = [];
  const visit = (path: string, depth: number): void => {
    let st;
    try { st = statSync(path); } catch { states.push(`${path}:missing`); return; }
    if (!st.isDirectory()) { states.push(`${path}:${st.size}:${st.mtimeMs}`); return; }
    if (depth === 0) return;
    for (const entry of readdirSync(path).sort()) visit(join(path, entry), depth - 1);
  };
  // Folders (a BEIR dir) two levels deep: corpus, queries and qrels/NAME.tsv.
  for (const spec of Object.values(specs)) for (const path of specFilePaths(spec)) visit(path, 2);
  return states;
}

const resolvers = new Map<string, DatasetResolver>();

/** One resolver (it caches what it read) per data root, set of dataset specs and state of their files. */
function resolverFor(specs: DatasetSpecs, files: readonly string[]): DatasetResolver {
  // The registry's datasets live under the data root, which a test or a user may move; spec paths
  // are absolute (lib/config/load.ts resolves them against the config's folder).
  const key = JSON.stringify([dataRoot(), specs, files]);
  let r = resolvers.get(key);
  if (!r) {
    r = datasetResolver(specs, process.cwd());
    resolvers.set(key, r);
  }
  return r;
}

/** One system's runs of several datasets as one (a query in two datasets: the later one's entries). */
function mergeRunParts(parts: ReadonlyArray<Run['byQuery']>): Run['byQuery'] {
  const merged = new RunColumns();
  for (const part of parts) for (const [q, e] of part) merged.set(q, e);
  return merged;
}

async function assembleSplit(datasets: readonly string[], wanted: readonly string[] | 'all', depth: number, resolver: DatasetResolver): Promise<Split> {
  const queries = new Map<QueryId, Query>();
  // One dataset's collection is used as it is: a copy of 21M passages would double the index.
  let passages: ReadonlyMap<DocId, Passage> | undefined;
  let merged: ChunkedMap<DocId, Passage> | undefined;
  const judgments = new Map<QueryId, ReadonlyMap<DocId, number>>();
  // Each system's runs, one per dataset that has it (merged only when there are several).
  const runParts = new Map<string, Array<Run['byQuery']>>();
  const addRun = (system: string, byQuery: Run['byQuery']) => runParts.set(system, [...(runParts.get(system) ?? []), byQuery]);
  const licences = new Set<string>();
  const warnings: string[] = [];
  let anyQrels = false;
  for (const name of datasets) {
    const d = await resolver.load(name);
    licences.add(d.licence);
    warnings.push(...d.warnings.map((w) => `${name}: ${w}`));
    // Records the readers skipped or flagged: counted here, listed one by one by `mta4dpr data check`.
    const problems = loadProblems(d.reports);
    if (problems.skipped + problems.suspicious + problems.warnings > 0) {
      warnings.push(`${name}: ${problems.skipped} skipped and ${problems.suspicious} suspicious records, ${problems.warnings} reader warnings (first: ${problems.lines[0]}); \`mta4dpr data check\` lists them all`);
    }
    for (const [id, q] of d.queries.queries) {
      if (queries.has(id)) throw new Error(`split ${datasets.join('+')}: query id ${id} occurs in two datasets`);
      queries.set(id, q);
    }
    if (!passages) passages = d.collection.passages;
    else {
      // The resolver caches each dataset's own Map: merge into a copy, never into it.
      merged ??= new ChunkedMap(passages);
      for (const [id, p] of d.collection.passages) merged.set(id, p);
      passages = merged;
    }
    if (d.qrels) {
      anyQrels = true;
      for (const [q, m] of d.qrels.judgments) judgments.set(q, m);
    }
    const ids = d.collection.passages;
    for (const [system, path] of Object.entries(d.runFiles)) {
      // Left in the file, each query's entries read back when asked for: MS MARCO's training runs held would take ~9 GB.
      addRun(system, (await readTrecRun(path, { name: system, internDocId: (docId) => ids.get(docId)?.id ?? docId, onDisk: true })).value.byQuery);
    }
    // Generated runs (bm25Runs.ts): the `bm25:` names asked for, or, where a dataset bundles no
    // run at all and 'all' is asked for, the default BM25 family.
    const generated = wanted === 'all'
      ? (Object.keys(d.runFiles).length === 0 ? DEFAULT_BM25_FAMILY : [])
      : wanted.filter((s) => isBm25RunName(s) && d.runFiles[s] === undefined);
    for (const system of generated) {
      const { run, notes } = await bm25Run(d, system, { k: Math.max(depth, DEFAULT_BM25_RUN_DEPTH) });
      warnings.push(...notes);
      addRun(system, run.byQuery);
    }
  }
  const name = datasets.join('+');
  const collection = passages ?? new Map<DocId, Passage>();
  const runs = new Map<string, Run>([...runParts].map(([s, parts]) => [s, { name: s, byQuery: parts.length === 1 ? parts[0] : mergeRunParts(parts) }]));
  const systems = wanted === 'all' ? [...runs.keys()] : wanted;
  const missing = systems.filter((s) => !runs.has(s));
  if (missing.length > 0) {
    throw new Error(`split ${name}: no run for ${missing.join(', ')} (available: ${[...runs.keys()].join(', ')})`);
  }
  checkCandidateDepth(depth);
  const candidateRuns = systems.map((s) => runs.get(s)!);
  // A candidate without passage text cannot be encoded: count and drop it, per query. Built query
  // by query into lists that move to a spill file past a size (lib/data/storedCandidates.ts).
  let noText = 0;
  const lists = new CandidateListsBuilder();
  for (const q of queries.keys()) {
    const list = candidateListOf(candidateRuns, q, depth);
    // The collection's own id string: the kept lists share it rather than holding ids parsed from a run.
    const kept: DocId[] = [];
    for (const d of list) {
      const p = collection.get(d);
      if (p) kept.push(p.id);
    }
    noText += list.length - kept.length;
    if (kept.length > 0) lists.add(q, kept);
  }
  const byQuery = lists.finish();
  if (noText > 0) warnings.push(`${name}: ${noText} candidate passages have no text and were left out`);
  return {
    name, datasets, queries: { name, queries }, qrels: anyQrels ? { name, judgments } : undefined,
    collection: { name, passages: collection }, runs, candidates: { byQuery }, licences: [...licences], warnings,
    contentHash: splitContentHash(queries, collection, judgments, runs, byQuery),
  };
}

/** Queries with at least one judgment of grade ≥ relLevel (the ones measures are defined on). */
export function labelledQueries(split: Split, relLevel: number): QueryId[] {
  if (!split.qrels) return [];
  return [...split.candidates.byQuery.keys()].filter((q) => {
    const j = split.qrels!.judgments.get(q);
    return j !== undefined && [...j.values()].some((g) => g >= relLevel);
  });
}
