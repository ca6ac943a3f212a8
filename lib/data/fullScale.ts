/**
 * Full-scale dataset definitions (MS MARCO passage, TREC DL19/20 full-corpus topics and qrels,
 * NQ and TriviaQA in DPR format): every file with its public URL, an approximate size and an MD5
 * where one is published. Nothing here is downloaded by the library; `data-scripts/fetch.ts` is.
 *
 * Checksums and sizes come from ir_datasets (allenai/ir_datasets, ir_datasets/etc/downloads.json
 * @ 02a8f21c0f51d330124c30f1257d3fcb5866f3eb: `expected_md5`, `size_hint`). No SHA-256 is
 * published for any of these files, so `sha256` is left undefined everywhere. `sizeHint` is
 * ir_datasets' hint (used for progress and disk estimates), not an enforced byte count.
 */

/** One downloadable file of a full-scale dataset. */
export interface RemoteFile {
  /** Path under the output folder. */
  readonly dest: string;
  readonly url: string;
  /** Approximate size in bytes (ir_datasets' size_hint), for progress and disk estimates. */
  readonly sizeHint?: number;
  /** Exact size in bytes, enforced after download when set. */
  readonly expectedBytes?: number;
  /** Hex MD5 of the file, enforced when set. */
  readonly md5?: string;
  /** Hex SHA-256 of the file, enforced when set. */
  readonly sha256?: string;
  /** Not needed by the default pipeline (e.g. the official training triples). */
  readonly optional?: boolean;
  readonly description: string;
}

/** A full-scale dataset: its files, what it is, and its licence. */
export interface FullScaleDataset {
  readonly name: string;
  readonly description: string;
  readonly licence: string;
  readonly files: readonly RemoteFile[];
}

const MARCO = 'https://msmarco.z22.web.core.windows.net/msmarcoranking';
const DPR = 'https://dl.fbaipublicfiles.com/dpr';
const MS_MARCO_LICENCE = 'MS MARCO terms: non-commercial research use only.';
const NQ_LICENCE = 'NQ: CC BY-SA 3.0; TriviaQA: Apache-2.0 (questions); Wikipedia passages: CC BY-SA 3.0. DPR files: CC BY-NC 4.0 (facebookresearch/DPR).';

const PSGS_W100: RemoteFile = {
  dest: 'wikipedia/psgs_w100.tsv.gz',
  url: `${DPR}/wikipedia_split/psgs_w100.tsv.gz`,
  sizeHint: 4694541059,
  md5: '612fe66e0b6b41ee28f806140226c563',
  description: 'DPR Wikipedia corpus: 21,015,324 passages of 100 words (id, text, title; one header line).',
};

const DL19: RemoteFile[] = [
  { dest: 'trec-dl-2019/msmarco-test2019-queries.tsv.gz', url: `${MARCO}/msmarco-test2019-queries.tsv.gz`, sizeHint: 4276, md5: 'eda71eccbe4d251af83150abe065368c', description: 'TREC DL 2019 test queries (200; 43 judged).' },
  { dest: 'trec-dl-2019/2019qrels-pass.txt', url: 'https://trec.nist.gov/data/deep/2019qrels-pass.txt', sizeHint: 187092, md5: '2f4be390198da108f6845c822e5ada14', description: 'TREC DL 2019 passage qrels (NIST, graded 0-3).' },
];

const DL20: RemoteFile[] = [
  { dest: 'trec-dl-2020/msmarco-test2020-queries.tsv.gz', url: `${MARCO}/msmarco-test2020-queries.tsv.gz`, sizeHint: 4131, md5: '00a406fb0d14ed3752d70d1e4eb98600', description: 'TREC DL 2020 test queries (200; 54 judged).' },
  { dest: 'trec-dl-2020/2020qrels-pass.txt', url: 'https://trec.nist.gov/data/deep/2020qrels-pass.txt', sizeHint: 218617, md5: '0355ccee7509ac0463e8278186cdd8d1', description: 'TREC DL 2020 passage qrels (NIST, graded 0-3).' },
];

