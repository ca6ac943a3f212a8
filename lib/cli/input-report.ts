/**
 * How the CLI speaks about what a reader skipped: every skipped line with file:line and reason
 * (nothing dropped silently), the count, and an empty input as an error rather than an empty output.
 */
import type { LoadReport } from '../data/types';
import { InputError } from '../io';

/** Writes each skipped line and warning of `report` to stderr; throws when nothing usable was read. */
export function reportLoad(report: LoadReport, what: string, write: (m: string) => void = (m) => process.stderr.write(`${m}\n`)): void {
  for (const s of report.skipped) write(`${s.file}:${s.line}: skipped: ${s.reason}`);
  for (const w of report.warnings) if (w !== 'no records read') write(`${report.file}: warning: ${w}`);
  if (report.skipped.length > 0) write(`${report.file}: skipped ${report.skipped.length} malformed line(s), read ${report.records} ${what} (--strict makes any skip an error)`);
  if (report.records === 0) throw new InputError(report.file, undefined, `no ${what} read (the file is empty or has no well-formed line)`);
}
