/**
 * SMART-format test collections (Cranfield, CACM, CISI, MED): records open with `.I n`, then
 * fields `.T` title, `.A` authors, `.B` bibliography, `.W` text (others such as `.X`, `.N`, `.K`
 * are read and ignored). Also Cranfield's `cranqrel` (`qid docid code`).
 *
 * Cranfield quirks, handled here:
 *  - `cran.qry` numbers its 225 queries 1, 2, 4, 8, 9, … 365, while `cranqrel` numbers them
 *    1..225 in file order. `readSmartQueries(path, { ids: 'sequential' })` gives the ids cranqrel
 *    uses; the default `'original'` keeps the `.I` numbers (leading zeros removed).
 *  - documents 471 and 995 are empty (no title, no text): they are skipped and reported.
 *  - cranqrel codes are -1, 1, 2, 3, 4. Following ir_datasets, 4 = complete answer, 3 = high
 *    relevance, 2 = useful background, 1 = minimum interest, -1 = no interest; so by default a code
 *    c ≥ 1 becomes grade c and -1 becomes grade 0 (judged non-relevant). The original Cranfield
 *    report numbers the scale the other way (1 = complete answer, 5 = no interest); `scale:
 *    'original'` maps 1→4, 2→3, 3→2, 4→1, 5 and -1→0 for that reading.
 */
import { readLines } from '../io/lines';
import type { Collection, Loaded, Passage, Qrels, Query, QuerySet } from './types';
import { IdTracker, JudgmentTable, LoadReporter, acceptText, fileStem, type ReadOptions } from './validate';

/** One `.I` record: its id, the line it starts on, and its fields by letter. */
export interface SmartRecord {
  readonly id: string;
  readonly line: number;
  readonly fields: ReadonlyMap<string, string>;
}

/** Numeric ids are normalised (`001` → `1`) so they match qrels files; others are kept as written. */
function normaliseId(raw: string): string {
  return /^\d+$/.test(raw) ? String(Number(raw)) : raw;
}

/**
 * Streams the `.I` records of a SMART file. Stray text before the first `.I`, a record without any
 * field, a field given twice, a file ending right after a field marker, and a last record lacking a
 * field every earlier record has (a file cut mid-record) are all reported.
 */
export async function* smartRecords(path: string, reporter: LoadReporter): AsyncGenerator<SmartRecord> {
  let current: { id: string; line: number; fields: Map<string, string[]> } | undefined;
  let field: string | undefined;
  let records = 0;
  const fieldRecords = new Map<string, number>();
  // The last non-blank line, to tell whether the file ends right after a field marker.
  let lastMarker: { letter: string; line: number; empty: boolean } | undefined;
  const finish = (): SmartRecord | undefined => {
    if (!current) return undefined;
    const rec = current;
    current = undefined;
    if (rec.fields.size === 0) {
      reporter.skip(rec.line, `record ".I ${rec.id}" has no fields (cut short?)`);
      return undefined;
    }
    const fields = new Map<string, string>();
    for (const [k, lines] of rec.fields) fields.set(k, lines.join('\n').trim());
    return { id: rec.id, line: rec.line, fields };
  };
  const count = (r: SmartRecord): void => {
    records += 1;
    for (const k of r.fields.keys()) fieldRecords.set(k, (fieldRecords.get(k) ?? 0) + 1);
  };
  for await (const { line, text } of readLines(path)) {
    const marker = /^\.([A-Z])(?:\s+(.*))?$/.exec(text);
    if (text.trim() !== '') lastMarker = marker ? { letter: marker[1], line, empty: !(marker[2] ?? '').trim() } : undefined;
    if (marker && marker[1] === 'I') {
      const done = finish();
      if (done) {
        count(done);
        yield done;
      }
      const raw = (marker[2] ?? '').trim();
      if (raw === '') reporter.skip(line, '".I" without an id');
      else current = { id: normaliseId(raw), line, fields: new Map() };
      field = undefined;
      continue;
    }
    if (marker) {
      field = marker[1];
      if (current) {
        if (current.fields.has(field)) reporter.warn(`record ".I ${current.id}" has a second .${field} field; its text is joined to the first`, line);
        else current.fields.set(field, []);
        // Some SMART files put the field's first words on the marker line.
        if (marker[2]) current.fields.get(field)!.push(marker[2]);
      }
      continue;
    }
    if (!current) {
      if (text.trim() !== '') reporter.skip(line, 'text outside any ".I" record');
      continue;
    }
    if (field === undefined) {
      if (text.trim() !== '') reporter.skip(line, 'text before the first field marker of the record');
      continue;
    }
    current.fields.get(field)!.push(text);
  }
  if (current && lastMarker && lastMarker.letter !== 'I' && lastMarker.empty) {
    reporter.warn(`file ends right after the .${lastMarker.letter} marker of record ".I ${current.id}" (truncated file? the record is kept as read)`, lastMarker.line);
  }
  const done = finish();
  if (done) {
    // Fields every earlier record has (at least 2 of them) but the last lacks: the file was probably cut.
    const lacking = records >= 2 ? [...fieldRecords].filter(([k, n]) => n === records && !done.fields.has(k)).map(([k]) => `.${k}`) : [];
    if (lacking.length > 0) reporter.warn(`last record ".I ${done.id}" lacks ${lacking.join(', ')}, which every earlier record has (file cut mid-record?)`, done.line);
    yield done;
  }
}

