/**
 * MTA4DPR, iteration by iteration (DESIGN.md §1): train the student with per-batch assistant
 * selection → evaluate it on the held-out slice of the training queries → let it replace the
 * weakest assistant when better → find the queries it got wrong → mine their negatives with the
 * student → score the new pairs with teacher and assistants → next iteration. Each iteration is a
 * content-addressed step: a killed run resumes at the first unfinished one (and inside it, from the
 * trainer's last checkpoint).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFromTable } from '../assistants/tableView';
import type { ScoreTable } from '../assistants/types';
import { difficultyHistogram, gotWrong, mineHardNegatives, runDifficulty, type HistogramBin, type MiningReport } from '../curriculum';
import type { DocId, QueryId, Run } from '../data/types';
import { evaluate } from '../eval';
import { writeJsonAtomic } from '../io';
import { loadEncoderCheckpoint, saveEncoderCheckpoint, withFastEncoder, type StudentDualEncoder } from '../models';
import { passageInput } from '../retrieval';
import { assistantSelector, buildTrainingGroups, train, type ProgressMode, type TrainingGroup } from '../train';
import type { MethodConfig } from './config';
import type { StepStore } from './steps';
import type { Split } from './splits';
import { createExperimentStudent, splitTexts } from './student';
import { rerankCandidates } from '../retrieval/rerank';
import { missingPolicy, replaceColumn, restrictQueries, selectColumns } from './table';
import { fillScoreTable } from '../assistants/missing';

/** What one configuration needs beyond its config. */
export interface MethodContext {
  readonly store: StepStore;
  readonly train: Split;
  /** Held-out slice of the training queries (replacement, monitoring); never trained on. */
  readonly heldOut: readonly QueryId[];
  /** Raw (unfilled) scores of the teacher and every assistant any row may use, over train candidates. */
  readonly rawTable: ScoreTable;
  /** Key of the step that built rawTable (so cached iterations depend on it). */
  readonly tableKey: string;
  /** Folder for cached passage embeddings. */
  readonly cacheDir: string;
  readonly log?: (message: string) => void;
  readonly progress?: ProgressMode;
}

/** An assistant of the pool with its held-out quality. */
export interface PoolEntry {
  readonly name: string;
  readonly quality: number;
}

/** What one iteration did (shown by notebook 04 and recorded in the manifest). */
export interface IterationRecord {
  readonly iteration: number;
  readonly poolBefore: readonly PoolEntry[];
  readonly groups: number;
  readonly hardGroupsUsed: number;
  readonly steps: number;
  /** How often each candidate was chosen by per-batch selection. */
  readonly chosen: Record<string, number>;
  readonly finalLoss?: number;
  /** Student on the held-out slice after this iteration. */
  readonly heldOut: Record<string, number>;
  readonly replaced: string | null;
  readonly poolAfter: readonly PoolEntry[];
  readonly hardQueries: readonly QueryId[];
  readonly trainQueries: number;
  readonly difficulty: readonly HistogramBin[];
  readonly mining?: MiningReport;
  readonly hardGroupsNext: number;
  readonly seconds: { readonly train: number; readonly evaluate: number; readonly mine: number };
}

/** The method's outcome for one configuration and seed. */
export interface MethodResult {
  readonly iterations: readonly IterationRecord[];
  /** Encoder checkpoint of the final student. */
  readonly modelDir: string;
  readonly finalKey: string;
}

/** State carried from one iteration to the next (saved beside its checkpoint). */
interface CarriedState {
  readonly pool: PoolEntry[];
  /** Student columns that replaced assistants: name → query → scores aligned with table docIds. */
  readonly studentColumns: Record<string, { replaced: string; scores: Record<QueryId, number[]> }>;
  readonly hardGroups: Array<{ queryId: QueryId; docIds: DocId[] }>;
}

const STATE = 'state.json';
const MODEL = 'model';

