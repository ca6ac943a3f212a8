/**
 * MTA4DPR, iteration by iteration (docs/method.md §1), composed of the named stages of
 * lib/pipeline/stages: normalise and fuse → training groups → select per batch → train →
 * evaluate on the held-out slice → replace the weakest assistant → find the queries the student
 * got wrong → mine new candidates for them over the whole collection → score the new pairs with
 * the teacher and every assistant → next iteration. Each iteration is a content-addressed step: a
 * killed run resumes at the first unfinished one (and inside it, from the trainer's checkpoint).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFromTable } from '../assistants/tableView';
import type { MethodConfig } from '../config';
import type { HistogramBin } from '../curriculum';
import type { QueryId } from '../data/types';
import { writeJsonAtomic } from '../io';
import { loadStudentCheckpoint, saveStudentCheckpoint, type StudentModel } from '../models';
import type { ProgressMode } from '../train';
import type { StepStore } from './steps';
import type { Split } from './splits';
import { createExperimentStudent, splitTexts } from './student';
import { qualityOn } from './stages/evaluate';
import { normaliseAndFuse } from './stages/fuse';
import { trainingGroups } from './stages/groups';
import { replaceWeakest } from './stages/replace';
import type { ScoredCandidates } from './stages/score';
import { buildHarderData, type HarderDataRecord } from './stages/harder';
import { studentPass } from './stages/studentPass';
import { perBatchSelector } from './stages/select';
import type { CarriedState, PairCounts, PoolEntry } from './stages/state';
import { trainStudent } from './stages/train';
import { restrictQueries } from './table';

export type { PoolEntry } from './stages/state';

/** What one configuration needs beyond its config. */
export interface MethodContext {
  readonly store: StepStore;
  readonly train: Split;
  /** Held-out slice of the training queries (replacement, monitoring); never trained on. */
  readonly heldOut: readonly QueryId[];
  /** Test queries: the pool's guard refuses to measure quality on any of them. */
  readonly testQueryIds: readonly QueryId[];
  /** The raw training score table of every model any row uses, its scorers and its key. */
  readonly scored: ScoredCandidates;
  /** Folder for cached passage embeddings. */
  readonly cacheDir: string;
  readonly log?: (message: string) => void;
  readonly progress?: ProgressMode;
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
  readonly harder?: HarderDataRecord;
  readonly hardGroupsNext: number;
  readonly seconds: { readonly train: number; readonly evaluate: number; readonly mine: number };
}

/** An iteration's record without its wall-clock seconds (those go to timings.json): what every run of it shares. */
export type IterationSummary = Omit<IterationRecord, 'seconds'>;

/** The record less its wall-clock `seconds`. */
export function timelessRecord({ seconds: _s, ...rest }: IterationRecord): IterationSummary {
  return rest;
}

/** The method's outcome for one configuration and seed. */
export interface MethodResult {
  readonly iterations: readonly IterationRecord[];
  /** Encoder checkpoint of the final student. */
  readonly modelDir: string;
  readonly finalKey: string;
}

const STATE = 'state.json';
const HARD_BLOCKS = 'hard-blocks.tsv';
const MODEL = 'model';

/** The pool before the first iteration: the configured assistants, ranked by their own runs on the held-out slice. */
export function initialState(config: MethodConfig, ctx: Pick<MethodContext, 'train' | 'heldOut' | 'scored'>): CarriedState {
  // Only the held-out slice is evaluated: a run of every training query per assistant was a transient of 1.1-1.7 GiB per 100k queries.
  const held = restrictQueries(ctx.scored.table, new Set(ctx.heldOut));
  const pool = config.assistants.map((a) => ({
    name: a.name, quality: qualityOn(ctx.train, runFromTable(held, a.name), ctx.heldOut, config.eval.relLevel, ['nDCG@10'])['nDCG@10'],
  }));
  return { pool, studentColumns: {}, hardModels: [] };
}

/** The step inputs of one iteration: the config without its row name (rows that differ only by name share steps). */
export function iterationInputs(config: MethodConfig, seed: number, iteration: number, previous: string, heldOut: readonly QueryId[]): unknown {
  const { name: _n, description: _d, seeds: _s, ...method } = config;
  return { method, seed, iteration, previous, heldOut };
}

