/**
 * Training data for the trainer: one group per query — its positive passage first, then sampled
 * hard negatives — with the teacher's and every assistant's scores of exactly those passages.
 */
import type { Collection, DocId, Qrels, QueryId, QuerySet } from '../data/types';
import type { ScoreTable } from '../assistants/types';
import { Rng } from '../random/rng';

/** One query's training group; index 0 of every array is the positive. */
export interface TrainingGroup {
  readonly queryId: QueryId;
  readonly query: string;
  readonly docIds: readonly DocId[];
  readonly passages: readonly string[];
  /** Judged grade of each passage, NaN where unjudged (unjudged is not the same as non-relevant). */
  readonly labels: readonly number[];
  readonly teacher: Float64Array;
  /** Assistant name → scores aligned with `passages` (NaN where that assistant has none). */
  readonly assistants: Readonly<Record<string, Float64Array>>;
}

/** Options of {@link buildTrainingGroups}. */
export interface TrainingGroupOptions {
  /** Hard negatives per group (default 7, so groups of 8). */
  readonly negatives?: number;
  /** 'label': best judged candidate with grade ≥ relLevel (ties: higher teacher score); 'teacher-top1': the teacher's best. Default: 'label' with qrels, else 'teacher-top1'. */
  readonly positive?: 'label' | 'teacher-top1';
  /** Minimum grade counted as relevant (default 1; TREC DL passage tasks use 2 for binary metrics). */
  readonly relLevel?: number;
  /** Seed of the negative sampling (default 0). */
  readonly seed?: number;
  /** Teacher column name; default: the table's only column with role 'teacher'. */
  readonly teacher?: string;
}

/** A query that produced no group, with why. */
export interface SkippedQuery {
  readonly queryId: QueryId;
  readonly reason: string;
}

/** What was built and what was left out (nothing is dropped silently). */
export interface TrainingGroupReport {
  readonly groups: number;
  readonly skippedQueries: readonly SkippedQuery[];
  /** Candidates never eligible as negatives, by reason, summed over queries. */
  readonly excludedCandidates: Readonly<Record<string, number>>;
}

function teacherColumn(table: ScoreTable, name: string | undefined): number {
  const idx = name !== undefined
    ? table.models.findIndex((m) => m.name === name)
    : table.models.findIndex((m) => m.role === 'teacher');
  if (idx < 0) throw new Error(name !== undefined ? `buildTrainingGroups: no model '${name}' in the score table` : 'buildTrainingGroups: the score table has no teacher column');
  if (name === undefined && table.models.filter((m) => m.role === 'teacher').length > 1) {
    throw new Error('buildTrainingGroups: several teacher columns; name one with options.teacher');
  }
  return idx;
}

/** Passage text as the student reads it: "title text" when a title exists. */
function passageText(collection: Collection, id: DocId): string | undefined {
  const p = collection.passages.get(id);
  if (!p) return undefined;
  return p.title ? `${p.title} ${p.text}` : p.text;
}

/**
 * Builds one group per query of `table` (in table order): the positive, then `negatives` passages
 * sampled (seeded) from the query's candidates that are not judged relevant, have text and a finite
 * teacher score. Queries without a usable positive or with too few negatives are skipped and reported.
 */
export function buildTrainingGroups(
  table: ScoreTable,
  queries: QuerySet,
  collection: Collection,
  qrels: Qrels | undefined,
  options: TrainingGroupOptions = {},
): { groups: TrainingGroup[]; report: TrainingGroupReport } {
  const nNeg = options.negatives ?? 7;
  if (!(Number.isInteger(nNeg) && nNeg >= 1)) throw new Error(`buildTrainingGroups: negatives must be a positive integer, got ${nNeg}`);
  const mode = options.positive ?? (qrels ? 'label' : 'teacher-top1');
  if (mode === 'label' && !qrels) throw new Error("buildTrainingGroups: positive 'label' needs qrels");
  const relLevel = options.relLevel ?? 1;
  const rng = new Rng(options.seed ?? 0);
  const t = teacherColumn(table, options.teacher);
  const assistantCols = table.models.map((m, i) => ({ m, i })).filter(({ m }) => m.role === 'assistant');
  const groups: TrainingGroup[] = [];
  const skipped: SkippedQuery[] = [];
  const excluded: Record<string, number> = {};
  const exclude = (reason: string) => (excluded[reason] = (excluded[reason] ?? 0) + 1);

  for (const [qid, block] of table.byQuery) {
    const query = queries.queries.get(qid);
    if (!query) {
      skipped.push({ queryId: qid, reason: 'query text not found' });
      continue;
    }
    const judged = qrels?.judgments.get(qid);
    const teacher = block.scores[t];
    const usable = (j: number) => Number.isFinite(teacher[j]) && passageText(collection, block.docIds[j]) !== undefined;
    let pos = -1;
    if (mode === 'label') {
      for (let j = 0; j < block.docIds.length; j++) {
        const g = judged?.get(block.docIds[j]);
        if (g === undefined || g < relLevel || !usable(j)) continue;
        const best = pos < 0 ? undefined : judged!.get(block.docIds[pos])!;
        if (pos < 0 || g > best! || (g === best && teacher[j] > teacher[pos])) pos = j;
      }
    } else {
      for (let j = 0; j < block.docIds.length; j++) if (usable(j) && (pos < 0 || teacher[j] > teacher[pos])) pos = j;
    }
    if (pos < 0) {
      skipped.push({ queryId: qid, reason: mode === 'label' ? `no judged candidate with grade ≥ ${relLevel}, text and a teacher score` : 'no candidate with text and a teacher score' });
      continue;
    }
    const pool: number[] = [];
    for (let j = 0; j < block.docIds.length; j++) {
      if (j === pos) continue;
      const g = judged?.get(block.docIds[j]);
      if (g !== undefined && g >= relLevel) exclude('judged relevant');
      else if (passageText(collection, block.docIds[j]) === undefined) exclude('passage text missing');
      else if (!Number.isFinite(teacher[j])) exclude('no teacher score');
      else pool.push(j);
    }
    if (pool.length < nNeg) {
      skipped.push({ queryId: qid, reason: `only ${pool.length} eligible negatives, ${nNeg} needed` });
      continue;
    }
    const chosen = [pos, ...rng.sample(pool, nNeg)];
    const pick = (col: Float64Array) => Float64Array.from(chosen, (j) => col[j]);
    groups.push({
      queryId: qid,
      query: query.text,
      docIds: chosen.map((j) => block.docIds[j]),
      passages: chosen.map((j) => passageText(collection, block.docIds[j])!),
      labels: chosen.map((j) => judged?.get(block.docIds[j]) ?? NaN),
      teacher: pick(teacher),
      assistants: Object.fromEntries(assistantCols.map(({ m, i }) => [m.name, pick(block.scores[i])])),
    });
  }
  return { groups, report: { groups: groups.length, skippedQueries: skipped, excludedCandidates: excluded } };
}
