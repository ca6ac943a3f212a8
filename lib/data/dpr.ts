/**
 * DPR formats (NQ, TriviaQA): retriever training files (`question`, `answers`, `positive_ctxs`,
 * `negative_ctxs`, `hard_negative_ctxs`; JSON array or JSONL) and `*.qa.csv` question files
 * (`question\t['ans1', 'ans2']`). Query ids are 0-based record / line indices, as DPR numbers them.
 */
import { z } from 'zod';
import { readLines } from '../io/lines';
import type { CandidateLists, Collection, DocId, Loaded, Passage, Qrels, Query, QuerySet } from './types';
import { jsonRecords } from './jsonRecords';
import { parseJsonLine, zodReason } from './jsonl';
import { parsePythonStringList } from './pythonList';
import { IdTracker, LoadReporter, acceptText, fileStem, textProblem, type ReadOptions } from './validate';
import { ChunkedMap } from './chunkedMap';

const ctxSchema = z.object({
  title: z.string().nullish(),
  text: z.string(),
  passage_id: z.union([z.string(), z.number()]).optional(),
  psg_id: z.union([z.string(), z.number()]).optional(),
  id: z.union([z.string(), z.number()]).optional(),
});

const recordSchema = z.object({
  question: z.string(),
  answers: z.array(z.string()).default([]),
  positive_ctxs: z.array(ctxSchema).default([]),
  negative_ctxs: z.array(ctxSchema).default([]),
  hard_negative_ctxs: z.array(ctxSchema).default([]),
});

type Ctx = z.infer<typeof ctxSchema>;

/** Everything a DPR retriever file holds, in our types. */
export interface DprRetrieverData {
  readonly queries: QuerySet;
  readonly collection: Collection;
  /** Positives only, grade 1 (DPR's negatives are unjudged retrieval results, not judged non-relevant). */
  readonly qrels: Qrels;
  /** Per query: positives, then hard negatives, then negatives, each passage once. */
  readonly candidates: CandidateLists;
}

function ctxId(c: Ctx): string | undefined {
  const v = c.passage_id ?? c.psg_id ?? c.id;
  return v === undefined ? undefined : String(v).trim() || undefined;
}

/** One DPR training record: the question (id = 0-based record index) and its contexts by kind. */
export interface DprRecord {
  readonly line: number;
  readonly query: Query;
  readonly positives: readonly Passage[];
  readonly hardNegatives: readonly Passage[];
  readonly negatives: readonly Passage[];
}

/**
 * Streams the records of a DPR retriever file one at a time (for multi-GB training files).
 * Bad records go to the reporter; contexts without an id or with unusable text are dropped and
 * counted as one warning each kind when the stream ends.
 */
export async function* streamDprRecords(path: string, reporter: LoadReporter): AsyncGenerator<DprRecord> {
  let index = -1;
  let ctxWithoutId = 0;
  let ctxBadText = 0;
  let recordLine = 0;
  const toPassages = (ctxs: Ctx[]): Passage[] => {
    const [noId, badText] = [ctxWithoutId, ctxBadText];
    const out: Passage[] = [];
    for (const c of ctxs) {
      const id = ctxId(c);
      if (id === undefined) ctxWithoutId += 1;
      else if (textProblem(c.text) !== undefined) ctxBadText += 1;
      else out.push(c.title?.trim() ? { id, title: c.title, text: c.text } : { id, text: c.text });
    }
    if (ctxWithoutId > noId) reporter.warn(`${ctxWithoutId - noId} context(s) without passage_id/psg_id/id ignored`, recordLine);
    if (ctxBadText > badText) reporter.warn(`${ctxBadText - badText} context(s) with empty or corrupted text ignored`, recordLine);
    return out;
  };
  for await (const rec of jsonRecords(path)) {
    index += 1;
    recordLine = rec.line;
    const parsed = parseJsonLine(rec.text);
    if ('error' in parsed) {
      reporter.skip(rec.line, parsed.error);
      continue;
    }
    const r = recordSchema.safeParse(parsed.value);
    if (!r.success) {
      reporter.skip(rec.line, zodReason(r.error));
      continue;
    }
    if (!acceptText(reporter, rec.line, r.data.question, 'question')) continue;
    const qid = String(index);
    yield {
      line: rec.line,
      query: { id: qid, text: r.data.question, answers: r.data.answers },
      positives: toPassages(r.data.positive_ctxs),
      hardNegatives: toPassages(r.data.hard_negative_ctxs),
      negatives: toPassages(r.data.negative_ctxs),
    };
  }
  if (ctxWithoutId > 0) reporter.note(`${ctxWithoutId} context(s) without passage_id/psg_id/id were ignored in all (each record listed)`);
  if (ctxBadText > 0) reporter.note(`${ctxBadText} context(s) with empty or corrupted text were ignored in all (each record listed)`);
}

