/**
 * The paper's published numbers (MTA4DPR, EMNLP 2024, 66M student), for display beside ours.
 * They come from a different scale (MS MARCO training, DistilBERT student, hub teacher), so they
 * are never expectations for the demo, only context.
 */

/** One published figure. */
export interface PaperNumber {
  readonly system: string;
  readonly dataset: string;
  readonly metric: string;
  /** As a fraction (41.1 MRR@10 → 0.411). */
  readonly value: number;
}

/** Published results of the 66M student and its main ablation. */
export const PAPER_RESULTS: readonly PaperNumber[] = [
  { system: 'MTA4DPR', dataset: 'MS MARCO dev', metric: 'RR@10', value: 0.411 },
  { system: 'MTA4DPR', dataset: 'TREC DL19', metric: 'nDCG@10', value: 0.712 },
  { system: 'MTA4DPR', dataset: 'TREC DL20', metric: 'nDCG@10', value: 0.711 },
  { system: 'MTA4DPR', dataset: 'NQ test', metric: 'R@20', value: 0.836 },
  { system: 'w/o assistants', dataset: 'MS MARCO dev', metric: 'RR@10', value: 0.399 },
  { system: 'w/o assistants', dataset: 'NQ test', metric: 'R@20', value: 0.822 },
];

/** The paper's qualitative claims that notebooks 05–07 test at demo scale. */
export const PAPER_CLAIMS: readonly string[] = [
  'MTA4DPR beats KD from the teacher alone ("w/o assistants" is the largest ablation drop).',
  'The fused assistant is usually closer to the teacher than the individual assistants.',
  'More iterations help.',
  'Better assistants give a better student.',
  'Selection costs about +25 min training and data construction about +4.7 h versus plain KD (full scale).',
];

/** A gap the paper reports between two of its systems, for sizing our comparisons. */
export interface PaperGap {
  readonly system: string;
  readonly against: string;
  readonly dataset: string;
  readonly metric: string;
  /** system − against, as a fraction. */
  readonly value: number;
}

function published(system: string, dataset: string, metric: string): number {
  const p = PAPER_RESULTS.find((r) => r.system === system && r.dataset === dataset && r.metric === metric);
  if (!p) throw new Error(`no published ${metric} of ${system} on ${dataset}`);
  return p.value;
}

/**
 * The paper's headline gain of the assistants: MTA4DPR over KD from the teacher alone ("w/o
 * assistants", MS MARCO dev RR@10, 41.1 vs 39.9). The number of test queries our paired tests
 * would need to detect a gain of this size is reported beside every comparison.
 */
export const PAPER_ASSISTANT_GAP: PaperGap = {
  system: 'MTA4DPR', against: 'w/o assistants', dataset: 'MS MARCO dev', metric: 'RR@10',
  value: Number((published('MTA4DPR', 'MS MARCO dev', 'RR@10') - published('w/o assistants', 'MS MARCO dev', 'RR@10')).toFixed(6)),
};
