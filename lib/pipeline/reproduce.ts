/**
 * The main job: every row (system) of an experiment over every seed, evaluated on the test
 * splits, aggregated (mean ± std over seeds, paired tests per query), and written as results.json,
 * report.md + report.html with figures, and the manifest of every step. Re-running resumes.
 */
import { join } from 'node:path';
import { buildCandidates, holdOut, loadTestSplits } from './stages/candidates';
import { scoreCandidates } from './stages/score';
import { backendReport, initBackend, type BackendReport } from '../backend';
import type { QueryId, Run } from '../data/types';
import { differenceSd, evaluate, minimumDetectableDifference, pairedTTest, randomizationTest } from '../eval';
import { sha256 } from '../io';
import { loadStudentCheckpoint, withStudentEncoder } from '../models';
import type { ProgressMode } from '../train';
import { systemConfig, type ExperimentConfig } from '../config';
import type { MainTableRow } from './matrix';
import { runMethod, type IterationRecord } from './method';
import { labelledQueries, type Split } from './splits';
import { StepStore } from './steps';
import { createExperimentStudent, splitTexts } from './student';
import { rerankCandidates } from '../retrieval/rerank';

/** Per-query values of one row on one test split, per seed. */
export interface RowOutcome {
  readonly system: string;
  readonly kind: 'trained' | 'run' | 'untrained';
  readonly dataset: string;
  /** seed → query → measure → value */
  readonly perSeed: Record<string, Record<QueryId, Record<string, number>>>;
  /** seed → iteration records (trained rows). */
  readonly iterations: Record<string, readonly IterationRecord[]>;
}

/** A paired test of one row against a reference row on one measure (per-query values averaged over seeds). */
export interface Comparison {
  readonly system: string;
  readonly against: string;
  readonly dataset: string;
  readonly measure: string;
  readonly meanDifference: number;
  readonly queries: number;
  readonly tTestP: number;
  readonly randomizationP: number;
  /**
   * Smallest |mean difference| the paired t-test detects with 80% power at α = 0.05, from these
   * queries' observed differences (exact noncentral t, lib/eval/power.ts); null when they do not vary.
   */
  readonly minimumDetectable: number | null;
  /** The claim "system differs from against", read from the numbers (see {@link comparisonVerdict}). */
  readonly verdict: ComparisonVerdict;
}

/** How a comparison reads: a significant gain, a significant loss, or a gap below what the queries can detect. */
export type ComparisonVerdict = 'holds' | 'does not hold' | 'below what this scale can detect';

/**
 * The verdict of "system beats against" at α = 0.05 (paired t-test): `holds` when significantly
 * better, `does not hold` when significantly worse, otherwise `below what this scale can detect`
 * (read it beside the minimum detectable difference: a gap smaller than that goes unseen 20% of
 * the time or more). A claimed gap the test could detect but did not is the caller's to judge.
 */
export function comparisonVerdict(meanDifference: number, tTestP: number): ComparisonVerdict {
  if (tTestP < 0.05) return meanDifference > 0 ? 'holds' : 'does not hold';
  return 'below what this scale can detect';
}

/** The minimum detectable difference of paired values (null when the differences do not vary or n < 2). */
function detectable(xa: readonly number[], xb: readonly number[]): number | null {
  if (xa.length < 2) return null;
  const sd = differenceSd(xa.map((x, i) => x - xb[i]!));
  return sd > 0 ? minimumDetectableDifference(sd, xa.length).mdd : null;
}

/** What results.json holds. */
export interface ReproduceResults {
  readonly config: string;
  readonly rows: MainTableRow[];
  readonly comparisons: Comparison[];
  readonly outcomes: RowOutcome[];
  readonly heldOut: readonly QueryId[];
  readonly trainSplit: string;
  /** Loader warnings of every split (train and test), by split name. */
  readonly warnings: Record<string, readonly string[]>;
  readonly backend: BackendReport;
  /** Wall time of this invocation (seconds; small when every step was already finished). */
  readonly elapsed_s: number;
  /** Summed compute time of every step the results use, as each took when first run (one process each). */
  readonly step_seconds: number;
  readonly startedAt: string;
}

