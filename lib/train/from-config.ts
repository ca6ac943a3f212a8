/**
 * Training from a configuration (what `mta4dpr train` runs): load the dataset, build and
 * missing-fill the score table, hold out an evaluation slice of queries, build training groups,
 * create the student, train with checkpoints, and save the final model in Hugging Face format.
 */
import { join } from 'node:path';
import { runSystemOf } from '../config/model';
import { candidatesFromRuns, loadDataset, readTrecRun } from '../data';
import { dataRoot } from '../data/paths';
import type { CandidateLists, QueryId, Run } from '../data/types';
import { fillScoreTable } from '../assistants/missing';
import { createScorer, disposeScorers } from '../assistants/scorers/create';
import { buildScoreTable } from '../assistants/scoreTable';
import type { ScoreTable } from '../assistants/types';
import { createDualEncoder, type StudentDualEncoder } from '../models/dualEncoder';
import { createGloveStudent } from '../models/gloveStudent';
import type { Collection } from '../data/types';
import { DEFAULT_STUDENT, DISTILBERT_BASE } from '../models/config';
import { saveHfModel } from '../models/hfModel';
import { loadTokenizer } from '../text';
import { writeJsonAtomic } from '../io/atomic';
import type { TrainConfig } from './config';
import { buildTrainingGroups, type TrainingGroupReport } from './groups';
import { rerankEvaluator } from './rerank-eval';
import { Rng } from '../random/rng';
import { assistantSelector } from './select-target';
import { DEFAULT_DIVERGENCE_GUARD, DivergenceError, train, type TrainResult } from './trainer';
import type { ProgressMode } from './progress';

/** Run-time options of {@link trainFromConfig}. */
export interface TrainFromConfigOptions {
  readonly outDir: string;
  readonly resume?: boolean;
  /** Overrides config.train.steps (schedule included). */
  readonly maxSteps?: number;
  readonly progress?: ProgressMode;
  /** Progress messages of the preparation phase. */
  readonly log?: (message: string) => void;
}

/** What a configured training run produced (also written to OUT/summary.json). */
export interface TrainSummary {
  readonly dataset: string;
  readonly trainQueries: number;
  readonly heldOutQueries: readonly QueryId[];
  readonly groups: TrainingGroupReport;
  readonly missingFilled: Record<string, number>;
  readonly before?: Record<string, number>;
  readonly after?: Record<string, number>;
  /** The run's outcome; only what its checkpoints determine (no resume point, speed or tensor count), so a resumed run's summary equals an uninterrupted one's. */
  readonly result: RecordedTrainResult;
  readonly finalModel: string;
}

/** A {@link TrainResult} without what depends on the process rather than on the run's state. */
export type RecordedTrainResult = Omit<TrainResult, 'resumedFrom' | 'lastRecord'> & {
  readonly lastRecord?: Omit<NonNullable<TrainResult['lastRecord']>, 'examplesPerSec' | 'tensors'>;
};

/** What summary.json says about a run the divergence guard stopped. */
export interface DivergedSummary {
  readonly dataset: string;
  readonly diverged: { readonly step: number; readonly reason: string; readonly lastCheckpointStep?: number };
  readonly divergenceGuard: TrainResult['divergenceGuard'];
}

function recorded(r: TrainResult): RecordedTrainResult {
  const { resumedFrom: _r, lastRecord, ...rest } = r;
  if (!lastRecord) return rest;
  const { examplesPerSec: _e, tensors: _t, ...last } = lastRecord;
  return { ...rest, lastRecord: last };
}

/** Creates the configured student (seeded); GloVe init takes idf weights from `collection`'s passages. */
export function createStudent(config: TrainConfig, collection?: Collection): StudentDualEncoder {
  const preset = config.student.preset === 'default' ? DEFAULT_STUDENT : DISTILBERT_BASE;
  const studentConfig = { ...preset, ...config.student.overrides };
  if (config.student.init === 'glove') {
    const idfTexts = collection ? [...collection.passages.values()].map((p) => p.text) : undefined;
    return createGloveStudent({ config: studentConfig, seed: config.student.seed, idfTexts }).model;
  }
  const tokenizer = loadTokenizer(join(dataRoot(), 'models', 'bert-base-uncased', 'vocab.txt'));
  return createDualEncoder(studentConfig, tokenizer, { seed: config.student.seed });
}

