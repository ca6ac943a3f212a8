/**
 * JSON-lines collections: BEIR `corpus.jsonl` and our `passages.jsonl(.gz)` (`_id`, optional
 * `title`, `text`; the DL21/22 bundles use `docid`), and JSONL queries, validated record by record with zod.
 */
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { readLines } from '../io/lines';
import { writeFileAtomic } from '../io/atomic';
import type { Collection, Loaded, Passage, Query, QuerySet } from './types';
import { IdTracker, LoadReporter, acceptText, fileStem, type ReadOptions } from './validate';
import { ChunkedMap } from './chunkedMap';

const idField = z.union([z.string(), z.number()]).transform((v) => String(v).trim());

const passageRecord = z.object({
  _id: idField.optional(),
  docid: idField.optional(),
  id: idField.optional(),
  title: z.string().nullish(),
  text: z.string(),
});

/** Parses one JSON line into an object, or returns the reason it is not one. */
export function parseJsonLine(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: `invalid JSON (${(e as Error).message})` };
  }
}

/** Describes a zod failure in one short line: field path and message. */
export function zodReason(err: z.ZodError): string {
  const issue = err.issues[0];
  const at = issue.path.length > 0 ? issue.path.join('.') : 'record';
  return `invalid record: ${at}: ${issue.message}`;
}

/**
 * Yields every line of a JSONL file that parses and matches `schema`; blank lines, invalid JSON
 * and schema failures are skipped and reported (with their line) through `reporter`.
 */
export async function* validJsonLines<S extends z.ZodType>(
  path: string, schema: S, reporter: LoadReporter,
): AsyncGenerator<{ line: number; record: z.output<S> }> {
  for await (const { line, text } of readLines(path)) {
    if (text.trim() === '') {
      reporter.skip(line, 'blank line');
      continue;
    }
    const parsed = parseJsonLine(text);
    if ('error' in parsed) {
      reporter.skip(line, parsed.error);
      continue;
    }
    const rec = schema.safeParse(parsed.value);
    if (!rec.success) {
      reporter.skip(line, zodReason(rec.error));
      continue;
    }
    yield { line, record: rec.data };
  }
}

/** Reads a JSONL collection (`_id` | `docid` | `id`, optional `title`, `text`), gzip-aware. */
export async function readJsonlCollection(path: string, opts: ReadOptions = {}): Promise<Loaded<Collection>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const passages = new ChunkedMap<string, Passage>();
  for await (const { line, record } of validJsonLines(path, passageRecord, reporter)) {
    const id = record._id ?? record.docid ?? record.id;
    if (id === undefined || id === '') {
      reporter.skip(line, 'missing id (_id, docid or id)');
      continue;
    }
    if (!acceptText(reporter, line, record.text)) continue;
    const dup = ids.check(id, line);
    if (dup) {
      reporter.skip(line, dup);
      continue;
    }
    const title = record.title?.trim() ? record.title : undefined;
    passages.set(id, title === undefined ? { id, text: record.text } : { id, title, text: record.text });
  }
  const report = reporter.finish(passages.size);
  return { value: { name: opts.name ?? fileStem(path), passages }, report };
}

const queryRecord = z.object({
  _id: idField.optional(),
  qid: idField.optional(),
  id: idField.optional(),
  text: z.string().optional(),
  query: z.string().optional(),
});

/** Reads JSONL queries (`_id` | `qid` | `id`, and `text` | `query`), gzip-aware. */
export async function readJsonlQueries(path: string, opts: ReadOptions = {}): Promise<Loaded<QuerySet>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const queries = new Map<string, Query>();
  for await (const { line, record } of validJsonLines(path, queryRecord, reporter)) {
    const id = record._id ?? record.qid ?? record.id;
    if (id === undefined || id === '') {
      reporter.skip(line, 'missing id (_id, qid or id)');
      continue;
    }
    const text = record.text ?? record.query;
    if (text === undefined) {
      reporter.skip(line, 'missing query text (text or query)');
      continue;
    }
    if (!acceptText(reporter, line, text, 'query text')) continue;
    const dup = ids.check(id, line);
    if (dup) {
      reporter.skip(line, dup);
      continue;
    }
    queries.set(id, { id, text });
  }
  const report = reporter.finish(queries.size);
  return { value: { name: opts.name ?? fileStem(path), queries }, report };
}

/** Writes a collection as BEIR-style JSONL (`_id`, `title` when set, `text`), gzipped when the path ends in .gz. */
export async function writeJsonlCollection(path: string, collection: Collection): Promise<void> {
  const lines: string[] = [];
  for (const p of collection.passages.values()) {
    lines.push(JSON.stringify(p.title === undefined ? { _id: p.id, text: p.text } : { _id: p.id, title: p.title, text: p.text }) + '\n');
  }
  const body = lines.join('');
  await writeFileAtomic(path, path.endsWith('.gz') ? gzipSync(Buffer.from(body, 'utf8')) : body);
}
