/**
 * The PyTorch reference (bench/reference/torch_bench.py): the same model shapes and work measured
 * in PyTorch on this machine, so `mta4dpr bench` can report ratios. Optional: where no Python
 * has torch, the result says so and nothing fails. MTA4DPR_PYTHON picks the interpreter.
 * usage: npx tsx bench/torch.ts
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../lib/data/paths';

/** The first interpreter that imports torch: MTA4DPR_PYTHON, python3 on PATH, Debian's /usr/bin/python3. */
export function findTorchPython(env: NodeJS.ProcessEnv = process.env): { python?: string; tried: string[] } {
  const candidates = [env.MTA4DPR_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p));
  const tried: string[] = [];
  for (const p of [...new Set(candidates)]) {
    tried.push(p);
    if (spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return { python: p, tried };
  }
  return { tried };
}

/** Runs the reference and returns its JSON, or why it was skipped. */
export async function run(): Promise<object> {
  const { python, tried } = findTorchPython();
  if (!python) {
    return { bench: 'torch-reference', skipped: `PyTorch not found (tried ${tried.join(', ')}); Debian: apt-get install python3-torch libopenblas0-openmp` };
  }
  const script = join(projectRoot(), 'bench', 'reference', 'torch_bench.py');
  const r = spawnSync(python, [script, '--threads', String(os.availableParallelism())], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${python} ${script} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { ...(JSON.parse(r.stdout) as object), pythonPath: python };
}

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
