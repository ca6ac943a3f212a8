/**
 * Worker entry for parallel (row, seed) tasks: the parent forks this module (child_process.fork),
 * sends one task over IPC, and the worker computes its steps into the shared content-addressed
 * store with the library's reproduce(). A worker never outlives its parent: on IPC disconnect, or
 * when the parent's pid is gone (SIGKILL), it exits at once, so nothing writes into a folder after
 * the process that locked it is gone.
 */
import { z } from 'zod';
import { parseExperimentConfig } from '../config';
import { reproduce } from './reproduce';

/** The one message a worker receives. */
export const WorkerTaskSchema = z.strictObject({
  type: z.literal('task'),
  config: z.unknown(),
  outDir: z.string().min(1),
  stepsDir: z.string().min(1).optional(),
  row: z.string().min(1),
  seed: z.number().int(),
  /** Which direction of the experiment (lib/pipeline/directions.ts); 0 unless `data.reverse`. */
  direction: z.number().int().nonnegative().default(0),
});
export type WorkerTask = z.input<typeof WorkerTaskSchema>;

/** What a worker answers before it exits. */
export type WorkerReply = { readonly type: 'done' } | { readonly type: 'error'; readonly message: string };

/** Exit code of a worker whose parent went away (not a task failure: nobody is left to report to). */
export const ORPHAN_EXIT = 75;

/** How often a worker checks that its parent is alive (a SIGKILLed parent sends no disconnect in time). */
const PARENT_POLL_MS = 100;

function parentAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Ties this process's life to its parent's: exits at once when the IPC channel closes or the parent dies. */
export function dieWithParent(): void {
  const parent = process.ppid;
  const die = () => process.exit(ORPHAN_EXIT);
  process.on('disconnect', die);
  const timer = setInterval(() => { if (!process.connected || !parentAlive(parent)) die(); }, PARENT_POLL_MS);
  timer.unref();
}

async function runTask(message: unknown): Promise<void> {
  const task = WorkerTaskSchema.parse(message);
  const config = parseExperimentConfig(task.config, `task ${task.row} / seed ${task.seed} from the parent process`);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  await reproduce(config, { outDir: task.outDir, stepsDir: task.stepsDir, only: [task.row], seeds: [task.seed], direction: task.direction, progress: 'none', log });
}

function send(reply: WorkerReply): Promise<void> {
  return new Promise((resolve) => process.send!(reply, undefined, {}, () => resolve()));
}

/** The worker's main: one task in, one reply out, then exit. */
export function workerMain(): void {
  if (!process.send) {
    process.stderr.write('lib/pipeline/worker: run it with child_process.fork (it takes its task over IPC)\n');
    process.exit(2);
  }
  dieWithParent();
  process.once('message', (message: unknown) => {
    runTask(message).then(
      async () => { await send({ type: 'done' }); process.exit(0); },
      async (e: unknown) => { await send({ type: 'error', message: (e as Error)?.stack ?? String(e) }); process.exit(1); },
    );
  });
}

if (require.main === module) workerMain();
