/**
 * BEIR formats beyond the corpus: `queries.jsonl` (`_id`, `text`) and `qrels/*.tsv`
 * (header `query-id\tcorpus-id\tscore`, then one judgment per line).
 */
import { z } from 'zod';
import { readLines } from '../io/lines';
import type { Loaded, Qrels, Query, QuerySet } from './types';
import { validJsonLines } from './jsonl';
import { IdTracker, JudgmentTable, LoadReporter, acceptText, fileStem, type ReadOptions } from './validate';

const queryRecord = z.object({
  _id: z.union([z.string(), z.number()]).transform((v) => String(v).trim()),
  text: z.string(),
});

/** Reads BEIR `queries.jsonl` (`_id`, `text`; other fields such as `metadata` are ignored). */
export async function readBeirQueries(path: string, opts: ReadOptions = {}): Promise<Loaded<QuerySet>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const queries = new Map<string, Query>();
  for await (const { line, record } of validJsonLines(path, queryRecord, reporter)) {
    if (record._id === '') {
      reporter.skip(line, 'empty _id');
      continue;
    }
    if (!acceptText(reporter, line, record.text)) continue;
    const dup = ids.check(record._id, line);
    if (dup) {
      reporter.skip(line, dup);
      continue;
    }
    queries.set(record._id, { id: record._id, text: record.text });
  }
  const report = reporter.finish(queries.size);
  return { value: { name: opts.name ?? fileStem(path), queries }, report };
}

/** Reads BEIR `qrels/*.tsv` (`query-id\tcorpus-id\tscore` with that header) into graded qrels. */
export async function readBeirQrels(path: string, opts: ReadOptions = {}): Promise<Loaded<Qrels>> {
  const reporter = new LoadReporter(path, opts.strict);
  const table = new JudgmentTable();
  for await (const { line, text } of readLines(path)) {
    if (line === 1) {
      if (text.trim() !== 'query-id\tcorpus-id\tscore') reporter.skip(line, 'expected header "query-id\\tcorpus-id\\tscore"');
      continue;
    }
    if (text.trim() === '') {
      reporter.skip(line, 'blank line');
      continue;
    }
    const cols = text.split('\t');
    if (cols.length !== 3) {
      reporter.skip(line, `expected 3 tab-separated columns (query-id, corpus-id, score), found ${cols.length}`);
      continue;
    }
    const [q, d, s] = cols.map((c) => c.trim());
    const grade = Number(s);
    if (q === '' || d === '' || s === '' || !Number.isInteger(grade)) {
      reporter.skip(line, `malformed judgment "${text}" (score must be an integer)`);
      continue;
    }
    const first = table.add(q, d, grade, line);
    if (first !== undefined) reporter.skip(line, `duplicate judgment for query "${q}", document "${d}" (first at line ${first})`);
  }
  const report = reporter.finish(table.records);
  return { value: { name: opts.name ?? fileStem(path), judgments: table.judgments }, report };
}
