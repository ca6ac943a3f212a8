/**
 * Per-query difficulty of a student run: where its best positive lands, reciprocal rank, and how far
 * its score distribution is from the teacher's; the "got wrong" rule that selects harder queries.
 */
import type { DocId, QueryId, Qrels, Run, RunEntry } from '../data/types';
import { rankEntries } from '../eval/order';
import { DEFAULT_DISTRIBUTION, toDistribution, type DistributionOptions } from '../assistants/distribution';
import { klDivergence } from '../assistants/divergence';
import { DEFAULT_MISSING, fillMissing, type MissingPolicy } from '../assistants/missing';

/** What a query's target was: judged positives, the teacher's top-1 (no labels), or nothing. */
export type DifficultyBasis = 'qrels' | 'teacher' | 'none';

/** Difficulty of one query for a student run. */
export interface QueryDifficulty {
  readonly queryId: QueryId;
  readonly basis: DifficultyBasis;
  /** 1-based rank of the best-ranked target in the student's ranking; null = not retrieved. */
  readonly bestPositiveRank: number | null;
  /** 1 / bestPositiveRank (no cutoff); 0 when not retrieved. */
  readonly rr: number;
  /** KL(P_T ‖ P_S) over the student's retrieved list (teacher's missing scores filled); NaN without a teacher or with `kl: false`. */
  readonly klToTeacher: number;
}

/** Options of {@link runDifficulty}. */
export interface DifficultyOptions {
  readonly qrels?: Qrels;
  /** Minimum grade that makes a passage a positive (default 1). */
  readonly relLevel?: number;
  /** Teacher run: fallback target (its top-1) where a query has no positive, and the KL reference. */
  readonly teacher?: Run;
  /** Only the student's top `klDepth` entries enter the KL (default 100). */
  readonly klDepth?: number;
  /** Whether to compute the KL at all (default true); the got-wrong rule reads only the ranks. */
  readonly kl?: boolean;
  readonly distribution?: DistributionOptions;
  readonly missing?: MissingPolicy;
}

function klOver(student: readonly RunEntry[], teacher: readonly RunEntry[] | undefined, opts: DifficultyOptions): number {
  if (!teacher || student.length === 0) return NaN;
  const t = new Map(teacher.map((e) => [e.docId, e.score]));
  const ts = fillMissing(Float64Array.from(student, (e) => t.get(e.docId) ?? NaN), opts.missing ?? DEFAULT_MISSING);
  const keep = Array.from(student.keys()).filter((i) => opts.missing?.kind !== 'drop' || ts.scored[i] === 1);
  if (keep.length === 0) return NaN;
  const dist = { ...DEFAULT_DISTRIBUTION, ...opts.distribution };
  const pt = toDistribution(Float64Array.from(keep, (i) => ts.scores[i]), dist);
  const ps = toDistribution(Float64Array.from(keep, (i) => student[i].score), dist);
  return klDivergence(pt, ps);
}

/** Difficulty of one query's student ranking `entries` (trec_eval score order is applied here). */
export function queryDifficulty(qid: QueryId, entries: readonly RunEntry[], opts: DifficultyOptions = {}): QueryDifficulty {
  const relLevel = opts.relLevel ?? 1;
  const ranked = rankEntries(entries, 'score');
  // The teacher's list (a score-log record at scale) is read only where it is used, and once.
  const readTeacher = () => {
    const entries = opts.teacher?.byQuery.get(qid);
    return entries ? rankEntries(entries, 'score') : undefined;
  };
  const judged = opts.qrels?.judgments.get(qid);
  let targets = new Set<DocId>([...(judged ?? [])].filter(([, g]) => g >= relLevel).map(([d]) => d));
  let basis: DifficultyBasis = 'qrels';
  let teacherRanked: RunEntry[] | undefined;
  if (targets.size === 0) {
    teacherRanked = readTeacher();
    basis = teacherRanked && teacherRanked.length > 0 ? 'teacher' : 'none';
    targets = new Set(basis === 'teacher' ? [teacherRanked![0].docId] : []);
  }
  const pos = ranked.findIndex((e) => targets.has(e.docId));
  const depth = opts.klDepth ?? 100;
  return {
    queryId: qid,
    basis,
    bestPositiveRank: pos < 0 ? null : pos + 1,
    rr: pos < 0 ? 0 : 1 / (pos + 1),
    klToTeacher: (opts.kl ?? true) ? klOver(ranked.slice(0, depth), basis === 'qrels' ? readTeacher() : teacherRanked, opts) : NaN,
  };
}

/** Difficulty of every query of the student run, in run order. */
export function runDifficulty(student: Run, opts: DifficultyOptions = {}): QueryDifficulty[] {
  const out: QueryDifficulty[] = [];
  for (const [qid, entries] of student.byQuery) out.push(queryDifficulty(qid, entries, opts));
  return out;
}

/** "Got wrong" rules: target not in the top-k (default k = 10), or reciprocal rank below x. */
export type GotWrongRule = { readonly rule: 'top-k'; readonly k: number } | { readonly rule: 'mrr-below'; readonly x: number };

/** The default rule: the best positive (or the teacher's top-1) is not in the student's top-10. */
export const DEFAULT_GOT_WRONG: GotWrongRule = { rule: 'top-k', k: 10 };

/** Whether the student got the query wrong; a query with no target (basis 'none') never counts. */
export function gotWrong(d: QueryDifficulty, rule: GotWrongRule = DEFAULT_GOT_WRONG): boolean {
  if (d.basis === 'none') return false;
  if (rule.rule === 'top-k') return d.bestPositiveRank === null || d.bestPositiveRank > rule.k;
  return d.rr < rule.x;
}

/** One histogram bin of best-positive ranks. */
export interface HistogramBin {
  readonly label: string;
  readonly count: number;
}

/**
 * Histogram of best-positive ranks with upper bin edges (default 1, 3, 10, 100), plus "beyond the
 * last edge or not retrieved" and "no target" bins, so every query is counted. Filled one query at
 * a time, so a pass over the training queries keeps no difficulty per query.
 */
export class DifficultyHistogram {
  private readonly counts: number[];

  constructor(private readonly edges: readonly number[] = [1, 3, 10, 100]) {
    this.counts = new Array<number>(edges.length + 2).fill(0);
  }

  /** Counts one query in its bin. */
  add(d: QueryDifficulty): void {
    const edges = this.edges;
    if (d.basis === 'none') this.counts[edges.length + 1] += 1;
    else if (d.bestPositiveRank === null || d.bestPositiveRank > edges[edges.length - 1]) this.counts[edges.length] += 1;
    else this.counts[edges.findIndex((e) => d.bestPositiveRank! <= e)] += 1;
  }

  /** The bins with their labels, in edge order. */
  bins(): HistogramBin[] {
    const edges = this.edges;
    const labels = edges.map((e, i) => {
      const lo = i === 0 ? 1 : edges[i - 1] + 1;
      return lo === e ? `${e}` : `${lo}-${e}`;
    });
    return [...labels, `>${edges[edges.length - 1]} or not retrieved`, 'no target'].map((label, i) => ({ label, count: this.counts[i] }));
  }
}

/** {@link DifficultyHistogram} of `difficulties`. */
export function difficultyHistogram(difficulties: readonly QueryDifficulty[], edges: readonly number[] = [1, 3, 10, 100]): HistogramBin[] {
  const h = new DifficultyHistogram(edges);
  for (const d of difficulties) h.add(d);
  return h.bins();
}
