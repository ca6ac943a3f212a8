/**
 * MS MARCO-style TSV: `queries.*.tsv` / our `queries.tsv` (`qid\ttext`) and `collection.tsv`
 * (`pid\ttext`), streamed line by line (8.8M passages never sit in one string), gzip-aware.
 */
import { readLines } from '../io/lines';
import { writeFileAtomic } from '../io/atomic';
import type { Collection, Loaded, Passage, Query, QuerySet } from './types';
import { IdTracker, LoadReporter, acceptText, fileStem, type ReadOptions } from './validate';
import { ChunkedMap } from './chunkedMap';

interface IdText {
  readonly line: number;
  readonly id: string;
  readonly text: string;
}

/** Yields well-formed `id\ttext` rows; malformed rows go to the reporter. */
async function* idTextRows(path: string, reporter: LoadReporter): AsyncGenerator<IdText> {
  for await (const { line, text } of readLines(path)) {
    if (text.trim() === '') {
      reporter.skip(line, 'blank line');
      continue;
    }
    const cols = text.split('\t');
    if (cols.length !== 2) {
      reporter.skip(line, `expected 2 tab-separated columns (id, text), found ${cols.length}`);
      continue;
    }
    const id = cols[0].trim();
    if (id === '' || /\s/.test(id)) {
      reporter.skip(line, `malformed id "${cols[0]}"`);
      continue;
    }
    if (!acceptText(reporter, line, cols[1])) continue;
    yield { line, id, text: cols[1] };
  }
}

/** Reads `qid\ttext` queries (MS MARCO queries.*.tsv, our demo queries.tsv). */
export async function readTsvQueries(path: string, opts: ReadOptions = {}): Promise<Loaded<QuerySet>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const queries = new Map<string, Query>();
  for await (const row of idTextRows(path, reporter)) {
    const dup = ids.check(row.id, row.line);
    if (dup) {
      reporter.skip(row.line, dup);
      continue;
    }
    queries.set(row.id, { id: row.id, text: row.text });
  }
  const report = reporter.finish(queries.size);
  return { value: { name: opts.name ?? fileStem(path), queries }, report };
}

/**
 * Streams `pid\ttext` passages without duplicate checks or holding them (for 8.8M-passage files).
 * Malformed lines go to `opts.reporter` when given, else they throw.
 */
export async function* streamTsvCollection(
  path: string,
  opts: { reporter?: LoadReporter } = {},
): AsyncGenerator<Passage> {
  const reporter = opts.reporter ?? new LoadReporter(path, true);
  for await (const row of idTextRows(path, reporter)) yield { id: row.id, text: row.text };
}

/** Reads a whole `pid\ttext` collection (MS MARCO collection.tsv) into memory. */
export async function readTsvCollection(path: string, opts: ReadOptions = {}): Promise<Loaded<Collection>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const passages = new ChunkedMap<string, Passage>();
  for await (const row of idTextRows(path, reporter)) {
    const dup = ids.check(row.id, row.line);
    if (dup) {
      reporter.skip(row.line, dup);
      continue;
    }
    passages.set(row.id, { id: row.id, text: row.text });
  }
  const report = reporter.finish(passages.size);
  return { value: { name: opts.name ?? fileStem(path), passages }, report };
}

/** Tabs and newlines inside a field would break the TSV row, so they become spaces. */
function tsvField(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ');
}

/** Writes queries as `qid\ttext` lines, atomically. */
export async function writeTsvQueries(path: string, queries: QuerySet): Promise<void> {
  const lines: string[] = [];
  for (const q of queries.queries.values()) lines.push(`${tsvField(q.id)}\t${tsvField(q.text)}\n`);
  await writeFileAtomic(path, lines.join(''));
}

/** Writes passages as `pid\ttext` lines (a title, if any, is prefixed to the text), atomically. */
export async function writeTsvCollection(path: string, collection: Collection): Promise<void> {
  const lines: string[] = [];
  for (const p of collection.passages.values()) {
    const text = p.title ? `${p.title} ${p.text}` : p.text;
    lines.push(`${tsvField(p.id)}\t${tsvField(text)}\n`);
  }
  await writeFileAtomic(path, lines.join(''));
}