/** Reads SMART documents: title from `.T`, text from `.W` (falling back to `.T` when `.W` is empty). */
export async function readSmartDocuments(path: string, opts: ReadOptions = {}): Promise<Loaded<Collection>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const passages = new Map<string, Passage>();
  for await (const rec of smartRecords(path, reporter)) {
    const title = rec.fields.get('T') ?? '';
    const body = rec.fields.get('W') ?? '';
    const text = body !== '' ? body : title;
    if (!acceptText(reporter, rec.line, text, 'document (no .W text and no .T title)')) continue;
    const dup = ids.check(rec.id, rec.line);
    if (dup) {
      reporter.skip(rec.line, dup);
      continue;
    }
    passages.set(rec.id, title !== '' ? { id: rec.id, title, text } : { id: rec.id, text });
  }
  const report = reporter.finish(passages.size);
  return { value: { name: opts.name ?? fileStem(path), passages }, report };
}

/** Options for SMART queries: keep the `.I` numbers, or number queries 1..n in file order (cranqrel's ids). */
export interface SmartQueryOptions extends ReadOptions {
  readonly ids?: 'original' | 'sequential';
}

/** Reads SMART queries (text from `.W`, else `.T`). */
export async function readSmartQueries(path: string, opts: SmartQueryOptions = {}): Promise<Loaded<QuerySet>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const queries = new Map<string, Query>();
  let ordinal = 0;
  for await (const rec of smartRecords(path, reporter)) {
    ordinal += 1;
    const text = rec.fields.get('W') || rec.fields.get('T') || '';
    const id = opts.ids === 'sequential' ? String(ordinal) : rec.id;
    if (!acceptText(reporter, rec.line, text, 'query text')) continue;
    const dup = ids.check(id, rec.line);
    if (dup) {
      reporter.skip(rec.line, dup);
      continue;
    }
    queries.set(id, { id, text });
  }
  const report = reporter.finish(queries.size);
  return { value: { name: opts.name ?? fileStem(path), queries }, report };
}

/** How Cranfield relevance codes become grades (see the module header). */
export type CranfieldScale = 'ir_datasets' | 'original';

const ORIGINAL_SCALE: Record<number, number> = { 1: 4, 2: 3, 3: 2, 4: 1, 5: 0, [-1]: 0 };

/** Maps one Cranfield relevance code to a grade, or undefined for a code outside the scale. */
export function cranfieldGrade(code: number, scale: CranfieldScale = 'ir_datasets'): number | undefined {
  if (scale === 'original') return ORIGINAL_SCALE[code];
  if (code === -1) return 0;
  return code >= 1 && code <= 5 ? code : undefined;
}

/** Reads Cranfield `cranqrel` (`qid docid code`, whitespace-separated) into graded qrels. */
export async function readCranfieldQrels(
  path: string,
  opts: ReadOptions & { scale?: CranfieldScale } = {},
): Promise<Loaded<Qrels>> {
  const reporter = new LoadReporter(path, opts.strict);
  const table = new JudgmentTable();
  for await (const { line, text } of readLines(path)) {
    if (text.trim() === '') {
      reporter.skip(line, 'blank line');
      continue;
    }
    const cols = text.trim().split(/\s+/);
    if (cols.length !== 3 || !cols.every((c) => /^-?\d+$/.test(c))) {
      reporter.skip(line, `expected "qid docid code" (3 integers), got "${text.trim()}"`);
      continue;
    }
    const [q, d] = [normaliseId(cols[0]), normaliseId(cols[1])];
    const grade = cranfieldGrade(Number(cols[2]), opts.scale);
    if (grade === undefined) {
      reporter.skip(line, `unknown relevance code ${cols[2]}`);
      continue;
    }
    const first = table.add(q, d, grade, line);
    if (first !== undefined) reporter.skip(line, `duplicate judgment for query "${q}", document "${d}" (first at line ${first})`);
  }
  const report = reporter.finish(table.records);
  return { value: { name: opts.name ?? fileStem(path), judgments: table.judgments }, report };
}
