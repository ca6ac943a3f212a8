/**
 * TREC qrels and run files (trec_eval's formats): strict, line-numbered readers and atomic writers.
 * Runs keep entries in file order; the evaluator decides the ranking (score or rank column), and
 * the reader reports where the file's rank column disagrees with trec_eval's score order.
 */
import { basename } from 'node:path';
import { readLines, writeFileAtomic } from '../io';
import type { DocId, Loaded, LoadReport, QueryId, Qrels, Run, RunEntry } from './types';
import { compareTrecDocIds } from '../eval/order';
import { JudgmentTable, LoadReporter } from './validate';
import { RunColumns } from './runColumns';
import { readIndexedTrecRun } from './runIndex';

/** Reader options: `strict` (default true) throws on the first bad line; otherwise it is skipped and reported. */
export interface TrecReadOptions {
  readonly strict?: boolean;
  /** Name given to the loaded value (default: the file name without `.trec`/`.txt`/`.gz`). */
  readonly name?: string;
  /**
   * The canonical string of a doc id (e.g. the collection's own key), so a held run's millions of
   * entries share the collection's id strings instead of holding one parsed copy each. A run left
   * on disk (`onDisk`) hands out parsed ids: it keeps no entry to share them.
   */
  readonly internDocId?: (docId: DocId) => DocId;
}

/** A run's load report, with how its rank column relates to trec_eval's (score desc, docid desc) order. */
export interface RunLoadReport extends LoadReport {
  /** Queries where tied scores are ordered differently by the rank column than by trec_eval's tie-break. */
  readonly tiedQueries: number;
  /** Queries where the rank column contradicts the scores themselves (a higher rank with a lower score). */
  readonly rankInversions: number;
}

const WS = /\s+/;

/** A value's default name: the file name without its TREC-ish extensions (run tags are often just 'rank'). */
export function defaultName(path: string): string {
  return basename(path).replace(/\.gz$/, '').replace(/\.(trec|txt|run|qrels)$/, '');
}

function splitFields(text: string): string[] {
  const t = text.trim();
  return t.length === 0 ? [] : t.split(WS);
}

/** Reads a TREC qrels file `qid iter docid grade` (iter ignored, like trec_eval); integer grades; a repeated (qid, docid) is an error. */
export async function readTrecQrels(path: string, opts: TrecReadOptions = {}): Promise<Loaded<Qrels>> {
  const problems = new LoadReporter(path, opts.strict ?? true);
  const table = new JudgmentTable();
  for await (const { line, text } of readLines(path)) {
    const f = splitFields(text);
    if (f.length === 0) continue;
    if (f.length !== 4) { problems.skip(line, `expected 4 fields 'qid iter docid grade', got ${f.length}`); continue; }
    // The second field (iteration: '0', 'Q0', TREC-COVID's round '0.5') is ignored, as trec_eval does.
    const [qid, , docId, gradeText] = f as [string, string, string, string];
    const grade = Number(gradeText);
    if (!/^[+-]?\d+$/.test(gradeText) || !Number.isSafeInteger(grade)) {
      problems.skip(line, `relevance grade must be an integer, got '${gradeText}'`);
      continue;
    }
    const prev = table.add(qid, docId, grade, line);
    if (prev !== undefined) problems.skip(line, `duplicate judgment for query ${qid}, document ${docId} (first at line ${prev})`);
  }
  // An empty qrels or run file is legitimate (a system that retrieved nothing), so no 'no records' warning.
  return { value: { name: opts.name ?? defaultName(path), judgments: table.judgments }, report: problems.finish(table.records, { emptyOk: true }) };
}

/** A run line's entry, or why the line is not one (undefined: a blank line). */
export function parseRunLine(text: string): { qid: QueryId; docId: DocId; rank: number; score: number } | { error: string } | undefined {
  const f = splitFields(text);
  if (f.length === 0) return undefined;
  if (f.length !== 6) return { error: `expected 6 fields 'qid Q0 docid rank score tag', got ${f.length}` };
  const [qid, , docId, rankText, scoreText] = f as [string, string, string, string, string, string];
  const rank = Number(rankText);
  if (!Number.isSafeInteger(rank)) return { error: `rank must be an integer, got '${rankText}'` };
  const score = Number(scoreText);
  if (Number.isNaN(score)) return { error: `score must be a number, got '${scoreText}'` };
  return { qid, docId, rank, score };
}

/**
 * Reads a TREC run `qid Q0 docid rank score tag`, keeping file order; a repeated (qid, docid) is an
 * error. With `onDisk` (plain files; a gzipped one is held as usual) the entries stay in the file
 * and each query's are read back when asked for (runIndex.ts): what a split keeps of a run is then
 * its byte ranges, not its entries.
 */
