/**
 * Training from a configuration (what `mta4dpr train` runs): load the dataset, build and
 * missing-fill the score table, hold out an evaluation slice of queries, build training groups,
 * create the student, train with checkpoints, and save the final model in Hugging Face format.
 */
import { join } from 'node:path';
import { candidatesFromRuns, loadDataset, readTrecRun } from '../data';
import { dataRoot } from '../data/paths';
import type { CandidateLists, QueryId, Run } from '../data/types';
import { fillScoreTable } from '../assistants/missing';
import { scorerFromSpec } from '../assistants/report';
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
import { train, type TrainResult } from './trainer';
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
  readonly result: TrainResult;
  readonly finalModel: string;
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
export async function trainFromConfig(config: TrainConfig, o: TrainFromConfigOptions): Promise<TrainSummary> {
  const log = o.log ?? (() => {});
  const dataset = await loadDataset(config.dataset);
  const specs = [config.teacher, ...config.assistants];
  log(`dataset ${dataset.name}: ${dataset.queries.queries.size} queries, ${dataset.collection.passages.size} passages`);
  const runs: Run[] = [];
  for (const s of specs.filter((x) => x.kind !== 'bm25')) {
    const path = dataset.runFiles[s.run ?? s.name];
    if (!path) throw new Error(`dataset ${dataset.name} has no run '${s.run ?? s.name}' (runs: ${Object.keys(dataset.runFiles).join(', ')})`);
    runs.push((await readTrecRun(path, { name: s.name })).value);
  }
  if (runs.length === 0) throw new Error('train: candidates come from runs; configure at least one run-backed model');
  const all = candidatesFromRuns(runs, { depth: config.candidates.depth, queries: dataset.queries.queries.keys() });
  const candidates: CandidateLists = { byQuery: new Map([...all.byQuery].filter(([, l]) => l.length >= 2)) };
  const teacher = await scorerFromSpec(config.teacher, dataset);
  const assistants = await Promise.all(config.assistants.map((a) => scorerFromSpec(a, dataset)));
  const raw = await buildScoreTable(
    { teacher, assistants, queries: dataset.queries, candidates, collection: dataset.collection },
    { cacheDir: join(o.outDir, 'score-cache') },
  );
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
    const before = evaluate && !o.resume ? await evaluate(model) : undefined;
    if (before) log(`held-out before training: ${JSON.stringify(before)}`);
    const steps = o.maxSteps ?? config.train.steps;
    const t = config.train;
    const result = await train(model, groups, {
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
      logEvery: t.logEvery, progress: o.progress,
    });
    const finalModel = join(o.outDir, 'final');
    await saveHfModel(model, finalModel);
    const after = result.evaluations.length > 0 ? result.evaluations[result.evaluations.length - 1].metrics : undefined;
    const summary: TrainSummary = {
      dataset: dataset.name, trainQueries: groups.length, heldOutQueries: heldOut, groups: report, missingFilled: filled,
      before, after, result, finalModel,
    };
    await writeJsonAtomic(join(o.outDir, 'summary.json'), summary);
    return summary;
  } finally {
    model.dispose();
  }
}
