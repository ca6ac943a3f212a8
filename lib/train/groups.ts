/**
 * Training data for the trainer: one group per query — its positive passage first, then sampled
 * hard negatives — with the teacher's and every assistant's scores of exactly those passages.
 */
import type { Collection, DocId, Qrels, QueryId, QuerySet } from '../data/types';
import type { ScoreTable } from '../assistants/types';
import { Rng } from '../random/rng';
import { MapView } from '../data/mapView';

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

/** Training groups by position: an array, or a {@link TrainingGroupList} that builds each group when asked. */
export interface TrainingGroupSource {
  readonly length: number;
  at(index: number): TrainingGroup | undefined;
}

/** Where the groups' scores, texts and labels come from. */
interface GroupInputs {
  readonly table: ScoreTable;
  readonly queries: QuerySet;
  readonly collection: Collection;
  readonly qrels: Qrels | undefined;
  readonly teacher: number;
  readonly assistants: ReadonlyArray<{ readonly name: string; readonly column: number }>;
}

/**
 * The groups of a plan: per group its query and the chosen candidates' positions in the table
 * (positive first), ~40 bytes; the group itself (texts, labels, scores) is built on each `at`
 * from the table, which may be a view or read from disk. So the training set costs next to
 * nothing per query, and the trainer holds one batch of groups at a time.
 */
export class TrainingGroupList implements TrainingGroupSource, Iterable<TrainingGroup> {
  /** Query → position, made on the first {@link TrainingGroupList.indexOf}. */
  private positions: Map<QueryId, number> | undefined;

  constructor(private readonly inputs: GroupInputs, private readonly queryIds: readonly QueryId[], private readonly chosen: Int32Array, private readonly width: number) {}

  get length(): number {
    return this.queryIds.length;
  }

  /** The group at `index` (negative counts from the end, as Array.prototype.at), built now. */
  at(index: number): TrainingGroup | undefined {
    const i = index < 0 ? index + this.length : index;
    if (!(Number.isInteger(i) && i >= 0 && i < this.length)) return undefined;
    const { table, queries, collection, qrels, teacher, assistants } = this.inputs;
    const qid = this.queryIds[i];
    const block = table.byQuery.get(qid);
    if (!block) throw new Error(`training groups: the score table no longer has query '${qid}'`);
    const judged = qrels?.judgments.get(qid);
    const picked = this.chosen.subarray(i * this.width, (i + 1) * this.width);
    const pick = (col: Float64Array) => Float64Array.from(picked, (j) => col[j]);
    const docIds = Array.from(picked, (j) => block.docIds[j]);
    return {
      queryId: qid,
      query: queries.queries.get(qid)!.text,
      docIds,
      passages: docIds.map((d) => {
        const text = passageText(collection, d);
        if (text === undefined) throw new Error(`training groups: passage '${d}' of query '${qid}' is no longer in the collection`);
        return text;
      }),
      labels: docIds.map((d) => judged?.get(d) ?? NaN),
      teacher: pick(block.scores[teacher]),
      assistants: Object.fromEntries(assistants.map(({ name, column }) => [name, pick(block.scores[column])])),
    };
  }

  /** Position of `queryId`'s group, or -1. */
  indexOf(queryId: QueryId): number {
    return this.positionsByQuery().get(queryId) ?? -1;
  }

  /** The groups by query, in plan order, each built on access. */
  byQuery(): ReadonlyMap<QueryId, TrainingGroup> {
    return new MapView<QueryId, number, TrainingGroup>(this.positionsByQuery(), (i) => this.at(i)!);
  }

  private positionsByQuery(): Map<QueryId, number> {
    this.positions ??= new Map(this.queryIds.map((q, i) => [q, i]));
    return this.positions;
  }

  *[Symbol.iterator](): IterableIterator<TrainingGroup> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }
}

/** The groups of `a`, then those of `b`. */
export function concatGroups(a: TrainingGroupSource, b: TrainingGroupSource): TrainingGroupSource {
  return {
    get length() { return a.length + b.length; },
    at: (index: number) => {
      const i = index < 0 ? index + a.length + b.length : index;
      return i < a.length ? a.at(i) : b.at(i - a.length);
    },
  };
}

/**
 * Plans one group per query of `table` (in table order): the positive, then `negatives` passages
 * sampled (seeded) from the query's candidates that are not judged relevant, have text and a finite
 * teacher score. Queries without a usable positive or with too few negatives are skipped and
 * reported. The groups are built on access (see {@link TrainingGroupList}).
 */
export function planTrainingGroups(
  table: ScoreTable,
  queries: QuerySet,
  collection: Collection,
  qrels: Qrels | undefined,
  options: TrainingGroupOptions = {},
): { groups: TrainingGroupList; report: TrainingGroupReport } {
  const nNeg = options.negatives ?? 7;
  if (!(Number.isInteger(nNeg) && nNeg >= 1)) throw new Error(`buildTrainingGroups: negatives must be a positive integer, got ${nNeg}`);
  const mode = options.positive ?? (qrels ? 'label' : 'teacher-top1');
  if (mode === 'label' && !qrels) throw new Error("buildTrainingGroups: positive 'label' needs qrels");
  const relLevel = options.relLevel ?? 1;
  const rng = new Rng(options.seed ?? 0);
  const t = teacherColumn(table, options.teacher);
  const assistants = table.models.map((m, column) => ({ name: m.name, role: m.role, column })).filter((m) => m.role === 'assistant').map(({ name, column }) => ({ name, column }));
  const width = nNeg + 1;
  const queryIds: QueryId[] = [];
  let chosen = new Int32Array(width * 1024);
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
    if ((queryIds.length + 1) * width > chosen.length) {
      const grown = new Int32Array(chosen.length * 2);
      grown.set(chosen);
      chosen = grown;
    }
    chosen.set([pos, ...rng.sample(pool, nNeg)], queryIds.length * width);
    queryIds.push(qid);
  }
  const groups = new TrainingGroupList({ table, queries, collection, qrels, teacher: t, assistants }, queryIds, chosen.slice(0, queryIds.length * width), width);
  return { groups, report: { groups: groups.length, skippedQueries: skipped, excludedCandidates: excluded } };
}

/** {@link planTrainingGroups}, every group built now (an array: small sets, tests, notebooks). */
export function buildTrainingGroups(
  table: ScoreTable,
  queries: QuerySet,
  collection: Collection,
  qrels: Qrels | undefined,
  options: TrainingGroupOptions = {},
): { groups: TrainingGroup[]; report: TrainingGroupReport } {
  const { groups, report } = planTrainingGroups(table, queries, collection, qrels, options);
  return { groups: [...groups], report };
}