export async function readTrecRun(path: string, opts: TrecReadOptions & { readonly onDisk?: boolean } = {}): Promise<Loaded<Run> & { report: RunLoadReport }> {
  if (opts.onDisk && !path.endsWith('.gz')) return readIndexedTrecRun(path, opts);
  const problems = new LoadReporter(path, opts.strict ?? true);
  const byQuery = new RunColumns();
  // Duplicate check of the query being read: a run lists each query's entries together, so one
  // small Map at a time instead of one per query held to the end (60 B per entry of MS MARCO's 50M).
  let current: { qid: QueryId; lines: Map<DocId, number> } | undefined;
  let records = 0;
  for await (const { line, text } of readLines(path)) {
    const r = parseRunLine(text);
    if (r === undefined) continue;
    if ('error' in r) { problems.skip(line, r.error); continue; }
    const { qid, docId: rawDocId, rank, score } = r;
    if (current?.qid !== qid) {
      // A query met again further down: its earlier entries come back without their line numbers.
      current = { qid, lines: new Map((byQuery.docIdsOf(qid) ?? []).map((d) => [d, 0])) };
    }
    const prev = current.lines.get(rawDocId);
    if (prev !== undefined) { problems.skip(line, duplicateReason(rawDocId, qid, prev)); continue; }
    current.lines.set(rawDocId, line);
    byQuery.push(qid, opts.internDocId ? opts.internDocId(rawDocId) : rawDocId, score, rank);
    records += 1;
  }
  byQuery.compact();
  return finishRun(path, opts, problems, records, { name: opts.name ?? defaultName(path), byQuery }, rankColumnDisagreements(byQuery));
}

/** The skip reason of a repeated (query, document) whose first line was `prev` (0: earlier, unnumbered). */
export function duplicateReason(docId: DocId, qid: QueryId, prev: number): string {
  return `duplicate document ${docId} for query ${qid} (first ${prev > 0 ? `at line ${prev}` : 'earlier in the file'})`;
}

/** The loaded run and its report, with the notes on its rank column. */
export function finishRun(path: string, opts: TrecReadOptions, problems: LoadReporter, records: number, run: Run, d: { tiedQueries: number; rankInversions: number }): Loaded<Run> & { report: RunLoadReport } {
  const { tiedQueries, rankInversions } = d;
  if (tiedQueries) problems.note(`${tiedQueries} quer${tiedQueries === 1 ? 'y has' : 'ies have'} tied scores that the rank column orders differently than trec_eval (score desc, then docid desc)`);
  if (rankInversions) problems.note(`${rankInversions} quer${rankInversions === 1 ? 'y has' : 'ies have'} a rank column that contradicts the scores`);
  return { value: run, report: { ...problems.finish(records, { emptyOk: true }), tiedQueries, rankInversions } };
}

/** Counts queries whose rank column orders tied scores differently from trec_eval, and those whose ranks contradict scores. */
export function rankColumnDisagreements(byQuery: ReadonlyMap<QueryId, readonly RunEntry[]>): { tiedQueries: number; rankInversions: number } {
  let tiedQueries = 0;
  let rankInversions = 0;
  for (const entries of byQuery.values()) {
    const byRank = entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.rank - b.e.rank || a.i - b.i).map((x) => x.e);
    let tieConflict = false;
    let inversion = false;
    for (let i = 1; i < byRank.length; i++) {
      const a = byRank[i - 1]!;
      const b = byRank[i]!;
      if (a.score < b.score) inversion = true;
      else if (a.score === b.score && compareTrecDocIds(a.docId, b.docId) < 0) tieConflict = true; // trec_eval puts the larger docid first
    }
    if (tieConflict) tiedQueries += 1;
    if (inversion) rankInversions += 1;
  }
  return { tiedQueries, rankInversions };
}

/** Writes a run atomically as `qid Q0 docid rank score tag`, each query ranked 1..n by score (trec_eval order). */
export async function writeTrecRun(path: string, run: Run, tag: string): Promise<void> {
  if (!/^\S+$/.test(tag)) throw new Error(`run tag must be one non-empty token without whitespace, got '${tag}'`);
  const out: string[] = [];
  for (const [qid, entries] of run.byQuery) {
    const sorted = [...entries].sort((a, b) => b.score - a.score || compareTrecDocIds(b.docId, a.docId));
    sorted.forEach((e, i) => out.push(`${qid} Q0 ${e.docId} ${i + 1} ${formatScore(e.score)} ${tag}`));
  }
  await writeFileAtomic(path, out.length ? out.join('\n') + '\n' : '');
}

/** Writes qrels atomically as `qid 0 docid grade`, in the map's order. */
export async function writeTrecQrels(path: string, qrels: Qrels): Promise<void> {
  const out: string[] = [];
  for (const [qid, docs] of qrels.judgments) {
    for (const [docId, grade] of docs) {
      if (!Number.isInteger(grade)) throw new Error(`qrels grade must be an integer: query ${qid}, document ${docId}, grade ${grade}`);
      out.push(`${qid} 0 ${docId} ${grade}`);
    }
  }
  await writeFileAtomic(path, out.length ? out.join('\n') + '\n' : '');
}

/** Shortest text that parses back to the same double, so a written run re-evaluates identically. */
function formatScore(score: number): string {
  return String(score);
}
