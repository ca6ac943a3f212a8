/**
 * The main job: every row (system) of an experiment over every seed, evaluated on the test
 * splits, aggregated (mean ± std over seeds, paired tests per query), and written as results.json,
 * report.md + report.html with figures, and the manifest of every step. Re-running resumes.
 */
import { join } from 'node:path';
import { buildCandidates, holdOut, loadTestSplits, sharedQueries } from './stages/candidates';
import { scoreCandidates } from './stages/score';
import { backendReport, initBackend, type BackendReport } from '../backend';
import type { QueryId, Run } from '../data/types';
import { answerHitsPerQuery, answerMeasureDepth, evaluate, type AnswerMatchMode } from '../eval';
import { sha256 } from '../io';
import { loadStudentCheckpoint, withStudentEncoder } from '../models';
import type { ProgressMode } from '../train';
import { systemConfig, testRelLevel, type EvalMode, type ExperimentConfig } from '../config';
import type { MainTableRow } from './matrix';
import { comparisonsOf, type Comparison } from './compare';
import { directionLabel, directionsOf, pooledName, poolPerSeed } from './directions';
import { runMethod, type IterationRecord } from './method';
import { labelledQueries, type Split } from './splits';
import { StepStore } from './steps';
import { createExperimentStudent, splitTexts } from './student';
import { rerankCandidates } from '../retrieval/rerank';
import { retrieveWithStudent } from './stages/retrieve';

/** Per-query values of one row on one test split, per seed. */
export interface RowOutcome {
  readonly system: string;
  readonly kind: 'trained' | 'run' | 'untrained';
  readonly dataset: string;
  /** The training split of the model behind these values ('' for run rows; the directions' joined for a pooled set). */
  readonly trainedOn: string;
  /** Set on the pooled outcome of several directions' test sets (its query ids are `dataset/query`). */
  readonly pooled?: true;
  /** seed → query → measure → value */
  readonly perSeed: Record<string, Record<QueryId, Record<string, number>>>;
  /** seed → iteration records (trained rows). */
  readonly iterations: Record<string, readonly IterationRecord[]>;
}

/** What results.json holds. */
export interface ReproduceResults {
  readonly config: string;
  readonly rows: MainTableRow[];
  readonly comparisons: Comparison[];
  readonly outcomes: RowOutcome[];
  /** Every direction's held-out slice, concatenated. */
  readonly heldOut: readonly QueryId[];
  /** The training split, or with `data.reverse` each direction as "train → test" joined by '; '. */
  readonly trainSplit: string;
  /** Each direction: its training split, test splits and held-out slice. */
  readonly directions: readonly DirectionSummary[];
  /** How trained rows met the test sets, and each test set's relevance level. */
  readonly evaluation: EvaluationSummary;
  /** Loader warnings of every split (train and test), by split name. */
  readonly warnings: Record<string, readonly string[]>;
  readonly backend: BackendReport;
  /** Wall time of this invocation (seconds; small when every step was already finished). */
  readonly elapsed_s: number;
  /** Summed compute time of every step the results use, as each took when first run (one process each). */
  readonly step_seconds: number;
  readonly startedAt: string;
}

/** How the test sets were evaluated, as results.json and the report state it. */
export interface EvaluationSummary {
  readonly mode: EvalMode;
  /** Candidates re-ranked per query (rerank: the top-`depth` union of the runs) or passages retrieved per query (retrieve). */
  readonly depth: number;
  /** Test set → relevance level of its binary measures. */
  readonly relLevels: Record<string, number>;
  /** Set when the data are a synthetic miniature at toy scale (`reproduce --miniature`): what they are, and that the numbers are not the paper's. */
  readonly miniature?: string;
}

