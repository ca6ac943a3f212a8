/**
 * Both cores for the main job: the wasm backend is single-threaded (its native matrix products get
 * cores / jobs threads each), so independent (row, seed) tasks run in forked worker processes
 * (lib/pipeline/worker.ts, task sent over IPC) that fill the same content-addressed step store; the
 * parent then assembles the results once from the finished steps. Workers exit when the parent dies.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { extname, join } from 'node:path';
import type { ExperimentConfig } from '../config';
import type { RunLog } from '../progress';
import type { WorkerReply, WorkerTask } from './worker';

/** One unit of parallel work: one row of the table with one seed (in one direction of the experiment). */
export interface ReproduceTask {
  readonly row: string;
  readonly seed: number;
  /** Index into directionsOf(config) (default 0). */
  readonly direction?: number;
  /** How the log names the direction ("dl19 → dl20"); omitted when the experiment has one. */
  readonly directionLabel?: string;
}

/** The worker module beside this one (worker.js when built, worker.ts under tsx). */
function workerPath(): string {
  return join(__dirname, `worker${extname(__filename)}`);
}

/** Live workers of this process, killed when it exits (SIGINT/SIGTERM/exit); SIGKILL is covered by the workers' own check. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killLiveWorkers(): void {
  for (const c of live) c.kill('SIGKILL');
}

/** Task starts and finishes, for a live display (a RunLog of lib/progress). */
export type TaskProgress = Pick<RunLog, 'tasks' | 'started' | 'finished'>;

/**
 * A worker's stderr line as the run log should read it. Dawn (the webgpu package) prints two
 * "Warning: max…BuffersPerPipelineLayout artificially reduced" lines whenever a process probes a
 * Vulkan adapter: a device-limit notice, not a problem of the run, so it is kept in the log file
 * but not summarised as a warning of every task.
 */
export function workerLine(line: string): string {
  return /^Warning: maxDynamic\w+PerPipelineLayout artificially reduced/.test(line) ? `(Dawn device limits) ${line.slice('Warning: '.length)}` : line;
}

/** Runs `tasks` with at most `jobs` worker processes; rejects on the first failed task (after the running ones end). */
export async function runTasksInChildren(
  tasks: readonly ReproduceTask[], jobs: number, config: ExperimentConfig, outDir: string, log: (m: string) => void, stepsDir?: string,
  progress?: TaskProgress,
): Promise<void> {
  const workers = Math.max(1, Math.min(jobs, tasks.length));
  // Native kernels thread each product: share the cores among the children instead of oversubscribing.
  const env = { ...process.env, MTA4DPR_THREADS: process.env.MTA4DPR_THREADS ?? String(Math.max(1, Math.floor(os.availableParallelism() / workers))) };
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killLiveWorkers);
  }
  const queue = tasks.slice();
  let failed: Error | undefined;
  progress?.tasks(tasks.length);
  const runOne = (t: ReproduceTask): Promise<void> => new Promise<void>((resolve) => {
    const started = Date.now();
    const label = `${t.row} / seed ${t.seed}${t.directionLabel ? ` / ${t.directionLabel}` : ''}`;
    progress?.started(label);
    const child = fork(workerPath(), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env });
    live.add(child);
    let tail = '';
    let reply: WorkerReply | undefined;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-4000);
      for (const line of chunk.split('\n')) if (line.trim()) log(`[${label}] ${workerLine(line)}`);
    });
    child.on('message', (m: WorkerReply) => { reply = m; });
    child.on('error', (e) => { if (!failed) failed = new Error(`task ${label}: could not start a worker: ${e.message}`); });
    child.on('close', (code, signal) => {
      live.delete(child);
      progress?.finished(label);
      if (code === 0 && reply?.type === 'done') log(`[${label}] done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      else if (!failed) {
        const why = reply?.type === 'error' ? reply.message : `exit ${code ?? signal}\n${tail}`;
        failed = new Error(`task ${label} failed: ${why}`);
      }
      resolve();
    });
    const task: WorkerTask = { type: 'task', config, outDir, stepsDir, row: t.row, seed: t.seed, direction: t.direction ?? 0 };
    child.send(task);
  });
  const worker = async (): Promise<void> => {
    while (queue.length > 0 && !failed) await runOne(queue.shift()!);
  };
  await Promise.all(Array.from({ length: workers }, worker));
  if (failed) throw failed;
}
