/**
 * The schema of a config's `datasets` object: each name maps to a format and its files, so a user
 * adapts the package to their own collection by config alone. Paths are relative to the folder of
 * the config file. A leaf module: zod, node:path and const lists only, no readers (those are in lib/data).
 */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/** The formats a dataset spec may declare. */
export const DATASET_FORMATS = ['beir', 'msmarco', 'trec', 'smart', 'dpr', 'jsonl'] as const;
/** One of {@link DATASET_FORMATS}. */
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** How a TREC-format collection stores its documents (`auto`: by extension, `.jsonl`/`.tsv`, else SGML). */
export const TREC_DOCUMENT_FORMATS = ['auto', 'sgml', 'jsonl', 'tsv'] as const;
/** How topics are stored (`auto`: a file starting with `<` is SGML `<top>`/`<DOC>`, else `qid\ttext`). */
export const TOPIC_FORMATS = ['auto', 'sgml', 'tsv'] as const;
/** Column names a qrels file may declare; `ignore` skips a column; without `grade` every listed pair is relevant (1). */
export const QRELS_COLUMNS = ['qid', 'docid', 'grade', 'ignore'] as const;
/** SMART query ids: the `.I` numbers, 1..n in file order (Cranfield's cranqrel), or whichever the qrels use. */
export const SMART_QUERY_IDS = ['auto', 'original', 'sequential'] as const;

const path = z.string().min(1, 'a file path is required');

/** A seeded split of the dataset's judged queries into `NAME/train` and `NAME/test`. */
export const DatasetSplitSchema = z.strictObject({
  testFraction: z.number().gt(0, 'testFraction must be in (0, 1)').lt(1, 'testFraction must be in (0, 1)'),
  seed: z.number().int('seed must be an integer'),
});

/**
 * Qrels columns: `auto` (the default) reads BEIR's `query-id corpus-id score` header, `qid docid grade`
 * (3 columns), TREC `qid iter docid grade`, or SMART's `qid docid 0 0.0` (4 columns); a list declares them.
 */
export const QrelsColumnsSchema = z.union([
  z.literal('auto'),
  z.array(z.enum(QRELS_COLUMNS)).min(2).refine(
    (cols) => cols.filter((c) => c === 'qid').length === 1 && cols.filter((c) => c === 'docid').length === 1 && cols.filter((c) => c === 'grade').length <= 1,
    'qrels columns need exactly one "qid", one "docid" and at most one "grade"',
  ),
]);

const common = {
  /** System name → TREC run file over this dataset's queries. */
  runs: z.record(z.string().min(1), path).optional(),
  split: DatasetSplitSchema.optional(),
  licence: z.string().optional(),
  description: z.string().optional(),
};

const BeirSpecSchema = z.strictObject({
  format: z.literal('beir'),
  /** The BEIR folder: corpus.jsonl(.gz), queries.jsonl(.gz), qrels/NAME.tsv. */
  dir: path,
  /** Which qrels/NAME.tsv to read. */
  qrels: z.string().min(1).default('test'),
  ...common,
});

const MsmarcoSpecSchema = z.strictObject({
  format: z.literal('msmarco'),
  /** collection.tsv (`pid\ttext`). */
  documents: path,
  /** Queries TSV (`qid\ttext`). */
  queries: path,
  /** TREC qrels or MS MARCO's 4-column `qid 0 pid grade`. */
  qrels: path.optional(),
  qrelsColumns: QrelsColumnsSchema.default('auto'),
  ...common,
});

const TrecSpecSchema = z.strictObject({
  format: z.literal('trec'),
  /** TREC SGML (`<DOC><DOCNO>…</DOCNO>…</DOC>`), JSONL or `id\ttext` TSV. */
  documents: path,
  documentsFormat: z.enum(TREC_DOCUMENT_FORMATS).default('auto'),
  /** TREC topics (`<top>`, `<DOC>`-style) or `qid\ttext` TSV. */
  queries: path,
  queriesFormat: z.enum(TOPIC_FORMATS).default('auto'),
  qrels: path.optional(),
  qrelsColumns: QrelsColumnsSchema.default('auto'),
  ...common,
});

