/**
 * The assistants report behind `mta4dpr assistants`: for a configured teacher and assistants on a
 * dataset, each model's retrieval quality over the candidates, its mean distance to the teacher
 * (KL, footrule, RBO), the fused assistant's, and whether fusion is closer than the assistants'
 * average and than the best assistant.
 */
import type { Qrels, QueryId, Run, RunEntry } from '../data/types';
import { evaluate } from '../eval';
import { missingCounts } from './scoreTable';
import { distanceToTeacher, selectAssistant } from './selection';
import { FUSED, queryDistributions, runFromTable, type ViewOptions } from './tableView';
import type { ScoreTable } from './types';

const MEASURES = ['nDCG@10', 'RR(rel=2)@10'] as const;
const DISTANCES = ['kl', 'footrule', 'rbo'] as const;
type Distance = (typeof DISTANCES)[number];

/** One row of the report: a model's quality and its mean distances to the teacher. */
export interface ModelReportRow {
  readonly name: string;
  readonly role: 'teacher' | 'assistant' | 'fused';
  readonly quality: Record<string, number>;
  /** Mean over queries; RBO is a similarity (higher = closer). Undefined for the teacher. */
  readonly distance?: Record<Distance, number>;
}

/** The whole report (also the `--json` output). */
export interface AssistantsReport {
  readonly dataset: string;
  readonly queries: number;
  readonly queriesWithoutCandidates: QueryId[];
  /** Queries left out of the distances because fewer than two candidates remained (drop policy). */
  readonly queriesTooFewCandidates: QueryId[];
  readonly candidatesPerQuery: number;
  readonly missing: Record<string, { missing: number; pairs: number }>;
  readonly rows: ModelReportRow[];
  readonly assistantsAverage: Record<Distance, number>;
  readonly bestAssistant: Record<Distance, string>;
  readonly fusedCloserThanAverage: Record<Distance, boolean>;
  readonly fusedCloserThanBest: Record<Distance, boolean>;
  /** Per-query KL selection (batches of one query): how often each candidate is chosen. */
  readonly perQueryKlChoice: Record<string, number>;
}

/** What the report is computed from: a raw score table of the teacher and assistants on one dataset. */
export interface AssistantsReportInput {
  readonly dataset: string;
  /** Raw scores (NaN = missing) with one teacher column and the assistants' columns. */
  readonly table: ScoreTable;
  readonly qrels?: Qrels;
  readonly teacher: string;
  readonly assistants: readonly string[];
  readonly view: ViewOptions;
  readonly rboP: number;
  /** Queries left out before scoring because they had fewer than two candidates. */
  readonly queriesWithoutCandidates: readonly QueryId[];
}

function fusedRun(table: ScoreTable, view: ViewOptions): Run {
  const byQuery = new Map<QueryId, RunEntry[]>();
  for (const qid of table.byQuery.keys()) {
    const d = queryDistributions(table, qid, view);
    const f = d.candidates[FUSED];
    byQuery.set(qid, d.docIds.map((docId, j) => ({ docId, score: f[j], rank: 0 })));
  }
  return { name: FUSED, byQuery };
}

