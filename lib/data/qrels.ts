/**
 * Qrels in any of the common column orders, for collections named in a config: BEIR's
 * `query-id corpus-id score` TSV (by its header), TREC `qid iter docid grade`, SMART's
 * `qid docid 0 0.0` (every listed pair relevant) and cranqrel's `qid docid grade`, detected from
 * the whole file, or the columns a config declares. Negative grades (cranqrel's -1) become 0.
 */
import { readLines } from '../io/lines';
import type { QrelsColumns } from '../config/dataset';
import type { Loaded, Qrels } from './types';
import { JudgmentTable, LoadReporter, fileStem, type ReadOptions } from './validate';

/** A column layout: where qid, docid and (optionally) the grade are. */
interface Layout {
  readonly columns: readonly string[];
  readonly qid: number;
  readonly docid: number;
  readonly grade: number | undefined;
  readonly why: string;
}

function layoutOf(columns: readonly string[], why: string): Layout {
  const grade = columns.indexOf('grade');
  return { columns, qid: columns.indexOf('qid'), docid: columns.indexOf('docid'), grade: grade < 0 ? undefined : grade, why };
}

const TREC = ['qid', 'ignore', 'docid', 'grade'];
const SMART4 = ['qid', 'docid', 'ignore', 'ignore'];
const THREE = ['qid', 'docid', 'grade'];

/** Picks the layout of `rows` (whitespace-split fields) when none is declared; undefined when it cannot tell. */
function detectLayout(rows: ReadonlyArray<readonly string[]>): Layout | undefined {
  const width = rows[0]?.length;
  const same = rows.filter((r) => r.length === width);
  if (width === 3) return layoutOf(THREE, 'auto: 3 columns, read as "qid docid grade"');
  if (width !== 4) return undefined;
  if (same.every((r) => /^(0|Q0|q0)$/.test(r[1]))) return layoutOf(TREC, 'auto: 4 columns with a constant 0/Q0 second column, read as TREC "qid iter docid grade"');
  // SMART (CISI, CACM's qrels.text): `qid docid 0 0.0`, the last two columns unused, every pair relevant.
  if (same.every((r) => r[2] === '0' && Number(r[3]) === 0)) return layoutOf(SMART4, 'auto: 4 columns "qid docid 0 0", read as SMART (every listed pair relevant, grade 1)');
  return undefined;
}

/** Options of {@link readQrels}. */
export interface QrelsReadOptions extends ReadOptions {
  readonly columns?: QrelsColumns;
  /** Strip leading zeros of numeric ids (`01` → `1`), as the SMART reader does for `.I` numbers. */
  readonly numericIds?: boolean;
}

/** Reads qrels in the declared or detected column order (see the module header). */
export async function readQrels(path: string, opts: QrelsReadOptions = {}): Promise<Loaded<Qrels>> {
  const id = opts.numericIds ? normaliseNumber : (s: string): string => s;
  const reporter = new LoadReporter(path, opts.strict);
  const rows: Array<{ line: number; fields: string[] }> = [];
  let beirHeader = false;
  for await (const { line, text } of readLines(path)) {
    const t = text.trim();
    if (line === 1 && /^query-id\tcorpus-id\tscore$/.test(t)) {
      beirHeader = true;
      continue;
    }
    // Blank lines hold no judgment (trailing ones are common); they are not records to report.
    if (t === '') continue;
    rows.push({ line, fields: t.split(/\s+/) });
  }
  const declared = opts.columns !== undefined && opts.columns !== 'auto';
  const layout = declared ? layoutOf(opts.columns as readonly string[], 'declared')
    : beirHeader ? layoutOf(THREE, 'BEIR header "query-id corpus-id score"')
    : detectLayout(rows.map((r) => r.fields));
  if (layout === undefined) {
    const sample = rows[0] ? `e.g. line ${rows[0].line}: "${rows[0].fields.join(' ')}"` : 'the file has no judgment lines';
    throw new Error(`${path}: cannot tell the qrels column order (${sample}); declare it, e.g. "qrelsColumns": ["qid", "ignore", "docid", "grade"]`);
  }
  const table = new JudgmentTable();
  let negative = 0;
  for (const { line, fields } of rows) {
    if (fields.length !== layout.columns.length) {
      reporter.skip(line, `expected ${layout.columns.length} columns (${layout.columns.join(' ')}), got ${fields.length}`);
      continue;
    }
    const qid = fields[layout.qid];
    const docid = fields[layout.docid];
    let grade = 1;
    if (layout.grade !== undefined) {
      grade = Number(fields[layout.grade]);
      if (!Number.isInteger(grade)) {
        reporter.skip(line, `relevance grade must be an integer, got '${fields[layout.grade]}'`);
        continue;
      }
      if (grade < 0) {
        negative += 1;
        grade = 0;
      }
    }
    const first = table.add(id(qid), id(docid), grade, line);
    if (first !== undefined) reporter.skip(line, `duplicate judgment for query "${qid}", document "${docid}" (first at line ${first})`);
  }
  reporter.note(`columns: ${layout.why}`);
  if (negative > 0) reporter.note(`${negative} judgment(s) with a negative grade read as 0 (judged non-relevant)`);
  const report = reporter.finish(table.records);
  return { value: { name: opts.name ?? fileStem(path), judgments: table.judgments }, report };
}

/** `007` → `7`; other ids unchanged (ids of qrels must match the documents' and queries' ids). */
function normaliseNumber(id: string): string {
  return /^\d+$/.test(id) ? String(Number(id)) : id;
}
