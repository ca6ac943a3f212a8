/**
 * What went wrong while loading, gathered from load reports so a command can log every skipped or
 * suspicious record once (file:line: reason) and decide whether `--strict` fails.
 */
import type { LoadReport } from './types';

/** Counts and lines of a set of load reports. */
export interface LoadProblems {
  readonly skipped: number;
  readonly suspicious: number;
  /** File-level warnings (defects without a line). */
  readonly warnings: number;
  /** One line per problem: `file:line: skipped|suspicious: reason`, or `file: warning: message`. */
  readonly lines: readonly string[];
}

/** Gathers the problems of `reports` (each report once, even when shared by two values). */
export function loadProblems(reports: readonly LoadReport[]): LoadProblems {
  const lines: string[] = [];
  let skipped = 0;
  let suspicious = 0;
  let warnings = 0;
  for (const r of new Set(reports)) {
    for (const s of r.skipped) lines.push(`${s.file}:${s.line}: skipped: ${s.reason}`);
    for (const s of r.suspicious) lines.push(`${s.file}:${s.line}: suspicious: ${s.reason}`);
    for (const w of r.warnings) lines.push(`${r.file}: warning: ${w}`);
    skipped += r.skipped.length;
    suspicious += r.suspicious.length;
    warnings += r.warnings.length;
  }
  return { skipped, suspicious, warnings, lines };
}

/** Whether any record was skipped or flagged, or a reader warned (what `--strict` refuses). */
export function hasLoadProblems(p: LoadProblems): boolean {
  return p.skipped + p.suspicious + p.warnings > 0;
}