/** One direction of the experiment, as results.json records it. */
export interface DirectionSummary {
  readonly train: string;
  readonly tests: readonly string[];
  readonly heldOut: readonly QueryId[];
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
  /** Only this direction (index into {@link directionsOf}); the parallel workers take one each. */
  readonly direction?: number;
  /** The data are a miniature at toy scale: this note goes into `evaluation.miniature` (lib/pipeline/miniature.ts). */
  readonly miniature?: string;
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

/** The test queries a retrieve-mode evaluation searches for: those with judgments, or with answers (DPR test sets have no qrels). */
function judgedQueries(split: Split): QueryId[] {
  return [...split.queries.queries.entries()].filter(([q, v]) => split.qrels?.judgments.has(q) || (v.answers?.length ?? 0) > 0).map(([q]) => q);
}

/**
 * Per-query values of `run` on a test split: trec_eval measures from its qrels, `Answer@k` from its
 * questions' answers (both where a split has both: a query then needs judgments and answers).
 */
function perQuery(split: Split, run: Run, measures: readonly string[], relLevel: number, answerMatch: AnswerMatchMode): Record<QueryId, Record<string, number>> {
  const answer = measures.filter((m) => answerMeasureDepth(m) !== undefined);
  const trec = measures.filter((m) => answerMeasureDepth(m) === undefined);
  if (trec.length > 0 && !split.qrels) throw new Error(`test split ${split.name} has no judgments for ${trec.join(', ')} (answer accuracy needs Answer@k measures)`);
  const byTrec = trec.length > 0 ? evaluate(split.qrels!, run, [...trec], { relLevel }).perQuery : undefined;
  const byAnswer = answer.length > 0 ? answerHitsPerQuery(run, split.queries, split.collection, answer, answerMatch) : undefined;
  if (byAnswer && byAnswer.size === 0) throw new Error(`test split ${split.name}: no query has answers for ${answer.join(', ')}`);
  const ids = byTrec && byAnswer ? [...byTrec.keys()].filter((q) => byAnswer.has(q)) : [...(byTrec ?? byAnswer)!.keys()];
  return Object.fromEntries(ids.map((q) => [q, { ...byTrec?.get(q), ...byAnswer?.get(q) }]));
}

/** What one direction produced. */
interface DirectionOutcome {
  readonly summary: DirectionSummary;
  readonly warnings: Record<string, readonly string[]>;
  readonly outcomes: RowOutcome[];
}

/** Runs the whole experiment (every direction) into `opts.outDir` and returns what results.json holds. */
export async function reproduce(experiment: ExperimentConfig, opts: ReproduceOptions): Promise<ReproduceResults> {
  const started = Date.now();
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const backend = await initBackend();
  const stepsDir = opts.stepsDir ?? opts.outDir;
  const store = new StepStore(stepsDir, opts.outDir);
  const rows = experiment.systems.filter((s) => !opts.only || opts.only.includes(s.name));
  if (rows.length === 0) throw new Error(`no rows selected (rows: ${experiment.systems.map((s) => s.name).join(', ')})`);
  const all = directionsOf(experiment);
  if (opts.direction !== undefined && !all[opts.direction]) throw new Error(`direction ${opts.direction}: the experiment has ${all.length}`);
  const directions = opts.direction === undefined ? all : [all[opts.direction]];
  const parts: DirectionOutcome[] = [];
  for (const d of directions) {
    if (all.length > 1) log(`direction ${directionLabel(d)}`);
    parts.push(await reproduceDirection(d, rows, store, stepsDir, opts, log));
  }

  // Row by row: each direction's test sets, then (several directions) the pooled set of all their queries.
  const outcomes: RowOutcome[] = [];
  for (const spec of rows) {
    const mine = parts.flatMap((p) => p.outcomes.filter((o) => o.system === spec.name));
    outcomes.push(...mine);
    if (parts.length > 1) {
      outcomes.push({
        system: spec.name, kind: spec.kind, dataset: pooledName(mine.map((o) => o.dataset)), trainedOn: parts.map((p) => p.summary.train).join(', '),
        pooled: true, perSeed: poolPerSeed(mine), iterations: {},
      });
    }
  }
  const measures = experiment.eval.metrics;
  const resultRows = outcomes.map((o) => aggregate(o, measures));
  const comparisons: Comparison[] = comparisonsOf(outcomes, experiment.compareTo, measures);
  const manifest = await store.writeManifest({ config: experiment.name, stepsDir }, store.used);
  const stepSeconds = Object.values(manifest.steps).reduce((a, r) => a + r.elapsedS, 0);
  const warnings: Record<string, string[]> = {};
  for (const p of parts) for (const [name, ws] of Object.entries(p.warnings)) warnings[name] = [...new Set([...(warnings[name] ?? []), ...ws])];
  const summaries = parts.map((p) => p.summary);
  return {
    config: experiment.name, rows: resultRows, comparisons, outcomes,
    heldOut: summaries.flatMap((d) => d.heldOut),
    trainSplit: parts.length === 1 ? summaries[0].train : summaries.map((d) => `${d.train} → ${d.tests.join('+')}`).join('; '),
    directions: summaries, warnings,
    evaluation: {
      mode: experiment.eval.mode, depth: experiment.data.candidates.testDepth,
      relLevels: Object.fromEntries(summaries.flatMap((d) => d.tests).map((t) => [t, testRelLevel(experiment.eval, t)])),
      ...(opts.miniature ? { miniature: opts.miniature } : {}),
    },
    backend: backend ?? backendReport(), elapsed_s: (Date.now() - started) / 1000, step_seconds: stepSeconds, startedAt: new Date(started).toISOString(),
  };
}

/** One direction: its training split, candidates, scores and held-out slice, then every row × seed on its test splits. */
async function reproduceDirection(
  experiment: ExperimentConfig, rows: ExperimentConfig['systems'], store: StepStore, stepsDir: string, opts: ReproduceOptions, log: (m: string) => void,
): Promise<DirectionOutcome> {
  const configs = rows.map((s) => ({ spec: s, config: systemConfig(experiment, s) }));
  const measures = experiment.eval.metrics;
  const relLevel = experiment.eval.relLevel;
  const mode = experiment.eval.mode;

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
  // loadTestSplits refused any test query that is also a training query (same id and text), so
  // this is empty; the assistant pool still guards against it for callers of runMethod.
  const testQueryIds = sharedQueries(train, tests);

  const cacheDir = join(stepsDir, 'cache', 'embeddings');
  const outcomes: RowOutcome[] = [];
  for (const { spec, config } of configs) {
    const seeds = spec.kind === 'run' ? [0] : (opts.seeds ?? config.seeds);
    const trainedOn = spec.kind === 'run' ? '' : train.name;
    for (const test of tests) {
      outcomes.push({ system: spec.name, kind: spec.kind, dataset: test.name, trainedOn, perSeed: {}, iterations: {} });
    }
    const mine = outcomes.slice(-tests.length);
    for (const seed of seeds) {
      const t0 = Date.now();
      if (spec.kind === 'run') {
        for (const [i, test] of tests.entries()) {
          const run = test.runs.get(spec.run ?? spec.name);
          if (!run) throw new Error(`row '${spec.name}': ${test.name} has no run '${spec.run ?? spec.name}'`);
          (mine[i].perSeed as Record<string, unknown>)[String(seed)] = perQuery(test, run, measures, testRelLevel(experiment.eval, test.name), experiment.eval.answerMatch);
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
        const level = testRelLevel(experiment.eval, test.name);
        // The re-ranking key is as before the retrieve mode existed, so earlier steps stay valid.
        const how = {
          ...(mode === 'retrieve' ? { mode, depth: experiment.data.candidates.testDepth } : {}),
          ...(measures.some((m) => answerMeasureDepth(m) !== undefined) ? { answerMatch: experiment.eval.answerMatch } : {}),
        };
        const step = await store.run('test-eval', { model: finalKey, test: test.name, testContent: test.contentHash, measures, relLevel: level, ...how }, async () => {
          const model = modelDir
            ? (await loadStudentCheckpoint(modelDir)).model
            : await createExperimentStudent(config, seed, splitTexts(train));
          try {
            const run = mode === 'retrieve'
              ? await retrieveWithStudent(model, test, judgedQueries(test), experiment.data.candidates.testDepth, cacheDir, spec.name)
              : await withStudentEncoder(model, (encoder) => rerankCandidates(encoder, test, [...test.candidates.byQuery.keys()], { name: spec.name, cacheDir }));
            return perQuery(test, run, measures, level, experiment.eval.answerMatch);
          } finally {
            model.dispose();
          }
        });
        (mine[i].perSeed as Record<string, unknown>)[String(seed)] = step.value;
      }
      log(`${spec.name} seed ${seed}: ${tests.map((t, i) => `${t.name} ${measures[0]} ${mean(Object.values(mine[i].perSeed[String(seed)]).map((v) => v[measures[0]])).toFixed(4)}`).join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  }

  return { summary: { train: train.name, tests: tests.map((t) => t.name), heldOut }, warnings, outcomes };
}