/** Runs a whole configured training into `outDir`. */
export async function trainFromConfig(config: TrainConfig, o: TrainFromConfigOptions): Promise<TrainSummary & { readonly resumedFrom?: number }> {
  const log = o.log ?? (() => {});
  const dataset = await loadDataset(config.dataset);
  const specs = [config.teacher, ...config.assistants];
  log(`dataset ${dataset.name}: ${dataset.queries.queries.size} queries, ${dataset.collection.passages.size} passages`);
  const runs: Run[] = [];
  for (const s of specs) {
    const system = runSystemOf(s);
    if (system === undefined) continue;
    const path = dataset.runFiles[system];
    if (!path) throw new Error(`dataset ${dataset.name} has no run '${system}' (runs: ${Object.keys(dataset.runFiles).join(', ')})`);
    runs.push((await readTrecRun(path, { name: s.name })).value);
  }
  if (runs.length === 0) throw new Error('train: candidates come from runs; configure at least one run-backed model');
  const all = candidatesFromRuns(runs, { depth: config.candidates.depth, queries: dataset.queries.queries.keys() });
  const candidates: CandidateLists = { byQuery: new Map([...all.byQuery].filter(([, l]) => l.length >= 2)) };
  const ctx = { source: dataset.name, runFiles: dataset.runFiles };
  const teacher = await createScorer(config.teacher, ctx);
  const assistants = await Promise.all(config.assistants.map((a) => createScorer(a, ctx)));
  let raw: ScoreTable;
  try {
    raw = await buildScoreTable(
      { teacher, assistants, queries: dataset.queries, candidates, collection: dataset.collection },
      { cacheDir: join(o.outDir, 'score-cache') },
    );
  } finally {
    await disposeScorers([teacher, ...assistants]);
  }
  // A model with no score at all for a query stays NaN there (as before the shared helper).
  const { table, filled } = fillScoreTable(raw, { kind: 'min-minus-margin', margin: config.missing.margin }, { keepUnscored: true });

  // Held-out slice: a seeded pick among queries with a relevant judgment and candidates.
  const judged = [...table.byQuery.keys()].filter((q) => [...(dataset.qrels?.judgments.get(q)?.values() ?? [])].some((g) => g >= config.eval.relLevel));
  const heldOut = config.eval.queries > 0 && dataset.qrels ? new Rng(config.seed).sample(judged, Math.min(config.eval.queries, judged.length)) : [];
  const held = new Set(heldOut);
  const trainTable: ScoreTable = { models: table.models, byQuery: new Map([...table.byQuery].filter(([q]) => !held.has(q))) };
  const { groups, report } = buildTrainingGroups(trainTable, dataset.queries, dataset.collection, dataset.qrels, {
    negatives: config.groups.negatives, positive: config.groups.positive, relLevel: config.groups.relLevel, seed: config.seed,
  });
  log(`training groups: ${groups.length} (skipped ${report.skippedQueries.length}); held-out queries: ${heldOut.length}`);

  const model = createStudent(config, dataset.collection);
  try {
    const evaluate = heldOut.length > 0 && dataset.qrels
      ? rerankEvaluator({ queryIds: heldOut, queries: dataset.queries, candidates, collection: dataset.collection, qrels: dataset.qrels, measures: config.eval.measures, relLevel: config.eval.relLevel })
      : undefined;
    // The student is freshly created from its seed here (a resume restores weights inside train()), so
    // `before` is the same figure on a first run and on a resume.
    const before = evaluate ? await evaluate(model) : undefined;
    if (before) log(`held-out before training: ${JSON.stringify(before)}`);
    const steps = o.maxSteps ?? config.train.steps;
    const t = config.train;
    const divergence = { ...DEFAULT_DIVERGENCE_GUARD, ...config.train.divergence };
    let result: TrainResult;
    try {
      result = await train(model, groups, {
      steps, batchSize: t.batchSize, accumulationSteps: t.accumulationSteps, embedChunk: t.embedChunk, lr: t.lr,
      warmupSteps: Math.round(t.warmupFraction * steps), weightDecay: t.weightDecay, maxGradNorm: t.maxGradNorm,
      loss: config.loss, distribution: config.distribution,
      selectTarget: config.loss.gamma > 0
        ? assistantSelector({
          assistants: config.assistants.map((a) => a.name), fused: config.selection.includeFused, distribution: config.distribution,
          selection: { measure: config.selection.measure, fixed: config.selection.fixed, rboP: config.selection.rboP, seed: config.seed },
        })
        : undefined,
      seed: config.seed, outDir: o.outDir, checkpointEvery: t.checkpointEvery, keepCheckpoints: t.keepCheckpoints, resume: o.resume,
      evaluate, evaluateEvery: config.eval.every,
      earlyStopping: config.eval.earlyStopping ? { ...config.eval.earlyStopping, mode: 'max' } : undefined,
      logEvery: t.logEvery, progress: o.progress, divergence,
      });
    } catch (e) {
      if (e instanceof DivergenceError) {
        const diverged: DivergedSummary = { dataset: dataset.name, diverged: { step: e.step, reason: e.reason, lastCheckpointStep: e.lastCheckpointStep }, divergenceGuard: divergence };
        await writeJsonAtomic(join(o.outDir, 'summary.json'), diverged);
      }
      throw e;
    }
    const finalModel = join(o.outDir, 'final');
    await saveHfModel(model, finalModel);
    const after = result.evaluations.length > 0 ? result.evaluations[result.evaluations.length - 1].metrics : undefined;
    const summary: TrainSummary = {
      dataset: dataset.name, trainQueries: groups.length, heldOutQueries: heldOut, groups: report, missingFilled: filled,
      before, after, result: recorded(result), finalModel,
    };
    await writeJsonAtomic(join(o.outDir, 'summary.json'), summary);
    return { ...summary, resumedFrom: result.resumedFrom };
  } finally {
    model.dispose();
  }
}
