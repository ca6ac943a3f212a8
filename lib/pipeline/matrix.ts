/**
 * The reproduction matrix (pyserini style): for each condition, the command that produces it,
 * the expected score, and a tolerance. `checkMatrix` compares a results.json against it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One expected number of the matrix. */
export const MatrixEntrySchema = z.strictObject({
  system: z.string(),
  dataset: z.string(),
  metric: z.string(),
  expected: z.number(),
  /** Absolute tolerance on the mean over seeds. */
  tolerance: z.number().nonnegative(),
  /** Published value from the paper, at its (different) scale, for display only. */
  paper: z.number().optional(),
  note: z.string().optional(),
});
export type MatrixEntry = z.infer<typeof MatrixEntrySchema>;

/** A reproduction matrix file. */
export const MatrixSchema = z.strictObject({
  config: z.string(),
  command: z.string(),
  measuredOn: z.string(),
  entries: z.array(MatrixEntrySchema),
});
export type ReproductionMatrix = z.infer<typeof MatrixSchema>;

/** A results row as written to results.json. */
export interface MainTableRow {
  readonly system: string;
  readonly dataset: string;
  readonly metrics: Record<string, number>;
  readonly std: Record<string, number>;
  readonly seeds: number;
}

/** Outcome of checking one matrix entry. */
export interface MatrixCheck extends MatrixEntry {
  readonly actual: number | undefined;
  readonly ok: boolean;
}

/** Reads and validates a reproduction matrix file. */
export function loadMatrix(path: string): ReproductionMatrix {
  const r = MatrixSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!r.success) {
    throw new Error(`${path}: invalid reproduction matrix: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

/** Compares every matrix entry with the matching results row (missing rows fail). */
export function checkMatrix(matrix: ReproductionMatrix, rows: readonly MainTableRow[]): MatrixCheck[] {
  return matrix.entries.map((e) => {
    const row = rows.find((r) => r.system === e.system && r.dataset === e.dataset);
    const actual = row?.metrics[e.metric];
    const ok = actual !== undefined && Number.isFinite(actual) && Math.abs(actual - e.expected) <= e.tolerance;
    return { ...e, actual, ok };
  });
}

/** Matrix checks as table rows: ours beside the expected value and, where known, the paper's. */
export function matrixCheckRows(checks: readonly MatrixCheck[]): Array<Record<string, string>> {
  return checks.map((c) => ({
    system: c.system, dataset: c.dataset, metric: c.metric,
    'ours (measured)': c.actual === undefined ? 'missing' : c.actual.toFixed(4),
    'expected ± tol': `${c.expected.toFixed(4)} ± ${c.tolerance}`,
    'paper (different scale)': c.paper === undefined ? '' : c.paper.toFixed(3),
    check: c.ok ? 'ok' : 'FAIL',
  }));
}

/** Throws, listing every failed entry, unless all checks passed. */
export function assertMatrix(checks: readonly MatrixCheck[]): void {
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    throw new Error(`reproduction matrix: ${failed.length} of ${checks.length} entries off:\n${failed.map((c) => `  ${c.system} / ${c.dataset} / ${c.metric}: ${c.actual === undefined ? 'missing' : c.actual.toFixed(4)}, expected ${c.expected.toFixed(4)} ± ${c.tolerance}`).join('\n')}`);
  }
}

/** Options of {@link matrixFromRows}. */
export interface RecordMatrixOptions {
  readonly config: string;
  readonly command: string;
  readonly measuredOn: string;
  /** Tolerance of rows evaluated from fixed run files (deterministic; default 5e-5). */
  readonly runTolerance?: number;
  /** Floor of trained rows' tolerance; it is max(floor, 2 × seed std) (default 0.01). */
  readonly trainedFloor?: number;
  /** Rows whose numbers come from fixed run files. */
  readonly runRows?: ReadonlySet<string>;
  /** Published numbers to show beside ours: system → metric → value. */
  readonly paper?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * Records the current results as a reproduction matrix. A retrained row may move by seed-level
 * noise on other hardware or library versions, hence its tolerance of two seed standard deviations.
 */
export function matrixFromRows(rows: readonly MainTableRow[], o: RecordMatrixOptions): ReproductionMatrix {
  const entries: MatrixEntry[] = [];
  for (const r of rows) {
    for (const [metric, value] of Object.entries(r.metrics)) {
      const fixed = o.runRows?.has(r.system) ?? false;
      const tolerance = fixed ? (o.runTolerance ?? 5e-5) : Math.max(o.trainedFloor ?? 0.01, 2 * (r.std[metric] ?? 0));
      const paper = o.paper?.[r.system]?.[metric];
      entries.push({ system: r.system, dataset: r.dataset, metric, expected: Number(value.toFixed(6)), tolerance: Number(tolerance.toFixed(4)), ...(paper === undefined ? {} : { paper }) });
    }
  }
  return { config: o.config, command: o.command, measuredOn: o.measuredOn, entries };
}
