/**
 * `data check` as a library function: loads a dataset (never strict, so every problem is listed, not
 * only the first), reads its run files, and returns the counts and every skipped or suspicious
 * record with file:line, as a typed value the CLI prints as text or JSON.
 */
import type { Dataset } from './registry';
import type { LoadReport } from './types';
import { readTrecRun } from './trec';
import { checkReferences } from './validate';
import { hasLoadProblems, loadProblems } from './problems';

/** Counts a check reports for one dataset. */
export interface DatasetCounts {
  readonly documents: number;
  readonly queries: number;
  readonly judgedQueries: number;
  readonly judgments: number;
  readonly runs: number;
}

/** The result of checking one dataset. */
export interface DatasetCheck {
  readonly name: string;
  /** Where the name came from: the config's `datasets`, a split of one, the embedded registry, or flags. */
  readonly source: 'config' | 'split' | 'embedded' | 'files';
  readonly ok: boolean;
  /** Set when the dataset could not be loaded at all (missing file, undetectable qrels columns). */
  readonly error?: string;
  readonly contentHash?: string;
  readonly counts?: DatasetCounts;
  /** One report per file read, run files included. */
  readonly reports: readonly LoadReport[];
  /** `file:line: skipped|suspicious: reason` lines, then file-level warnings. */
  readonly problems: readonly string[];
  /** Cross-file checks (qrels or runs naming unknown ids) and notes: printed, never a strict failure. */
  readonly warnings: readonly string[];
}

/**
 * Loads one dataset through `load` and checks it and its run files. Reports in `seen` (a split
 * shares its parent's) are counted in the reports list but their problems are not listed again.
 */
export async function checkDataset(name: string, source: DatasetCheck['source'], load: () => Promise<Dataset>, seen: Set<LoadReport> = new Set()): Promise<DatasetCheck> {
  let d: Dataset;
  try {
    d = await load();
  } catch (e) {
    return { name, source, ok: false, error: (e as Error).message, reports: [], problems: [], warnings: [] };
  }
  const reports: LoadReport[] = [...d.reports];
  const warnings = [...d.warnings, ...d.notes.map((n) => `note: ${n}`)];
  for (const [system, path] of Object.entries(d.runFiles)) {
    try {
      const run = await readTrecRun(path, { name: system, strict: false });
      reports.push(run.report);
      for (const w of checkReferences(run.value, d.queries, d.collection).warnings) warnings.push(w);
    } catch (e) {
      return { name, source, ok: false, error: (e as Error).message, contentHash: d.contentHash, reports, problems: [], warnings };
    }
  }
  const fresh = reports.filter((r) => !seen.has(r));
  for (const r of fresh) warnings.push(...r.notes.map((n) => `${r.file}: note: ${n}`));
  const problems = loadProblems(fresh);
  const inherited = reports.length - fresh.length;
  if (inherited > 0) warnings.push(`note: problems of ${inherited} file(s) already listed above are not repeated`);
  for (const r of reports) seen.add(r);
  const judgments = d.qrels ? [...d.qrels.judgments.values()].reduce((s, m) => s + m.size, 0) : 0;
  const judgedQueries = d.qrels ? [...d.qrels.judgments.values()].filter((m) => m.size > 0).length : 0;
  return {
    name,
    source,
    ok: !hasLoadProblems(loadProblems(reports)),
    contentHash: d.contentHash,
    counts: { documents: d.collection.passages.size, queries: d.queries.queries.size, judgedQueries, judgments, runs: Object.keys(d.runFiles).length },
    reports,
    problems: problems.lines,
    warnings: [...new Set(warnings)],
  };
}