/** One iteration: every stage in order; returns its record and the state for the next. */
export async function runIteration(
  config: MethodConfig, seed: number, it: number, model: StudentModel, state: CarriedState, ctx: MethodContext, dir: string,
): Promise<{ record: IterationRecord; next: CarriedState }> {
  const split = ctx.train;
  const held = new Set(ctx.heldOut);
  const trainIds = [...split.candidates.byQuery.keys()].filter((q) => !held.has(q));
  const last = it === config.iterations.count;
  const teacherRun = runFromTable(ctx.scored.table, config.teacher.name);
  const t0 = Date.now();

  const fused = normaliseAndFuse(config, ctx.scored.table, state);
  const groups = trainingGroups(config, fused.table, split, trainIds, state, seed);
  const selector = perBatchSelector(config, state.pool, seed, it);
  const result = await trainStudent(model, groups.groups, config, selector, { outDir: join(dir, 'train'), seed, iteration: it, progress: ctx.progress });
  if (result.resumedFrom !== undefined) ctx.log?.(`${config.name} seed ${seed} iteration ${it}: resumed from the checkpoint of step ${result.resumedFrom}`);
  const t1 = Date.now();

  const name = `student-it${it}`;
  const modelDir = join(dir, MODEL);
  const mayJoin = config.iterations.replacement && state.pool.length > 0 && !last;
  const pass = await studentPass(model, split, ctx.heldOut, config, {
    name, cacheDir: ctx.cacheDir, all: !last, teacherRun, ...(mayJoin ? { column: { path: `${modelDir}.column.log`, table: fused.table } } : {}),
  });
  const { evaluation, wrong } = pass;
  const t2 = Date.now();
  await saveStudentCheckpoint(modelDir, model, { iteration: it, seed, config: config.name });
  const replacement = mayJoin
    ? await replaceWeakest(state, { name, quality: evaluation.heldOut['nDCG@10'], modelDir, columnLog: pass.columnLog }, ctx.heldOut, ctx.testQueryIds)
    : { pool: state.pool, studentColumns: state.studentColumns, replaced: null };

  let next: CarriedState = { pool: replacement.pool, studentColumns: replacement.studentColumns, hardModels: [] };
  let harder: HarderDataRecord | undefined;
  if (config.iterations.hardData && !last && wrong.wrong.length > 0) {
    const built = await buildHarderData(model, split, wrong.wrong, groups.base, teacherRun, next, ctx.scored.scorers, { name, model }, config, {
      seed, iteration: it, cacheDir: ctx.cacheDir, path: join(dir, HARD_BLOCKS),
    });
    next = { ...next, ...built.hard };
    harder = built.record;
  }
  const t3 = Date.now();
  const record: IterationRecord = {
    iteration: it, poolBefore: state.pool, groups: groups.groups.length, hardGroupsUsed: groups.hardGroups, steps: result.steps,
    chosen: result.assistantCounts, finalLoss: result.lastRecord?.loss, heldOut: evaluation.heldOut, replaced: replacement.replaced,
    poolAfter: next.pool, hardQueries: wrong.wrong, trainQueries: trainIds.length, difficulty: wrong.histogram,
    ...(harder ? { harder } : {}), hardGroupsNext: harder?.queries ?? 0,
    seconds: { train: (t1 - t0) / 1000, evaluate: (t2 - t1) / 1000, mine: (t3 - t2) / 1000 },
  };
  return { record, next };
}

/** Runs all iterations of `config` for one seed (each cached as a step of ctx.store). */
export async function runMethod(config: MethodConfig, seed: number, ctx: MethodContext): Promise<MethodResult> {
  const log = ctx.log ?? (() => {});
  if (!ctx.train.qrels) throw new Error(`${config.name}: the training split ${ctx.train.name} has no judgments; the held-out slice needs some`);
  let state = initialState(config, ctx);
  let prevKey = ctx.scored.key;
  let prevDir: string | undefined;
  let model: StudentModel | undefined;
  const records: IterationRecord[] = [];
  try {
    for (let it = 1; it <= config.iterations.count; it++) {
      const before = state;
      const step = await ctx.store.run('iteration', iterationInputs(config, seed, it, prevKey, ctx.heldOut), async (dir) => {
        if (!model || !config.iterations.continueTraining) {
          model?.dispose();
          model = prevDir && config.iterations.continueTraining
            ? (await loadStudentCheckpoint(join(prevDir, MODEL))).model
            : await createExperimentStudent(config, seed, splitTexts(ctx.train));
        }
        const { record, next } = await runIteration(config, seed, it, model, before, ctx, dir);
        await writeJsonAtomic(join(dir, STATE), next);
        return record;
      });
      if (step.cached) {
        // A finished iteration: the next one continues from its checkpoint and state.
        model?.dispose();
        model = undefined;
      }
      const carried = join(step.dir, STATE);
      if (!existsSync(carried)) throw new Error(`${step.dir}: missing ${STATE}; delete the folder to recompute the iteration`);
      state = relocate(JSON.parse(readFileSync(carried, 'utf8')) as CarriedState, step.dir);
      records.push(step.value);
      const r = step.value;
      log(`${config.name} seed ${seed} iteration ${it}: held-out nDCG@10 ${r.heldOut['nDCG@10'].toFixed(4)}${step.cached ? ' (cached)' : ''}; chosen ${JSON.stringify(r.chosen)}; replaced ${r.replaced ?? '-'}; got wrong ${r.hardQueries.length}; new pairs scored ${r.harder ? `${r.harder.pairs} (${r.harder.newPairs} new)` : 0}`);
      prevKey = step.key;
      prevDir = step.dir;
    }
  } finally {
    model?.dispose();
  }
  return { iterations: records, modelDir: join(prevDir!, MODEL), finalKey: prevKey };
}

/** A step is written in `<dir>.work` and renamed: point its own student checkpoint, column and hard blocks at the final folder. */
function relocate(state: CarriedState, dir: string): CarriedState {
  const work = `${dir}.work`;
  const moved = (p: string) => (p.startsWith(work) ? dir + p.slice(work.length) : p);
  const studentColumns = Object.fromEntries(Object.entries(state.studentColumns).map(([k, c]) => [k, { ...c, modelDir: moved(c.modelDir), ...(c.scoresLog ? { scoresLog: moved(c.scoresLog) } : {}) }]));
  return { ...state, studentColumns, ...(state.hardBlocksFile ? { hardBlocksFile: moved(state.hardBlocksFile) } : {}) };
}