/** Run-time options of {@link reproduce}. */
export interface ReproduceOptions {
  readonly outDir: string;
  readonly log?: (message: string) => void;
  readonly progress?: ProgressMode;
  /** Only these rows (by name). */
  readonly only?: readonly string[];
  /** Override the seeds of every row (e.g. [1] for a quick look). */
  readonly seeds?: readonly number[];
  /** Folder of the content-addressed steps and caches (default: outDir); experiments may share one. */
  readonly stepsDir?: string;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** Mean over seeds of the per-seed means, and their standard deviation. */
export function aggregate(o: RowOutcome, measures: readonly string[]): MainTableRow {
  const seeds = Object.keys(o.perSeed);
  const metrics: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const m of measures) {
    const perSeed = seeds.map((s) => mean(Object.values(o.perSeed[s]).map((v) => v[m])));
    metrics[m] = mean(perSeed);
    std[m] = sampleStd(perSeed);
  }
  return { system: o.system, dataset: o.dataset, metrics, std, seeds: seeds.length };
}

/** Per query, the mean over seeds of one measure. */
export function seedAveraged(o: RowOutcome, measure: string): Map<QueryId, number> {
  const seeds = Object.keys(o.perSeed);
  const out = new Map<QueryId, number>();
  for (const q of Object.keys(o.perSeed[seeds[0]])) out.set(q, mean(seeds.map((s) => o.perSeed[s][q][measure])));
  return out;
}

function perQuery(split: Split, run: Run, measures: readonly string[], relLevel: number): Record<QueryId, Record<string, number>> {
  const r = evaluate(split.qrels!, run, [...measures], { relLevel });
  return Object.fromEntries(r.perQuery);
}

