/**
 * Input validation shared by every reader: a load reporter that records skipped lines and warnings
 * (or throws under `strict`), duplicate-id detection naming both lines, text garbage checks, and
 * cross-file reference checks (qrels/runs against queries and collection).
 */
import { InputError } from '../io/lines';
import { ChunkedMap } from './chunkedMap';
import type { Collection, DocId, LoadReport, QueryId, QuerySet, Qrels, Run, SkippedLine } from './types';

/** Options every reader accepts. */
export interface ReadOptions {
  /** Any skipped line or warning throws an InputError instead of being reported. */
  readonly strict?: boolean;
  /** Name given to the loaded collection / query set / qrels (default: the file's stem). */
  readonly name?: string;
}

/** Collects what a reader skipped or warned about; under `strict` the first problem throws. */
export class LoadReporter {
  private readonly skipped: SkippedLine[] = [];
  private readonly suspicious: SkippedLine[] = [];
  private readonly warnings: string[] = [];
  private readonly notes: string[] = [];
  private readonly replacementLines: number[] = [];
  private replacementCount = 0;

  constructor(readonly file: string, readonly strict = false) {}

  /** Records (or, strict, throws for) a line that was not accepted. */
  skip(line: number, reason: string): void {
    if (this.strict) throw new InputError(this.file, line, reason);
    this.skipped.push({ file: this.file, line, reason });
  }

  /** Records (or, strict, throws for) a warning: at a line it marks a suspicious record that was kept. */
  warn(message: string, line?: number): void {
    if (this.strict) throw new InputError(this.file, line, message);
    if (line === undefined) this.warnings.push(message);
    else this.suspicious.push({ file: this.file, line, reason: message });
  }

  /** Records a file-level note that is information, not a defect (tied scores in a run): never throws. */
  note(message: string): void {
    this.notes.push(message);
  }

  /** Notes a line holding U+FFFD: real corpora contain a few, so it is a counted warning, not a skip. */
  noteReplacementChar(line: number): void {
    if (this.strict) throw new InputError(this.file, line, 'text contains U+FFFD (invalid UTF-8 in the source)');
    this.replacementCount += 1;
    if (this.replacementLines.length < 5) this.replacementLines.push(line);
  }

  /** Number of lines skipped so far. */
  get skippedCount(): number {
    return this.skipped.length;
  }

  /** Number of suspicious records kept so far. */
  get suspiciousCount(): number {
    return this.suspicious.length;
  }

  /** Closes the report once `records` values were accepted; an empty file is a warning unless `emptyOk`. */
  finish(records: number, opts: { emptyOk?: boolean } = {}): LoadReport {
    if (this.replacementCount > 0) {
      this.warnings.push(`${this.replacementCount} line(s) contain U+FFFD (invalid UTF-8 in the source), e.g. line(s) ${this.replacementLines.join(', ')}`);
    }
    if (records === 0 && !opts.emptyOk) this.warn('no records read');
    return { file: this.file, records, skipped: [...this.skipped], suspicious: [...this.suspicious], warnings: [...this.warnings], notes: [...this.notes] };
  }
}

// NUL and C0 controls other than tab/newline/CR never occur in real text: they mean a binary or corrupted file.
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** Why a text field is unusable (empty or binary garbage), or undefined when it is fine. */
export function textProblem(text: string, field = 'text'): string | undefined {
  if (text.trim().length === 0) return `empty ${field}`;
  const m = CONTROL_CHARS.exec(text);
  if (m) return `${field} contains control character U+${m[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} (binary or corrupted input)`;
  return undefined;
}

/** Checks a text field, reporting garbage; returns true when the record may be kept. */
export function acceptText(reporter: LoadReporter, line: number, text: string, field = 'text'): boolean {
  const problem = textProblem(text, field);
  if (problem) {
    reporter.skip(line, problem);
    return false;
  }
  if (text.includes('\uFFFD')) reporter.noteReplacementChar(line);
  return true;
}

/** Remembers where each id was first seen, so a duplicate's message names both lines. */
export class IdTracker {
  private readonly firstLine = new ChunkedMap<string, number>();