const SmartSpecSchema = z.strictObject({
  format: z.literal('smart'),
  /** `.I` records with `.T` title, `.W` text (`.A`, `.B`, `.X`, … read and ignored). */
  documents: path,
  queries: path,
  queryIds: z.enum(SMART_QUERY_IDS).default('auto'),
  qrels: path.optional(),
  qrelsColumns: QrelsColumnsSchema.default('auto'),
  ...common,
});

const DprSpecSchema = z.strictObject({
  format: z.literal('dpr'),
  /** Retriever file (JSON array or JSONL): questions, positives, hard negatives, negatives. */
  retriever: path.optional(),
  /** psgs_w100-style TSV (`id\ttext\ttitle`). */
  documents: path.optional(),
  /** qa CSV (`question\t['answer', …]`). */
  queries: path.optional(),
  ...common,
}).refine((s) => s.retriever !== undefined || (s.documents !== undefined && s.queries !== undefined), {
  message: 'a dpr dataset needs "retriever", or both "documents" (psgs TSV) and "queries" (qa CSV)',
});

const JsonlSpecSchema = z.strictObject({
  format: z.literal('jsonl'),
  /** One passage per line: `_id` | `docid` | `id`, optional `title`, `text`. */
  documents: path,
  /** One query per line: `_id` | `qid` | `id`, `text` | `query`. */
  queries: path,
  qrels: path.optional(),
  qrelsColumns: QrelsColumnsSchema.default('auto'),
  ...common,
});

/** One dataset declared by its files, discriminated on `format`. */
export const DatasetSpecSchema = z.discriminatedUnion('format', [
  BeirSpecSchema, MsmarcoSpecSchema, TrecSpecSchema, SmartSpecSchema, DprSpecSchema, JsonlSpecSchema,
]);

/** Dataset names: no `/` (it separates `NAME/train`), no leading dot or space. */
export const DatasetNameSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, 'dataset names use letters, digits, "_", ".", "+", "-" (no "/": it separates NAME/train and NAME/test)');

/** A config's `datasets` object: name → spec. */
export const DatasetSpecsSchema = z.record(DatasetNameSchema, DatasetSpecSchema);

/** A validated dataset spec (defaults applied). */
export type DatasetSpec = z.output<typeof DatasetSpecSchema>;
/** A dataset spec as written in a config (defaults optional). */
export type DatasetSpecInput = z.input<typeof DatasetSpecSchema>;
/** A validated `datasets` object. */
export type DatasetSpecs = Readonly<Record<string, DatasetSpec>>;
/** A split declaration. */
export type DatasetSplit = z.output<typeof DatasetSplitSchema>;
/** Declared or auto-detected qrels columns. */
export type QrelsColumns = z.output<typeof QrelsColumnsSchema>;

const PATH_FIELDS = ['dir', 'documents', 'queries', 'qrels', 'retriever'] as const;

/** The fields of a spec that hold file paths (BEIR's `qrels` names a file inside `dir`, so it is not one). */
function pathFields(spec: { readonly format?: unknown }): string[] {
  return PATH_FIELDS.filter((f) => !(f === 'qrels' && spec.format === 'beir'));
}

/** Every file or folder a validated spec reads: its path fields and its run files. */
export function specFilePaths(spec: DatasetSpec): string[] {
  const fields = spec as unknown as Record<string, unknown>;
  const paths = pathFields(spec).map((f) => fields[f]).filter((v): v is string => typeof v === 'string');
  return [...paths, ...Object.values(spec.runs ?? {})];
}

/**
 * A parsed config's raw `datasets` object with every file path made absolute against `baseDir`.
 * Run before validation, like resolveModelPathsIn, so a spec means the same files wherever the
 * process runs.
 */
export function resolveDatasetPathsIn(rawDatasets: unknown, baseDir: string): unknown {
  if (typeof rawDatasets !== 'object' || rawDatasets === null || Array.isArray(rawDatasets)) return rawDatasets;
  const at = (v: unknown): unknown => (typeof v === 'string' && v !== '' && !isAbsolute(v) ? resolve(baseDir, v) : v);
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(rawDatasets)) {
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) { out[name] = spec; continue; }
    const s: Record<string, unknown> = { ...spec };
    for (const field of pathFields(s)) if (field in s) s[field] = at(s[field]);
    if (typeof s.runs === 'object' && s.runs !== null && !Array.isArray(s.runs)) {
      s.runs = Object.fromEntries(Object.entries(s.runs).map(([k, v]) => [k, at(v)]));
    }
    out[name] = s;
  }
  return out;
}