/** Runs the whole experiment into `opts.outDir` and returns what results.json holds. */
export async function reproduce(experiment: ExperimentConfig, opts: ReproduceOptions): Promise<ReproduceResults> {
  const started = Date.now();
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const backend = await initBackend();
  const stepsDir = opts.stepsDir ?? opts.outDir;
  const store = new StepStore(stepsDir, opts.outDir);
  const rows = experiment.systems.filter((s) => !opts.only || opts.only.includes(s.name));
  if (rows.length === 0) throw new Error(`no rows selected (rows: ${experiment.systems.map((s) => s.name).join(', ')})`);
  const configs = rows.map((s) => ({ spec: s, config: systemConfig(experiment, s) }));
  const measures = experiment.eval.metrics;
  const relLevel = experiment.eval.relLevel;

  // Training split, candidates and the raw score table shared by every row. They come from the
  // whole experiment (base config and every row), never from the rows selected with `only`: a row
  // must train on the same candidates whichever subset of rows runs it.
  const data = await buildCandidates(experiment);
  const { train } = data;
  log(`train split ${train.name}: ${train.candidates.byQuery.size} queries with candidates, ${train.collection.passages.size} passages`);
  const scored = await scoreCandidates(data, store, join(stepsDir, 'cache', 'scores'));
  const heldOut = holdOut(train, experiment);
  log(`held-out slice: ${heldOut.length} of ${labelledQueries(train, relLevel).length} labelled training queries`);
  const tests = await loadTestSplits(experiment, train);
  // Loader warnings of every split, logged once here and kept in results.json.
  const warnings: Record<string, readonly string[]> = Object.fromEntries([train, ...tests].map((s) => [s.name, s.warnings]));
  for (const [name, ws] of Object.entries(warnings)) for (const w of ws) log(`  note (${name}): ${w}`);
  const testQueryIds = tests.flatMap((t) => [...t.queries.queries.keys()]);
  const leak = heldOut.filter((q) => testQueryIds.includes(q));
  if (leak.length > 0) throw new Error(`held-out queries are test queries (${leak.slice(0, 5).join(', ')}): refusing to run`);

  const cacheDir = join(stepsDir, 'cache', 'embeddings');
  const outcomes: RowOutcome[] = [];
  for (const { spec, config } of configs) {
    const seeds = spec.kind === 'run' ? [0] : (opts.seeds ?? config.seeds);
    for (const test of tests) {
      outcomes.push({ system: spec.name, kind: spec.kind, dataset: test.name, perSeed: {}, iterations: {} });
    }
    const mine = outcomes.slice(-tests.length);
    for (const seed of seeds) {
      const t0 = Date.now();
      if (spec.kind === 'run') {
        for (const [i, test] of tests.entries()) {
          const run = test.runs.get(spec.run ?? spec.name);
          if (!run) throw new Error(`row '${spec.name}': ${test.name} has no run '${spec.run ?? spec.name}'`);
          (mine[i].perSeed as Record<string, unknown>)[String(seed)] = perQuery(test, run, measures, relLevel);
        }
        continue;
      }
      let finalKey: string;
      let modelDir: string | undefined;
      if (spec.kind === 'trained') {
        const result = await runMethod(config, seed, { store, train, heldOut, testQueryIds, scored, cacheDir, log, progress: opts.progress });
        finalKey = result.finalKey;
        modelDir = result.modelDir;
        for (const o of mine) (o.iterations as Record<string, unknown>)[String(seed)] = result.iterations;
      } else {
        const { name: _n, description: _d, seeds: _s, ...method } = config;
        finalKey = sha256('untrained', { student: method.student, seed, split: train.contentHash });
      }
      for (const [i, test] of tests.entries()) {
        const step = await store.run('test-eval', { model: finalKey, test: test.name, testContent: test.contentHash, measures, relLevel }, async () => {
          const model = modelDir
            ? (await loadStudentCheckpoint(modelDir)).model
            : await createExperimentStudent(config, seed, splitTexts(train));
          try {
            const run = await withStudentEncoder(model, (encoder) => rerankCandidates(encoder, test, [...test.candidates.byQuery.keys()], { name: spec.name, cacheDir }));
            return perQuery(test, run, measures, relLevel);
          } finally {
            model.dispose();
          }
        });
        (mine[i].perSeed as Record<string, unknown>)[String(seed)] = step.value;
      }
      log(`${spec.name} seed ${seed}: ${tests.map((t, i) => `${t.name} nDCG@10 ${mean(Object.values(mine[i].perSeed[String(seed)]).map((v) => v['nDCG@10'])).toFixed(4)}`).join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  }

  const resultRows = outcomes.map((o) => aggregate(o, measures));
  const comparisons: Comparison[] = [];
  for (const ref of experiment.compareTo) {
    for (const o of outcomes) {
      const base = outcomes.find((b) => b.system === ref && b.dataset === o.dataset);
      if (!base || base === o) continue;
      for (const m of measures) {
        const a = seedAveraged(o, m);
        const b = seedAveraged(base, m);
        const qs = [...a.keys()].filter((q) => b.has(q));
        const xa = qs.map((q) => a.get(q)!);
        const xb = qs.map((q) => b.get(q)!);
        const meanDifference = mean(xa) - mean(xb);
        const tTestP = pairedTTest(xa, xb).p;
        const minimumDetectable = detectable(xa, xb);
        comparisons.push({
          system: o.system, against: ref, dataset: o.dataset, measure: m, queries: qs.length, meanDifference, tTestP,
          randomizationP: randomizationTest(xa, xb, { trials: 10000, seed: 1 }).p, minimumDetectable,
          verdict: comparisonVerdict(meanDifference, tTestP),
        });
      }
    }
  }
  const manifest = await store.writeManifest({ config: experiment.name, stepsDir }, store.used);
  const stepSeconds = Object.values(manifest.steps).reduce((a, r) => a + r.elapsedS, 0);
  return {
    config: experiment.name, rows: resultRows, comparisons, outcomes, heldOut, trainSplit: train.name, warnings,
    backend: backend ?? backendReport(), elapsed_s: (Date.now() - started) / 1000, step_seconds: stepSeconds, startedAt: new Date(started).toISOString(),
  };
}
