/**
 * metrics.jsonl: one JSON object per logged step or evaluation. On resume the lines written after
 * the checkpoint's step (by the run that was killed) are dropped, so the log reads as one run.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '../io/atomic';

/** Appends JSON lines to a file. */
export class MetricsLog {
  /** Opens (creating folders) `path`; nothing is written until {@link append}. */
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  /** Appends one record as a JSON line. */
  append(record: Record<string, unknown>): void {
    appendFileSync(this.path, JSON.stringify(record) + '\n');
  }

  /** Keeps only complete lines whose `step` ≤ `step` (a torn last line from a kill is dropped); returns how many were dropped. */
  truncateAfter(step: number): number {
    if (!existsSync(this.path)) return 0;
    const lines = readFileSync(this.path, 'utf8').split('\n').filter((l) => l.length > 0);
    const kept = lines.filter((l) => {
      try {
        return (JSON.parse(l) as { step?: number }).step! <= step;
      } catch {
        return false;
      }
    });
    writeFileAtomicSync(this.path, kept.map((l) => l + '\n').join(''));
    return lines.length - kept.length;
  }

  /** Truncates the log to empty (a fresh, non-resumed run). */
  reset(): void {
    writeFileAtomicSync(this.path, '');
  }
}