function measuresOf(config: MethodConfig): string[] {
  return [...new Set(['nDCG@10', ...config.eval.metrics])];
}

/** Held-out quality (nDCG@10) of a run. */
function quality(split: Split, run: Run, queryIds: readonly QueryId[], relLevel: number, measures: string[]): Record<string, number> {
  const keep = new Set(queryIds);
  const sub: Run = { name: run.name, byQuery: new Map([...run.byQuery].filter(([q]) => keep.has(q))) };
  return evaluate(split.qrels!, sub, measures, { relLevel }).mean;
}

/** A hard group: the base group's positive, then the mined negatives, scored from the table. */
function hardGroup(base: TrainingGroup, mined: readonly DocId[], table: ScoreTable, split: Split): TrainingGroup | undefined {
  const block = table.byQuery.get(base.queryId);
  if (!block) return undefined;
  const col = new Map(block.docIds.map((d, j) => [d, j]));
  const docIds = [base.docIds[0], ...mined];
  const idx = docIds.map((d) => col.get(d));
  if (idx.some((j) => j === undefined)) return undefined;
  const teacherCol = table.models.findIndex((m) => m.role === 'teacher');
  const pick = (c: number) => Float64Array.from(idx as number[], (j) => block.scores[c][j]);
  const judged = split.qrels?.judgments.get(base.queryId);
  return {
    queryId: base.queryId, query: base.query, docIds,
    passages: docIds.map((d) => passageInput(split.collection.passages.get(d)!)),
    labels: docIds.map((d) => judged?.get(d) ?? NaN),
    teacher: pick(teacherCol),
    assistants: Object.fromEntries(table.models.map((m, c) => [m, c] as const).filter(([m]) => m.role === 'assistant').map(([m, c]) => [m.name, pick(c)])),
  };
}

/** The filled table of this configuration, with earlier iterations' student columns swapped in. */
function currentTable(config: MethodConfig, ctx: MethodContext, state: CarriedState): ScoreTable {
  let raw = selectColumns(ctx.rawTable, [config.teacher.name, ...config.assistants.map((a) => a.name)]);
  for (const [name, col] of Object.entries(state.studentColumns)) {
    raw = replaceColumn(raw, col.replaced, { name, role: 'assistant' }, (q, docIds) => Float64Array.from(docIds, (_d, j) => col.scores[q]?.[j] ?? NaN));
  }
  return fillScoreTable(raw, missingPolicy(config)).table;
}

