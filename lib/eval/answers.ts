/**
 * DPR-style top-k answer accuracy for open-domain QA: a question counts as answered at k when one of
 * its top-k passages contains one of its answers as a token sequence after normalisation.
 */
import type { Collection, QueryId, QuerySet, Run, RunEntry } from '../data/types';
import { rankEntries } from './order';

/** `normalized` (default): lower-case, accents stripped (NFD), punctuation and articles removed,
 *  whitespace tokens. `dpr-tokens`: DPR's SimpleTokenizer (NFD, lower-case, alphanumeric runs and
 *  single non-space symbols as tokens, punctuation and articles kept). */
export type AnswerMatchMode = 'normalized' | 'dpr-tokens';

const ARTICLES = new Set(['a', 'an', 'the']);
const MARKS = /\p{M}+/gu;
const PUNCT = /[\p{P}\p{S}]+/gu;
const DPR_TOKEN = /[\p{L}\p{N}\p{M}]+|[^\p{Z}\p{C}]/gu;

/** Tokens of `text` under the given normalisation. */
export function answerTokens(text: string, mode: AnswerMatchMode = 'normalized'): string[] {
  const nfd = text.normalize('NFD').toLowerCase();
  if (mode === 'dpr-tokens') return nfd.match(DPR_TOKEN) ?? [];
  const cleaned = nfd.replace(MARKS, '').replace(PUNCT, ' ');
  return cleaned.split(/\s+/).filter((t) => t.length > 0 && !ARTICLES.has(t));
}

function containsSequence(hay: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return false;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** True when some answer's token sequence occurs in the passage's tokens (an answer with no token never matches). */
export function hasAnswer(passageText: string, answers: readonly string[], mode: AnswerMatchMode = 'normalized'): boolean {
  const tokens = answerTokens(passageText, mode);
  return answers.some((a) => containsSequence(tokens, answerTokens(a, mode)));
}

/** Top-k accuracy per k, and which questions could not be judged. */
export interface TopKAccuracy {
  /** k → share of questions with an answer in the top k (keys as numbers-as-strings, e.g. "20"). */
  readonly accuracy: Record<string, number>;
  /** Questions counted (those with answers). */
  readonly questions: number;
  /** Questions with no run entry (counted as misses, as DPR does). */
  readonly missingFromRun: QueryId[];
  /** Retrieved passage ids absent from the collection (treated as not containing the answer). */
  readonly unknownPassages: number;
  /** Questions without answers (not counted). */
  readonly withoutAnswers: QueryId[];
}

/**
 * 0-based rank of the first of the top `maxK` entries (trec_eval order) whose passage (title and
 * text) contains an answer, Infinity when none does; passages missing from the collection are counted.
 */
function firstAnswerRank(
  entries: readonly RunEntry[], answers: readonly string[], collection: Collection, maxK: number, mode: AnswerMatchMode,
): { first: number; unknownPassages: number } {
  const ranked = rankEntries(entries).slice(0, maxK);
  let unknownPassages = 0;
  for (let i = 0; i < ranked.length; i++) {
    const p = collection.passages.get(ranked[i]!.docId);
    if (!p) { unknownPassages += 1; continue; }
    if (hasAnswer(p.title ? `${p.title} ${p.text}` : p.text, answers, mode)) return { first: i, unknownPassages };
  }
  return { first: Infinity, unknownPassages };
}

/** DPR top-k retrieval accuracy of `run` over the questions with answers; ranking in trec_eval score order. */
export function topKAccuracy(run: Run, queries: QuerySet, collection: Collection, ks: readonly number[], mode: AnswerMatchMode = 'normalized'): TopKAccuracy {
  const maxK = Math.max(...ks);
  if (!ks.length || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new Error(`ks must be positive integers, got ${ks.join(',')}`);
  const hitsAt = new Float64Array(ks.length);
  const missingFromRun: QueryId[] = [];
  const withoutAnswers: QueryId[] = [];
  let questions = 0;
  let unknownPassages = 0;
  for (const [qid, q] of queries.queries) {
    if (!q.answers || q.answers.length === 0) { withoutAnswers.push(qid); continue; }
    questions += 1;
    const entries = run.byQuery.get(qid);
    if (!entries) { missingFromRun.push(qid); continue; }
    const hit = firstAnswerRank(entries, q.answers, collection, maxK, mode);
    unknownPassages += hit.unknownPassages;
    const first = hit.first;
    ks.forEach((k, j) => { if (first < k) hitsAt[j] = hitsAt[j]! + 1; });
  }
  const accuracy: Record<string, number> = {};
  ks.forEach((k, j) => { accuracy[String(k)] = questions ? hitsAt[j]! / questions : 0; });
  return { accuracy, questions, missingFromRun, unknownPassages, withoutAnswers };
}

/** `Answer@k`: DPR's top-k answer accuracy of one question (1 when a top-k passage contains an answer). */
const ANSWER_MEASURE = /^Answer@([1-9]\d*)$/;

/** The k of an `Answer@k` measure name, or undefined for any other name. */
export function answerMeasureDepth(name: string): number | undefined {
  const m = ANSWER_MEASURE.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * Per question with answers, `Answer@k` ∈ {0, 1} for each requested k — the per-query form of
 * {@link topKAccuracy} (same ranking, same matching; a question the run lacks scores 0), so answer
 * accuracy gets paired tests like any measure. Its mean over the questions is DPR's top-k accuracy.
 */
export function answerHitsPerQuery(
  run: Run, queries: QuerySet, collection: Collection, measures: readonly string[], mode: AnswerMatchMode = 'dpr-tokens',
): Map<QueryId, Record<string, number>> {
  const ks = measures.map((m) => {
    const k = answerMeasureDepth(m);
    if (k === undefined) throw new Error(`'${m}' is not an Answer@k measure`);
    return k;
  });
  const maxK = Math.max(...ks);
  const out = new Map<QueryId, Record<string, number>>();
  for (const [qid, q] of queries.queries) {
    if (!q.answers || q.answers.length === 0) continue;
    const { first } = firstAnswerRank(run.byQuery.get(qid) ?? [], q.answers, collection, maxK, mode);
    out.set(qid, Object.fromEntries(measures.map((m, j) => [m, first < ks[j]! ? 1 : 0])));
  }
  return out;
}
