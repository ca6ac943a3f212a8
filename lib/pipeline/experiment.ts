/**
 * One call for notebooks and the CLI: run an experiment config (rows × seeds in parallel child
 * processes on single-threaded backends, then assembled from the cached steps) and write its
 * results, report and manifest. Without a `log` of the caller's, messages go to OUT/run.log and
 * the reader sees one live progress display (lib/progress/runLog.ts), not the tasks' log lines.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../backend';
import { ensureWritableFolder, lockFolder, type Lock } from '../io';
import { closeBrowser } from '../report';
import { createRunLog, type RunLog, type RunLogMode } from '../progress';
import { systemConfig, type ExperimentConfig } from '../config';
import { loadCheckedExperiment } from './validate';
import { runTasksInChildren, type TaskProgress } from './parallel';
import { directionLabel, directionsOf } from './directions';
import { reproduce, type ReproduceResults } from './reproduce';
import { writeResults } from './report';
import type { ProgressMode } from '../train';

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions {
  readonly outDir: string;
  /** Parallel (row, seed) tasks; default: CPUs (≤ 4) on wasm/cpu, 1 on tfjs-node. */
  readonly jobs?: number;
  readonly only?: readonly string[];
  readonly seeds?: readonly number[];
  readonly progress?: ProgressMode;
  readonly log?: (message: string) => void;
  /** Without `log`: how the run log shows itself (default 'auto': a live display in a notebook, a bar on a terminal, else lines). */
  readonly display?: RunLogMode;
  /** Folder of the steps and caches (default: outDir); experiments sharing one reuse each other's steps. */
  readonly stepsDir?: string;
  /** Folder of the full-scale datasets in their official layout (replaces the config's data.root). */
  readonly dataRoot?: string;
  /** Write results.json, report.md/html and figures (default true). */
  readonly write?: boolean;
  /** The experiment to run, already loaded from `configPath` and changed (`reproduce --miniature`: data root, model folders, toy scale); default: read `configPath`. */
  readonly config?: ExperimentConfig;
  /** The data are a miniature at toy scale: results.json and the report say so with this note. */
  readonly miniature?: string;
}

/** Parallel tasks by default: one per core on the single-threaded backends, none on tfjs-node. */
export async function defaultJobs(): Promise<number> {
  const b = await initBackend();
  return b.backend === 'wasm' || b.backend === 'cpu' ? Math.max(1, Math.min(4, cpus().length)) : 1;
}

/** Runs the experiment in `configPath` into `opts.outDir`; finished steps are reused. */
export async function runExperiment(configPath: string, opts: RunExperimentOptions): Promise<ReproduceResults> {
  const started = Date.now();
  const config: ExperimentConfig = opts.config ?? loadCheckedExperiment(configPath, { dataRoot: opts.dataRoot });
  const outDir = ensureWritableFolder(opts.outDir);
  const runLog: RunLog | undefined = opts.log ? undefined : createRunLog({ file: join(outDir, 'run.log'), mode: opts.display ?? 'auto' });
  const log = opts.log ?? runLog!;
  const stepsDir = opts.stepsDir === undefined ? undefined : ensureWritableFolder(opts.stepsDir);
  // One writer per output folder and per shared step store; the workers write under the parent's locks.
  const locks: Lock[] = [lockFolder(outDir, `mta4dpr reproduce ${config.name}`, log)];
  try {
    if (stepsDir && stepsDir !== outDir) locks.push(lockFolder(stepsDir, `mta4dpr reproduce ${config.name} (steps)`, log));
    return await runLocked(config, outDir, stepsDir, started, log, opts, runLog);
  } finally {
    for (const l of locks) l.release();
    runLog?.close();
  }
}

async function runLocked(
  config: ExperimentConfig, outDir: string, stepsDir: string | undefined, started: number, log: (m: string) => void, opts: RunExperimentOptions,
  progress?: TaskProgress,
): Promise<ReproduceResults> {
  const jobs = opts.jobs ?? (await defaultJobs());
  if (jobs > 1) {
    const rows = config.systems.filter((s) => s.kind !== 'run' && (!opts.only || opts.only.includes(s.name)));
    const directions = directionsOf(config);
    const tasks = directions.flatMap((d, direction) => rows.flatMap((s) => (opts.seeds ?? systemConfig(d, s).seeds).map((seed) => ({
      row: s.name, seed, cost: systemConfig(d, s).iterations.count, direction,
      ...(directions.length > 1 ? { directionLabel: directionLabel(d) } : {}),
    }))));
    // Longest tasks first, so the processes finish together.
    tasks.sort((a, b) => b.cost - a.cost);
    if (tasks.length > 1) {
      log(`running ${tasks.length} (row, seed${directions.length > 1 ? ', direction' : ''}) tasks in ${jobs} processes`);
      await runTasksInChildren(tasks, jobs, config, outDir, log, stepsDir, progress);
    }
  }
  // Assembled once, in this process: every step the workers finished is reused, none recomputed.
  const assembled = await reproduce(config, { outDir, only: opts.only, seeds: opts.seeds, progress: opts.progress, log, stepsDir, miniature: opts.miniature });
  // Wall time of the whole job, child processes included.
  const results: ReproduceResults = { ...assembled, elapsed_s: (Date.now() - started) / 1000, startedAt: new Date(started).toISOString() };
  if (opts.write ?? true) {
    try {
      await writeResults(results, outDir);
    } finally {
      await closeBrowser();
    }
  }
  return results;
}