  /** Returns the duplicate reason for `id` at `line`, or undefined (and records it) when new. */
  check(id: string, line: number): string | undefined {
    const first = this.firstLine.get(id);
    if (first !== undefined) return `duplicate id "${id}" (first at line ${first})`;
    this.firstLine.set(id, line);
    return undefined;
  }
}

/** Counts of a qrels file's or run's ids missing from the queries / collection. */
export interface ReferenceCheck {
  readonly queries: number;
  readonly unknownQueries: number;
  readonly unknownQueryIds: readonly QueryId[];
  readonly pairs: number;
  readonly unknownPassages: number;
  readonly unknownPassageIds: readonly DocId[];
  readonly warnings: readonly string[];
}

function isRun(x: Qrels | Run): x is Run {
  return (x as Run).byQuery !== undefined;
}

/**
 * Counts query and passage ids of `qrelsOrRun` that `queries` / `collection` do not know.
 * Returns warnings with the counts; under `strict` any unknown id throws.
 */
export function checkReferences(
  qrelsOrRun: Qrels | Run,
  queries: QuerySet,
  collection: Collection,
  opts: { strict?: boolean } = {},
): ReferenceCheck {
  // A generator: a run's entries are handed out one query at a time, never all at once.
  const lists: Iterable<[QueryId, Iterable<DocId>]> = isRun(qrelsOrRun)
    ? (function* () { for (const [q, es] of qrelsOrRun.byQuery) yield [q, es.map((e) => e.docId)] as [QueryId, DocId[]]; })()
    : [...qrelsOrRun.judgments].map(([q, m]) => [q, m.keys()]);
  const unknownQueryIds: QueryId[] = [];
  const unknownPassageSet = new Set<DocId>();
  let pairs = 0;
  let unknownPassages = 0;
  let listCount = 0;
  for (const [q, docs] of lists) {
    listCount += 1;
    if (!queries.queries.has(q)) unknownQueryIds.push(q);
    for (const d of docs) {
      pairs += 1;
      if (!collection.passages.has(d)) {
        unknownPassages += 1;
        unknownPassageSet.add(d);
      }
    }
  }
  const what = `${isRun(qrelsOrRun) ? 'run' : 'qrels'} ${qrelsOrRun.name}`;
  const warnings: string[] = [];
  if (unknownQueryIds.length > 0) {
    warnings.push(`${what}: ${unknownQueryIds.length} of ${listCount} query ids not in queries ${queries.name} (e.g. ${unknownQueryIds.slice(0, 3).join(', ')})`);
  }
  if (unknownPassages > 0) {
    warnings.push(`${what}: ${unknownPassages} of ${pairs} entries (${unknownPassageSet.size} distinct passages) not in collection ${collection.name} (e.g. ${[...unknownPassageSet].slice(0, 3).join(', ')})`);
  }
  if (opts.strict && warnings.length > 0) throw new Error(warnings.join('; '));
  return {
    queries: listCount,
    unknownQueries: unknownQueryIds.length,
    unknownQueryIds,
    pairs,
    unknownPassages,
    unknownPassageIds: [...unknownPassageSet],
    warnings,
  };
}

/** The file's stem without data extensions (`passages.jsonl.gz` → `passages`), used as a default name. */
export function fileStem(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.gz$/, '').replace(/\.(tsv|jsonl|json|txt|trec|csv|qry|1400)$/, '');
}

/** Graded judgments being read: query → passage → grade, with the line each pair came from. */
export class JudgmentTable {
  readonly judgments = new Map<string, Map<string, number>>();
  private readonly firstLine = new Map<string, number>();
  /** Judgments accepted so far. */
  records = 0;

  /** Adds a judgment; returns the line of an earlier judgment of the same pair (and adds nothing) if there is one. */
  add(queryId: string, docId: string, grade: number, line: number): number | undefined {
    const key = `${queryId}\u0000${docId}`;
    const first = this.firstLine.get(key);
    if (first !== undefined) return first;
    this.firstLine.set(key, line);
    let m = this.judgments.get(queryId);
    if (!m) this.judgments.set(queryId, (m = new Map()));
    m.set(docId, grade);
    this.records += 1;
    return undefined;
  }
}
