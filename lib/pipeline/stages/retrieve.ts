/**
 * Dense retrieval with the student over a split's whole collection (exact inner-product search,
 * lib/retrieval): the mining stage's search over the training collection, and the `retrieve`
 * evaluation mode's search over a test collection.
 */
import type { QueryId, Run } from '../../data/types';
import { withStudentEncoder, type StudentModel } from '../../models';
import { encodeCorpus, exactTopK, hitsToRun } from '../../retrieval';
import type { Split } from '../splits';

/** Searches the student's encoded collection for a batch of queries: their top-`depth` as a run named `name`. */
export type StudentSearch = (queryIds: readonly QueryId[], depth: number, name: string) => Promise<Run>;

/** Runs `fn` with a search over the whole collection of `split`, encoded once (and cached in `cacheDir`) for every batch it is given. */
export async function withStudentSearch<T>(model: StudentModel, split: Split, cacheDir: string, fn: (search: StudentSearch) => Promise<T>): Promise<T> {
  const passages = [...split.collection.passages.values()];
  return withStudentEncoder(model, async (encoder) => {
    const corpus = await encodeCorpus(encoder, passages, { cacheDir, batchSize: 512 });
    return fn(async (queryIds, depth, name) => {
      const queries = await encoder.encode(queryIds.map((q) => split.queries.queries.get(q)!.text), 'query');
      const hits = exactTopK(queries, corpus.matrix, Math.min(depth, corpus.ids.length));
      return hitsToRun(name, queryIds, hits, corpus.ids);
    });
  });
}

/** The student's top-`depth` over the whole collection of `split` for `queryIds`, as a run named `name`. */
export async function retrieveWithStudent(model: StudentModel, split: Split, queryIds: readonly QueryId[], depth: number, cacheDir: string, name = `${model.name}-mined`): Promise<Run> {
  return withStudentSearch(model, split, cacheDir, (search) => search(queryIds, depth, name));
}
