/**
 * Dense retrieval with the student over a split's whole collection (exact inner-product search,
 * lib/retrieval): the mining stage's search over the training collection, and the `retrieve`
 * evaluation mode's search over a test collection.
 */
import type { QueryId, Run } from '../../data/types';
import { withStudentEncoder, type StudentModel } from '../../models';
import { encodeCorpus, exactTopK, hitsToRun } from '../../retrieval';
import type { Split } from '../splits';

/** The student's top-`depth` over the whole collection of `split` for `queryIds`, as a run named `name`. */
export async function retrieveWithStudent(model: StudentModel, split: Split, queryIds: readonly QueryId[], depth: number, cacheDir: string, name = `${model.name}-mined`): Promise<Run> {
  const passages = [...split.collection.passages.values()];
  return withStudentEncoder(model, async (encoder) => {
    const corpus = await encodeCorpus(encoder, passages, { cacheDir, batchSize: 512 });
    const queries = await encoder.encode(queryIds.map((q) => split.queries.queries.get(q)!.text), 'query');
    const hits = exactTopK(queries, corpus.matrix, Math.min(depth, corpus.ids.length));
    return hitsToRun(name, queryIds, hits, corpus.ids);
  });
}
