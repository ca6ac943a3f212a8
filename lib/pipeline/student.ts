/**
 * The student of an experiment: created from the configured preset and initialisation, and run as
 * a re-ranker over a split's candidate lists (each query's pool), which is how every trained row of
 * the results table is evaluated.
 */
import { createDualEncoder, createGloveStudent, DEFAULT_STUDENT, DISTILBERT_BASE, loadHfModel, type StudentDualEncoder } from '../models';
import type { Encoder } from '../models/types';
import { defaultModelPaths } from '../models/gloveStudent';
import { tokenizerFromVocab } from '../text';
import { encodeCorpus, passageInput } from '../retrieval';
import type { DocId, QueryId, Run, RunEntry } from '../data/types';
import type { MethodConfig } from './config';
import type { Split } from './splits';

/** Builds the configured, seeded student; `idfTexts` initialise idf-mean pooling weights. */
export async function createExperimentStudent(config: MethodConfig, seed: number, idfTexts: Iterable<string>): Promise<StudentDualEncoder> {
  const preset = config.student.preset === 'default' ? DEFAULT_STUDENT : DISTILBERT_BASE;
  const arch = { ...preset, ...config.student.overrides };
  switch (config.student.init) {
    case 'glove':
      return createGloveStudent({ config: arch, idfTexts, seed }).model;
    case 'random':
      return createDualEncoder(arch, tokenizerFromVocab(defaultModelPaths().vocab), { seed });
    case 'hf':
      if (!config.student.hfModel) throw new Error(`${config.name}: student.init 'hf' needs student.hfModel (a Hugging Face model folder)`);
      return loadHfModel(config.student.hfModel);
  }
}

/** Every passage text of a split's collection, for idf statistics. */
export function splitTexts(split: Split): string[] {
  return [...split.collection.passages.values()].map(passageInput);
}

/** Options of {@link rerankRun}. */
export interface RerankOptions {
  readonly name?: string;
  /** Folder caching passage embeddings (keyed by the model's weights and the texts). */
  readonly cacheDir?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The student's run: each query's candidates ordered by the student's score. */
export async function rerankRun(model: Encoder, split: Split, queryIds: readonly QueryId[], opts: RerankOptions = {}): Promise<Run> {
  const ids = queryIds.filter((q) => split.candidates.byQuery.has(q) && split.queries.queries.has(q));
  const docIds = [...new Set(ids.flatMap((q) => split.candidates.byQuery.get(q)!))];
  const passages = docIds.map((d) => split.collection.passages.get(d)!);
  const corpus = await encodeCorpus(model, passages, { cacheDir: opts.cacheDir, onProgress: opts.onProgress, batchSize: 512 });
  const q = await model.encode(ids.map((id) => split.queries.queries.get(id)!.text), 'query');
  const row = new Map<DocId, number>(docIds.map((d, i) => [d, i]));
  const dim = q.dim;
  const p = corpus.matrix.data;
  const byQuery = new Map<QueryId, RunEntry[]>();
  ids.forEach((qid, qi) => {
    const qv = q.data.subarray(qi * dim, (qi + 1) * dim);
    const entries = split.candidates.byQuery.get(qid)!.map((d) => {
      const r = row.get(d)! * dim;
      let s = 0;
      for (let k = 0; k < dim; k++) s += qv[k] * p[r + k];
      return { docId: d, score: s, rank: 0 };
    });
    entries.sort((a, b) => b.score - a.score || (a.docId < b.docId ? 1 : a.docId > b.docId ? -1 : 0));
    byQuery.set(qid, entries.map((e, i) => ({ ...e, rank: i + 1 })));
  });
  return { name: opts.name ?? model.name, byQuery };
}