/** Runs all iterations of `config` for one seed (cached per iteration in ctx.store). */
export async function runMethod(config: MethodConfig, seed: number, ctx: MethodContext): Promise<MethodResult> {
  const log = ctx.log ?? (() => {});
  const split = ctx.train;
  if (!split.qrels) throw new Error(`${config.name}: the training split ${split.name} has no judgments; the held-out slice needs some`);
  const relLevel = config.eval.relLevel;
  const measures = measuresOf(config);
  const held = new Set(ctx.heldOut);
  const trainIds = [...split.candidates.byQuery.keys()].filter((q) => !held.has(q));
  const allIds = [...split.candidates.byQuery.keys()];
  const teacherRun = runFromTable(ctx.rawTable, config.teacher.name);

  // The pool starts with the configured assistants, ranked by their own runs on the held-out slice.
  let state: CarriedState = {
    pool: config.assistants.map((a) => ({ name: a.name, quality: quality(split, runFromTable(ctx.rawTable, a.name), ctx.heldOut, relLevel, ['nDCG@10'])['nDCG@10'] })),
    studentColumns: {}, hardGroups: [],
  };
  // The config without its row name: rows that differ only by name share every step.
  const { name: _name, description: _d, seeds: _s, ...method } = config;
  let prevKey = ctx.tableKey;
  let prevDir: string | undefined;
  let model: StudentDualEncoder | undefined;
  const records: IterationRecord[] = [];

  try {
    for (let it = 1; it <= config.iterations.count; it++) {
      const inputs = { method, seed, iteration: it, previous: prevKey, heldOut: ctx.heldOut };
      const stateBefore = state;
      const step = await ctx.store.run('iteration', inputs, async (dir) => {
        const t0 = Date.now();
        if (!model || !config.iterations.continueTraining) {
          model?.dispose();
          model = prevDir && config.iterations.continueTraining
            ? (await loadEncoderCheckpoint(join(prevDir, MODEL))).model
            : await createExperimentStudent(config, seed, splitTexts(split));
        }
        const table = currentTable(config, ctx, stateBefore);
        const trainTable = restrictQueries(table, new Set(trainIds));
        const base = buildTrainingGroups(trainTable, split.queries, split.collection, split.qrels, {
          negatives: config.train.negatives, relLevel, seed,
        });
        const baseByQuery = new Map(base.groups.map((g) => [g.queryId, g]));
        const hard = stateBefore.hardGroups
          .map((h) => { const b = baseByQuery.get(h.queryId); return b && hardGroup(b, h.docIds.slice(1), trainTable, split); })
          .filter((g): g is TrainingGroup => g !== undefined);
        const groups = [...base.groups, ...hard];
        const names = stateBefore.pool.map((p) => p.name);
        const sel = config.selection;
        const fusedOnly = !sel.includeIndividual;
        const result = await train(model, groups, {
          steps: config.train.stepsPerIteration, batchSize: config.train.batchSize, accumulationSteps: config.train.accumulation,
          lr: config.train.lr, warmupSteps: Math.round(config.train.warmupFraction * config.train.stepsPerIteration),
          weightDecay: config.train.weightDecay, maxGradNorm: config.train.clipNorm,
          loss: { alpha: config.loss.alpha, beta: config.loss.beta, gamma: config.loss.gamma, studentTemperature: config.loss.studentTemperature, contrastiveTemperature: config.loss.contrastiveTemperature },
          distribution: config.distribution,
          selectTarget: config.loss.gamma > 0 && names.length > 0
            ? assistantSelector({
              assistants: names, fused: sel.includeFused || fusedOnly, distribution: config.distribution,
              fusion: { method: config.fusion.method, rrfK: config.fusion.rrfK, weights: config.fusion.weights },
              selection: fusedOnly
                ? { measure: 'fixed', fixed: 'fused' }
                : { measure: sel.measure, fixed: sel.fixed, rboP: sel.rboP },
            })
            : undefined,
          // The random-selection stream lives in the trainer's checkpoints (same draws as the old per-iteration seeding).
          selectionSeed: seed * 7919 + it,
          seed: seed * 1000 + it, outDir: join(dir, 'train'), checkpointEvery: Math.max(10, Math.round(config.train.stepsPerIteration / 4)),
          resume: true, progress: ctx.progress,
        });
        const t1 = Date.now();

        // One re-ranking of every training query's candidates serves the held-out evaluation,
        // the student's assistant column and the hard-query search.
        // The last iteration needs only the held-out slice (nothing comes after it to use the rest).
        const last = it === config.iterations.count;
        const run = await withFastEncoder(model, (encoder) => rerankCandidates(encoder, split, last ? ctx.heldOut : allIds, { name: `student-it${it}`, cacheDir: ctx.cacheDir }));
        const heldOut = quality(split, run, ctx.heldOut, relLevel, measures);
        const t2 = Date.now();

        let pool = stateBefore.pool.slice();
        const studentColumns = { ...stateBefore.studentColumns };
        let replaced: string | null = null;
        if (config.iterations.replacement && pool.length > 0 && !last) {
          const weakest = pool.reduce((a, b) => (b.quality < a.quality ? b : a));
          if (heldOut['nDCG@10'] > weakest.quality) {
            replaced = weakest.name;
            const name = `student-it${it}`;
            const scores: Record<QueryId, number[]> = {};
            for (const [q, b] of table.byQuery) {
              const s = new Map(run.byQuery.get(q)?.map((e) => [e.docId, e.score]) ?? []);
              scores[q] = b.docIds.map((d) => s.get(d) ?? NaN);
            }
            // The column keeps the name of the model it replaced in the raw table.
            const rawName = stateBefore.studentColumns[weakest.name]?.replaced ?? weakest.name;
            delete studentColumns[weakest.name];
            studentColumns[name] = { replaced: rawName, scores };
            pool = pool.filter((p) => p !== weakest).concat({ name, quality: heldOut['nDCG@10'] });
          }
        }

        // Queries the student got wrong, with negatives mined by the student (or the teacher).
        const trainRun: Run = { name: run.name, byQuery: new Map([...run.byQuery].filter(([q]) => !held.has(q))) };
        const diff = runDifficulty(trainRun, { qrels: split.qrels, relLevel, teacher: teacherRun, distribution: config.distribution });
        const wrong = diff.filter((d) => gotWrong(d, config.iterations.gotWrong)).map((d) => d.queryId);
        let hardGroups: CarriedState['hardGroups'] = [];
        let mining: MiningReport | undefined;
        if (config.iterations.hardData && it < config.iterations.count && wrong.length > 0) {
          const wrongSet = new Set(wrong);
          const source = config.iterations.negativesFrom === 'student' ? trainRun : teacherRun;
          const sub: Run = { name: source.name, byQuery: new Map([...source.byQuery].filter(([q]) => wrongSet.has(q))) };
          const mined = mineHardNegatives(sub, split.qrels, { depth: [1, 30], count: config.train.negatives, seed: seed * 31 + it });
          mining = mined.report;
          for (const [q, negs] of mined.candidates.byQuery) {
            const b = baseByQuery.get(q);
            if (b && negs.length === config.train.negatives) hardGroups.push({ queryId: q, docIds: [b.docIds[0], ...negs] });
          }
        }
        const t3 = Date.now();
        await saveEncoderCheckpoint(join(dir, MODEL), model, { iteration: it, seed, config: config.name });
        const next: CarriedState = { pool, studentColumns, hardGroups };
        await writeJsonAtomic(join(dir, STATE), next);
        const record: IterationRecord = {
          iteration: it, poolBefore: stateBefore.pool, groups: groups.length, hardGroupsUsed: hard.length, steps: result.steps,
          chosen: result.assistantCounts, finalLoss: result.lastRecord?.loss, heldOut, replaced, poolAfter: pool,
          hardQueries: wrong, trainQueries: trainIds.length, difficulty: difficultyHistogram(diff), mining,
          hardGroupsNext: hardGroups.length,
          seconds: { train: (t1 - t0) / 1000, evaluate: (t2 - t1) / 1000, mine: (t3 - t2) / 1000 },
        };
        return record;
      });
      if (step.cached) {
        // A finished iteration: the next one continues from its checkpoint and state.
        model?.dispose();
        model = undefined;
      }
      const carried = join(step.dir, STATE);
      if (!existsSync(carried)) throw new Error(`${step.dir}: missing ${STATE}; delete the folder to recompute the iteration`);
      state = JSON.parse(readFileSync(carried, 'utf8')) as CarriedState;
      records.push(step.value);
      log(`${config.name} seed ${seed} iteration ${it}: held-out nDCG@10 ${step.value.heldOut['nDCG@10'].toFixed(4)}${step.cached ? ' (cached)' : ''}; chosen ${JSON.stringify(step.value.chosen)}; replaced ${step.value.replaced ?? '-'}; hard queries ${step.value.hardQueries.length}`);
      prevKey = step.key;
      prevDir = step.dir;
    }
  } finally {
    model?.dispose();
  }
  return { iterations: records, modelDir: join(prevDir!, MODEL), finalKey: prevKey };
}
