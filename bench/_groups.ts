/**
 * The training benchmarks' shared inputs: the student presets they measure and query groups of
 * real DL19 text that fill every passage to 128 word pieces (helper, not a benchmark).
 */
import { loadDataset } from '../lib/data/registry';
import { DEFAULT_STUDENT, DISTILBERT_BASE } from '../lib/models/config';
import type { TrainingGroup } from '../lib/train/groups';
import { Rng } from '../lib/random/rng';

/** The students the training benchmarks measure (DistilBERT at the bench's 128-token passages). */
export const PRESETS = { default: DEFAULT_STUDENT, distilbert: { ...DISTILBERT_BASE, passageMaxLength: 128 } } as const;
/** A preset's name. */
export type PresetName = keyof typeof PRESETS;

/** Groups of 8 passages, each the concatenation of three real passages so it fills 128 word pieces. */
export async function benchGroups(count: number): Promise<TrainingGroup[]> {
  const ds = await loadDataset('dl19');
  const texts = [...ds.collection.passages.values()].map((p) => p.text);
  const queries = [...ds.queries.queries.values()];
  const rng = new Rng(7);
  return Array.from({ length: count }, (_, i) => {
    const passages = Array.from({ length: 8 }, () => [0, 1, 2].map(() => texts[rng.int(texts.length)]).join(' '));
    return {
      queryId: queries[i % queries.length].id, query: queries[i % queries.length].text, docIds: passages.map((_, j) => `b${i}_${j}`), passages,
      labels: passages.map((_, j) => (j === 0 ? 1 : NaN)), teacher: Float64Array.from(passages, () => rng.next() * 10), assistants: {},
    };
  });
}
