/**
 * A long-lived PyTorch reference process (bench/reference/torch_bench.py --serve): the benchmarks
 * ask it for one repetition at a time, between their own, so both sides see the same machine load.
 * Helper, not a benchmark.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../lib/data/paths';
import { findTorchPython } from './torch';

type Reply = Record<string, unknown> & { ok?: boolean; error?: string };

/** A running reference process; `measure` sends one request and resolves with its reply. */
export interface TorchServer {
  readonly info: Record<string, unknown>;
  measure(request: Record<string, unknown>): Promise<Reply>;
  close(): void;
}

/** Starts the reference, or returns why it cannot run (no Python with torch). */
export async function startTorchServer(): Promise<TorchServer | string> {
  const { python, tried } = findTorchPython();
  if (!python) return `PyTorch not found (tried ${tried.join(', ')}); Debian: apt-get install python3-torch libopenblas0-openmp`;
  const script = join(projectRoot(), 'bench', 'reference', 'torch_bench.py');
  const child: ChildProcessWithoutNullStreams = spawn(python, [script, '--serve', '--threads', String(os.availableParallelism())], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-2000)));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Reply> => {
    const r = await lines.next();
    if (r.done) throw new Error(`PyTorch reference exited: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return JSON.parse(r.value) as Reply;
  };
  const info = await next();
  return {
    info,
    async measure(request) {
      child.stdin.write(`${JSON.stringify(request)}\n`);
      const reply = await next();
      if (reply.ok === false) throw new Error(`PyTorch reference: ${reply.error}`);
      return reply;
    },
    close: () => void child.stdin.end(),
  };
}