/** Reads a DPR retriever file (JSON array or JSONL, gzip-aware) into queries, passages, qrels and candidates. */
export async function readDprRetrieverFile(path: string, opts: ReadOptions = {}): Promise<Loaded<DprRetrieverData>> {
  const reporter = new LoadReporter(path, opts.strict);
  const name = opts.name ?? fileStem(path);
  const queries = new Map<string, Query>();
  const passages = new ChunkedMap<string, Passage>();
  const judgments = new Map<string, Map<string, number>>();
  const candidates = new Map<string, DocId[]>();
  let conflictingText = 0;
  for await (const rec of streamDprRecords(path, reporter)) {
    const qid = rec.query.id;
    queries.set(qid, rec.query);
    const list: DocId[] = [];
    const seen = new Set<DocId>();
    for (const p of [...rec.positives, ...rec.hardNegatives, ...rec.negatives]) {
      const known = passages.get(p.id);
      if (known === undefined) passages.set(p.id, p);
      else if (known.text !== p.text) conflictingText += 1;
      if (!seen.has(p.id)) {
        seen.add(p.id);
        list.push(p.id);
      }
    }
    if (rec.positives.length > 0) judgments.set(qid, new Map(rec.positives.map((p) => [p.id, 1])));
    candidates.set(qid, list);
  }
  if (conflictingText > 0) reporter.warn(`${conflictingText} context(s) repeat a passage id with a different text (first text kept)`);
  const noPositive = [...queries.keys()].filter((q) => !judgments.has(q)).length;
  if (noPositive > 0) reporter.warn(`${noPositive} question(s) have no positive context`);
  const report = reporter.finish(queries.size);
  return {
    value: {
      queries: { name, queries },
      collection: { name, passages },
      qrels: { name, judgments },
      candidates: { byQuery: candidates },
    },
    report,
  };
}

/** Reads a DPR question file (`question\t['ans1', 'ans2']`, e.g. nq-test.qa.csv); ids are line number - 1. */
export async function readDprQuestions(path: string, opts: ReadOptions = {}): Promise<Loaded<QuerySet>> {
  const reporter = new LoadReporter(path, opts.strict);
  const queries = new Map<string, Query>();
  for await (const { line, text } of readLines(path)) {
    if (text.trim() === '') {
      reporter.skip(line, 'blank line');
      continue;
    }
    // The question may itself contain tabs; the answers column is the last one and starts with "[".
    const cut = text.lastIndexOf('\t[');
    if (cut < 0) {
      reporter.skip(line, 'expected "question<TAB>[answers]"');
      continue;
    }
    const question = text.slice(0, cut);
    let answers: string[];
    try {
      answers = parsePythonStringList(text.slice(cut + 1));
    } catch (e) {
      reporter.skip(line, (e as Error).message);
      continue;
    }
    if (!acceptText(reporter, line, question, 'question')) continue;
    const id = String(line - 1);
    queries.set(id, { id, text: question, answers });
  }
  const report = reporter.finish(queries.size);
  return { value: { name: opts.name ?? fileStem(path), queries }, report };
}

/** Removes CSV-style quoting (`"a ""b"""` → `a "b"`) as used by psgs_w100.tsv. */
function unquote(field: string): string {
  return field.length >= 2 && field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
}

/**
 * Streams DPR's Wikipedia corpus `psgs_w100.tsv(.gz)` (header `id\ttext\ttitle`, quoted text) as
 * passages with titles, for the 21M-passage file. Malformed lines go to `opts.reporter` when given, else throw.
 */
export async function* streamDprWikipedia(path: string, opts: { reporter?: LoadReporter; onLine?: (line: number) => void } = {}): AsyncGenerator<Passage> {
  const reporter = opts.reporter ?? new LoadReporter(path, true);
  for await (const { line, text } of readLines(path)) {
    opts.onLine?.(line);
    if (line === 1 && text === 'id\ttext\ttitle') continue;
    const cols = text.split('\t');
    if (cols.length !== 3) {
      reporter.skip(line, `expected 3 tab-separated columns (id, text, title), found ${cols.length}`);
      continue;
    }
    const id = cols[0].trim();
    const body = unquote(cols[1]);
    const title = unquote(cols[2]);
    if (id === '') {
      reporter.skip(line, 'empty id');
      continue;
    }
    if (!acceptText(reporter, line, body)) continue;
    yield title.trim() ? { id, title, text: body } : { id, text: body };
  }
}

/** Reads a psgs_w100-style TSV into a collection (duplicate ids skipped and reported). */
export async function readDprPassages(path: string, opts: ReadOptions = {}): Promise<Loaded<Collection>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const passages = new ChunkedMap<string, Passage>();
  let line = 0;
  for await (const p of streamDprWikipedia(path, { reporter, onLine: (n) => { line = n; } })) {
    const dup = ids.check(p.id, line);
    if (dup) {
      reporter.skip(line, dup);
      continue;
    }
    passages.set(p.id, p);
  }
  const report = reporter.finish(passages.size);
  return { value: { name: opts.name ?? fileStem(path), passages }, report };
}
