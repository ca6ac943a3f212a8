/**
 * A seeded split of one dataset's judged queries into `NAME/train` and `NAME/test`. Each query's
 * side depends only on the seed and its id (queries ordered by SHA-256 of seed and id), so the split
 * is the same every time, does not move when the files are reordered, and the two sides never share
 * a query. Both sides keep the whole collection and the run files.
 */
import type { DatasetSplit } from '../config/dataset';
import { sha256 } from '../io/hash';
import type { CandidateLists, DocId, Qrels, Query, QueryId } from './types';
import type { Dataset } from './registry';
import { derivedHash } from './contentHash';

/** The two sides of a split. */
export const SPLIT_PARTS = ['train', 'test'] as const;
/** `train` or `test`. */
export type SplitPart = (typeof SPLIT_PARTS)[number];

/** Splits `judged` query ids: `round(testFraction × n)` of them (at least 1 and at most n - 1) go to test. */
export function splitQueryIds(judged: readonly QueryId[], split: DatasetSplit): { train: QueryId[]; test: QueryId[] } {
  if (new Set(judged).size !== judged.length) throw new Error('splitQueryIds: query ids must be distinct');
  if (judged.length < 2) throw new Error(`a split needs at least 2 judged queries, found ${judged.length}`);
  const nTest = Math.min(judged.length - 1, Math.max(1, Math.round(split.testFraction * judged.length)));
  const order = [...judged].map((id) => ({ id, key: sha256(String(split.seed), id) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const test = new Set(order.slice(0, nTest).map((x) => x.id));
  // Each side lists its queries in the original order.
  return { train: judged.filter((q) => !test.has(q)), test: judged.filter((q) => test.has(q)) };
}

/** The queries of `d` that have at least one judgment, in query-file order. */
export function judgedQueryIds(d: Dataset): QueryId[] {
  const judgments = d.qrels?.judgments;
  if (!judgments) return [];
  return [...d.queries.queries.keys()].filter((q) => (judgments.get(q)?.size ?? 0) > 0);
}

/** One side of the seeded split of `d`'s judged queries, named `d.name/part`. */
export function splitDataset(d: Dataset, split: DatasetSplit, part: SplitPart): Dataset {
  if (!d.qrels) throw new Error(`dataset ${d.name} has no qrels: a split needs judged queries`);
  const judged = judgedQueryIds(d);
  let sides;
  try {
    sides = splitQueryIds(judged, split);
  } catch (e) {
    throw new Error(`dataset ${d.name}: ${(e as Error).message}`);
  }
  const keep = new Set(sides[part]);
  const name = `${d.name}/${part}`;
  const queries = new Map<QueryId, Query>([...d.queries.queries].filter(([q]) => keep.has(q)));
  const judgments = new Map<QueryId, ReadonlyMap<DocId, number>>([...d.qrels.judgments].filter(([q]) => keep.has(q)));
  const qrels: Qrels = { name, judgments };
  const candidates: CandidateLists | undefined = d.candidates
    ? { byQuery: new Map([...d.candidates.byQuery].filter(([q]) => keep.has(q))) }
    : undefined;
  const unjudged = d.queries.queries.size - judged.length;
  const note = `split of ${judged.length} judged queries (testFraction ${split.testFraction}, seed ${split.seed}): ${sides.train.length} train, ${sides.test.length} test`
    + (unjudged > 0 ? `; ${unjudged} queries without judgments are in neither side` : '');
  return {
    ...d,
    name,
    queries: { name, queries },
    qrels,
    ...(candidates ? { candidates } : {}),
    notes: [...d.notes, note],
    contentHash: derivedHash(d.contentHash, { split, part }),
  };
}
