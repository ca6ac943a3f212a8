/**
 * The data an experiment runs on: a training split (queries, judgments, passages, candidate lists
 * and the teacher/assistant runs) and test splits, assembled from registry datasets. Several
 * datasets may form one split (e.g. dl20 + dl21 + dl22 for distillation); a model without a run on
 * one of them simply has no scores there (NaN, filled by the missing-score policy).
 */
import { candidatesFromRuns, loadDataset, readTrecRun } from '../data';
import type { CandidateLists, Collection, DocId, Passage, Qrels, Query, QueryId, QuerySet, Run, RunEntry } from '../data/types';
import { runSystemOf } from '../config/model';
import type { MethodConfig, ModelRef } from './config';
import { bm25Run, DEFAULT_BM25_FAMILY, DEFAULT_BM25_RUN_DEPTH, isBm25RunName } from './bm25Runs';

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
}

/** Systems whose runs provide candidates: the configured list, else teacher + run-backed assistants. */
export function candidateSystems(config: MethodConfig): string[] {
  if (config.data.candidates.runs) return config.data.candidates.runs;
  const refs: ModelRef[] = [config.teacher, ...config.assistants];
  return [...new Set(refs.flatMap((r) => runSystemOf(r) ?? []))];
}

const splitCache = new Map<string, Promise<Split>>();

/** Loads (once per process) the split made of `datasets`, with candidates from `systems` runs ('all': every bundled run). */
export function loadSplit(datasets: readonly string[], systems: readonly string[] | 'all', depth: number): Promise<Split> {
  const key = JSON.stringify([datasets, systems, depth]);
  let p = splitCache.get(key);
  if (!p) {
    p = assembleSplit(datasets, systems, depth);
    p.catch(() => splitCache.delete(key));
    splitCache.set(key, p);
  }
  return p;
}

async function assembleSplit(datasets: readonly string[], wanted: readonly string[] | 'all', depth: number): Promise<Split> {
  const queries = new Map<QueryId, Query>();
  const passages = new Map<DocId, Passage>();
  const judgments = new Map<QueryId, ReadonlyMap<DocId, number>>();
  const runEntries = new Map<string, Map<QueryId, readonly RunEntry[]>>();
  const licences = new Set<string>();
  const warnings: string[] = [];
  let anyQrels = false;
  for (const name of datasets) {
    const d = await loadDataset(name);
    licences.add(d.licence);
    warnings.push(...d.warnings.map((w) => `${name}: ${w}`));
    for (const [id, q] of d.queries.queries) {
      if (queries.has(id)) throw new Error(`split ${datasets.join('+')}: query id ${id} occurs in two datasets`);
      queries.set(id, q);
    }
    for (const [id, p] of d.collection.passages) passages.set(id, p);
    if (d.qrels) {
      anyQrels = true;
      for (const [q, m] of d.qrels.judgments) judgments.set(q, m);
    }
    for (const [system, path] of Object.entries(d.runFiles)) {
      const run = (await readTrecRun(path, { name: system })).value;
      const into = runEntries.get(system) ?? new Map<QueryId, readonly RunEntry[]>();
      for (const [q, e] of run.byQuery) into.set(q, e);
      runEntries.set(system, into);
    }
    // Generated runs (bm25Runs.ts): the `bm25:` names asked for, or, where a dataset bundles no
    // run at all and 'all' is asked for, the default BM25 family.
    const generated = wanted === 'all'
      ? (Object.keys(d.runFiles).length === 0 ? DEFAULT_BM25_FAMILY : [])
      : wanted.filter((s) => isBm25RunName(s) && d.runFiles[s] === undefined);
    for (const system of generated) {
      const { run, notes } = await bm25Run(d, system, { k: Math.max(depth, DEFAULT_BM25_RUN_DEPTH) });
      warnings.push(...notes);
      const into = runEntries.get(system) ?? new Map<QueryId, readonly RunEntry[]>();
      for (const [q, e] of run.byQuery) into.set(q, e);
      runEntries.set(system, into);
    }
  }
  const name = datasets.join('+');
  const runs = new Map<string, Run>([...runEntries].map(([s, byQuery]) => [s, { name: s, byQuery }]));
  const systems = wanted === 'all' ? [...runs.keys()] : wanted;
  const missing = systems.filter((s) => !runs.has(s));
  if (missing.length > 0) {
    throw new Error(`split ${name}: no run for ${missing.join(', ')} (available: ${[...runs.keys()].join(', ')})`);
  }
  const all = candidatesFromRuns(systems.map((s) => runs.get(s)!), { depth, queries: queries.keys() });
  // A candidate without passage text cannot be encoded: count and drop it, per query.
  let noText = 0;
  const byQuery = new Map<QueryId, readonly DocId[]>();
  for (const [q, list] of all.byQuery) {
    const kept = list.filter((d) => passages.has(d));
    noText += list.length - kept.length;
    if (kept.length > 0) byQuery.set(q, kept);
  }
  if (noText > 0) warnings.push(`${name}: ${noText} candidate passages have no text and were left out`);
  return {
    name, datasets, queries: { name, queries }, qrels: anyQrels ? { name, judgments } : undefined,
    collection: { name, passages }, runs, candidates: { byQuery }, licences: [...licences], warnings,
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