/** All full-scale definitions by name. */
export const FULL_SCALE_DATASETS: Readonly<Record<string, FullScaleDataset>> = {
  'msmarco-passage': {
    name: 'msmarco-passage',
    description: 'MS MARCO passage ranking v1: 8,841,823 passages, train/dev/eval queries, train and dev qrels (the paper\'s training data and MRR@10 dev set).',
    licence: MS_MARCO_LICENCE,
    files: [
      { dest: 'msmarco-passage/collectionandqueries.tar.gz', url: `${MARCO}/collectionandqueries.tar.gz`, sizeHint: 1057717952, md5: '31644046b18952c1386cd4564ba2ae69', description: 'collection.tsv (pid\\ttext) and queries.{train,dev,eval}.tsv, qrels.dev.small.tsv.' },
      { dest: 'msmarco-passage/qrels.train.tsv', url: `${MARCO}/qrels.train.tsv`, sizeHint: 10589532, md5: '733fb9fe12d93e497f7289409316eccf', description: 'Training qrels (qid 0 pid 1).' },
      { dest: 'msmarco-passage/qrels.dev.tsv', url: `${MARCO}/qrels.dev.tsv`, sizeHint: 1201626, md5: '9157ccaeaa8227f91722ba5770787b16', description: 'Full dev qrels.' },
      { dest: 'msmarco-passage/qidpidtriples.train.full.2.tsv.gz', url: `${MARCO}/qidpidtriples.train.full.2.tsv.gz`, sizeHint: 1841693309, md5: '219083e80a0a751c08b968c2f31a4e0b', optional: true, description: 'Official training triples as ids (qid, positive pid, BM25 negative pid).' },
      { dest: 'msmarco-passage/top1000.dev.tar.gz', url: `${MARCO}/top1000.dev.tar.gz`, sizeHint: 687414398, md5: '8c140662bdf123a98fbfe3bb174c5831', optional: true, description: 'BM25 top-1000 per dev query (official candidates).' },
    ],
  },
  'trec-dl19-passage': {
    name: 'trec-dl19-passage',
    description: 'TREC DL 2019 passage task over the full MS MARCO corpus (needs msmarco-passage for the collection).',
    licence: `${MS_MARCO_LICENCE} Qrels: NIST TREC, research use.`,
    files: DL19,
  },
  'trec-dl20-passage': {
    name: 'trec-dl20-passage',
    description: 'TREC DL 2020 passage task over the full MS MARCO corpus (needs msmarco-passage for the collection).',
    licence: `${MS_MARCO_LICENCE} Qrels: NIST TREC, research use.`,
    files: DL20,
  },
  'nq-dpr': {
    name: 'nq-dpr',
    description: 'Natural Questions in DPR format: retriever train/dev files with positives and BM25 hard negatives, test questions with answers, and the psgs_w100 Wikipedia corpus (R@20 on test).',
    licence: NQ_LICENCE,
    files: [
      PSGS_W100,
      { dest: 'nq/biencoder-nq-train.json.gz', url: `${DPR}/data/retriever/biencoder-nq-train.json.gz`, sizeHint: 2314892908, md5: 'a1c927b5adae71388eb064329387709f', description: 'NQ retriever training records (58,880 questions).' },
      { dest: 'nq/biencoder-nq-dev.json.gz', url: `${DPR}/data/retriever/biencoder-nq-dev.json.gz`, sizeHint: 256239282, md5: '2640483dbe0df7ae29c6da419c551a80', description: 'NQ retriever dev records.' },
      // No published checksum or size found for the .qa.csv files: md5/sha256 deliberately undefined.
      { dest: 'nq/nq-test.qa.csv', url: `${DPR}/data/retriever/nq-test.qa.csv`, description: 'NQ test questions with answers (3,610); checksum not published.' },
      { dest: 'nq/nq-dev.qa.csv', url: `${DPR}/data/retriever/nq-dev.qa.csv`, optional: true, description: 'NQ dev questions with answers; checksum not published.' },
    ],
  },
  'triviaqa-dpr': {
    name: 'triviaqa-dpr',
    description: 'TriviaQA in DPR format: retriever train/dev files, test questions with answers, and the psgs_w100 corpus.',
    licence: NQ_LICENCE,
    files: [
      PSGS_W100,
      { dest: 'triviaqa/biencoder-trivia-train.json.gz', url: `${DPR}/data/retriever/biencoder-trivia-train.json.gz`, sizeHint: 1848559940, md5: '5aa4d3577c91425cd20e239ed89a252b', description: 'TriviaQA retriever training records.' },
      { dest: 'triviaqa/biencoder-trivia-dev.json.gz', url: `${DPR}/data/retriever/biencoder-trivia-dev.json.gz`, sizeHint: 207271749, md5: 'd559dffe09acfe5a6370adea55b8abf2', description: 'TriviaQA retriever dev records.' },
      // No published checksum or size found: left undefined.
      { dest: 'triviaqa/trivia-test.qa.csv.gz', url: `${DPR}/data/retriever/trivia-test.qa.csv.gz`, description: 'TriviaQA test questions with answers (11,313); checksum not published.' },
    ],
  },
};

/** Looks up a full-scale definition, failing with the list of known names. */
export function fullScaleDataset(name: string): FullScaleDataset {
  const d = FULL_SCALE_DATASETS[name];
  if (!d) throw new Error(`unknown full-scale dataset "${name}"; known: ${Object.keys(FULL_SCALE_DATASETS).join(', ')}`);
  return d;
}

/** Approximate bytes a dataset's download needs (files without a size hint count as 0). */
export function approximateBytes(d: FullScaleDataset, opts: { includeOptional?: boolean } = {}): number {
  return d.files.filter((f) => opts.includeOptional || !f.optional).reduce((s, f) => s + (f.sizeHint ?? f.expectedBytes ?? 0), 0);
}
