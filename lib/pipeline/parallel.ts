/**
 * Both cores for the main job: the wasm backend is single-threaded (its native matrix products get
 * cores / jobs threads each), so independent (row, seed) tasks run in separate child processes (`mta4dpr reproduce --task`) that fill the same
 * content-addressed step store; the parent then assembles the results from the cached steps.
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../data/paths';

/** One unit of parallel work: one row of the table with one seed. */
export interface ReproduceTask {
  readonly row: string;
  readonly seed: number;
}

/** Runs `tasks` with at most `jobs` child processes; rejects on the first failed task. */
export async function runTasksInChildren(
  tasks: readonly ReproduceTask[], jobs: number, configPath: string, outDir: string, log: (m: string) => void, stepsDir?: string,
): Promise<void> {
  const bin = join(projectRoot(), 'bin', 'mta4dpr.js');
  const workers = Math.max(1, Math.min(jobs, tasks.length));
  // Native kernels thread each product: share the cores among the children instead of oversubscribing.
  const env = { ...process.env, MTA4DPR_THREADS: process.env.MTA4DPR_THREADS ?? String(Math.max(1, Math.floor(os.availableParallelism() / workers))) };
  const queue = tasks.slice();
  let failed: Error | undefined;
  const worker = async (): Promise<void> => {
    while (queue.length > 0 && !failed) {
      const t = queue.shift()!;
      const started = Date.now();
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [bin, 'reproduce', '--config', configPath, '--out', outDir, '--only', t.row, '--seeds', String(t.seed), '--task', '--no-progress', ...(stepsDir ? ['--steps', stepsDir] : [])], {
          stdio: ['ignore', 'ignore', 'pipe'], env,
        });
        let tail = '';
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (chunk: string) => {
          tail = (tail + chunk).slice(-4000);
          for (const line of chunk.split('\n')) if (line.trim()) log(`[${t.row} / seed ${t.seed}] ${line}`);
        });
        child.on('close', (code) => {
          if (code !== 0 && !failed) failed = new Error(`task '${t.row}' seed ${t.seed} failed (exit ${code}):\n${tail}`);
          else log(`[${t.row} / seed ${t.seed}] done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
          resolve();
        });
      });
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  if (failed) throw failed;
}