/** Computes the report from a raw score table (the pipeline builds it from the experiment config). */
export function assistantsReport(input: AssistantsReportInput): AssistantsReport & { table: ScoreTable } {
  const { table, view } = input;
  const queriesWithoutCandidates = [...input.queriesWithoutCandidates];
  const names = [...input.assistants, FUSED];
  const sums: Record<string, Record<Distance, number>> = Object.fromEntries(names.map((n) => [n, { kl: 0, footrule: 0, rbo: 0 }]));
  const perQueryKlChoice: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const queriesTooFewCandidates: QueryId[] = [];
  for (const qid of table.byQuery.keys()) {
    const d = queryDistributions(table, qid, view);
    // With the 'drop' policy a query may keep fewer than two pairs every model scored: no ranking to compare.
    if (d.docIds.length < 2) { queriesTooFewCandidates.push(qid); continue; }
    for (const n of names) for (const m of DISTANCES) sums[n][m] += distanceToTeacher(d.teacher, d.candidates[n], m, input.rboP);
    perQueryKlChoice[selectAssistant([d], { measure: 'kl' }).chosen] += 1;
  }
  const nq = table.byQuery.size - queriesTooFewCandidates.length;
  if (nq === 0) throw new RangeError('assistants report: no query has two candidates that every model scored');
  const mean = (n: string) => Object.fromEntries(DISTANCES.map((m) => [m, sums[n][m] / nq])) as Record<Distance, number>;
  const qrels = input.qrels;
  const quality = (run: Run) => (qrels ? evaluate(qrels, run, MEASURES, { relLevel: 1 }).mean : {});
  const rows: ModelReportRow[] = [
    { name: input.teacher, role: 'teacher', quality: quality(runFromTable(table, input.teacher)) },
    ...input.assistants.map((a): ModelReportRow => ({ name: a, role: 'assistant', quality: quality(runFromTable(table, a)), distance: mean(a) })),
    { name: FUSED, role: 'fused', quality: quality(fusedRun(table, view)), distance: mean(FUSED) },
  ];
  const assistantRows = rows.filter((r) => r.role === 'assistant');
  const closer = (m: Distance, a: number, b: number) => (m === 'rbo' ? a > b : a < b);
  const assistantsAverage = Object.fromEntries(DISTANCES.map((m) => [m, assistantRows.reduce((s, r) => s + r.distance![m], 0) / assistantRows.length])) as Record<Distance, number>;
  const bestAssistant = Object.fromEntries(DISTANCES.map((m) => [m, assistantRows.reduce((b, r) => (closer(m, r.distance![m], b.distance![m]) ? r : b)).name])) as Record<Distance, string>;
  const fused = mean(FUSED);
  const bestValue = (m: Distance) => assistantRows.find((r) => r.name === bestAssistant[m])!.distance![m];
  return {
    dataset: input.dataset,
    queries: nq,
    queriesWithoutCandidates,
    queriesTooFewCandidates,
    candidatesPerQuery: [...table.byQuery.values()].reduce((s, q) => s + q.docIds.length, 0) / Math.max(1, nq),
    missing: missingCounts(table),
    rows,
    assistantsAverage,
    bestAssistant,
    fusedCloserThanAverage: Object.fromEntries(DISTANCES.map((m) => [m, closer(m, fused[m], assistantsAverage[m])])) as Record<Distance, boolean>,
    fusedCloserThanBest: Object.fromEntries(DISTANCES.map((m) => [m, closer(m, fused[m], bestValue(m))])) as Record<Distance, boolean>,
    perQueryKlChoice,
    table,
  };
}

/** The report as a plain-text table. */
export function formatAssistantsReport(r: AssistantsReport): string {
  const f = (x: number | undefined, d = 4) => (x === undefined ? '' : x.toFixed(d));
  const lines = [
    `dataset ${r.dataset}: ${r.queries} queries, ${r.candidatesPerQuery.toFixed(1)} candidates/query` + (r.queriesWithoutCandidates.length ? ` (${r.queriesWithoutCandidates.length} queries without candidates left out)` : '')
      + (r.queriesTooFewCandidates.length ? ` (${r.queriesTooFewCandidates.length} queries with < 2 commonly scored candidates left out of the distances)` : ''),
    `missing scores: ${Object.entries(r.missing).map(([n, m]) => `${n} ${m.missing}/${m.pairs}`).join(', ')}`,
    '',
    `${'model'.padEnd(28)} ${'role'.padEnd(9)} ${'nDCG@10'.padStart(8)} ${'RR@10'.padStart(8)} ${'KL'.padStart(8)} ${'footrule'.padStart(8)} ${'RBO'.padStart(8)}`,
  ];
  for (const row of r.rows) {
    lines.push(`${row.name.padEnd(28)} ${row.role.padEnd(9)} ${f(row.quality['nDCG@10']).padStart(8)} ${f(row.quality['RR(rel=2)@10']).padStart(8)} ${f(row.distance?.kl).padStart(8)} ${f(row.distance?.footrule).padStart(8)} ${f(row.distance?.rbo).padStart(8)}`);
  }
  lines.push(`${'assistants average'.padEnd(38)} ${''.padStart(17)} ${f(r.assistantsAverage.kl).padStart(8)} ${f(r.assistantsAverage.footrule).padStart(8)} ${f(r.assistantsAverage.rbo).padStart(8)}`);
  lines.push('');
  for (const m of ['kl', 'footrule', 'rbo'] as const) {
    lines.push(`${m}: fused ${r.fusedCloserThanAverage[m] ? 'IS' : 'is NOT'} closer than the assistants' average; ${r.fusedCloserThanBest[m] ? 'IS' : 'is NOT'} closer than the best assistant (${r.bestAssistant[m]})`);
  }
  lines.push(`per-query KL choice: ${Object.entries(r.perQueryKlChoice).map(([n, c]) => `${n} ${c}`).join(', ')}`);
  return lines.join('\n');
}
