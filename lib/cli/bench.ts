/**
 * `mta4dpr bench`: runs every built benchmark (dist/bench/*.js exporting `run()`), prints one JSON
 * object per benchmark, and writes bench/results/latest.json atomically with date and machine, plus
 * the ratios to the PyTorch reference when it ran (bench/torch.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from '../cli';
import { parseFlags, UsageError } from './args';
import { BACKEND_REQUESTS, initBackend, type BackendRequest } from '../backend';
import { writeJsonAtomic } from '../io';
import { projectRoot } from '../data/paths';
import * as os from 'node:os';
import { ratiosMarkdown, torchRatios } from './bench-ratios';

const USAGE = 'mta4dpr bench [--only NAME[,NAME...]] [--backend auto|tensorflow-gpu|tensorflow|webgpu|wasm|cpu] [--out FILE] | mta4dpr bench --table [--results FILE]';

/** One benchmark's outcome. */
export interface BenchOutcome {
  name: string;
  ok: boolean;
  seconds: number;
  result?: unknown;
  error?: string;
}

/** Names of the built benchmarks (file names without .js), sorted. */
export function listBenchmarks(dir: string): string[] {
  if (!existsSync(dir)) return [];
  // Files starting with '_' are helpers shared by the benchmarks.
  return readdirSync(dir).filter((f) => f.endsWith('.js') && !f.startsWith('_')).map((f) => basename(f, '.js')).sort();
}

/** Runs one benchmark module; a thrown error is recorded, not fatal, so the others still run. */
async function runOne(dir: string, name: string): Promise<BenchOutcome> {
  const t0 = process.hrtime.bigint();
  const seconds = (): number => Number(process.hrtime.bigint() - t0) / 1e9;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(dir, `${name}.js`)) as { run?: () => Promise<unknown> };
    if (typeof mod.run !== 'function') return { name, ok: false, seconds: 0, error: `${name}.js exports no run() function` };
    const result = await mod.run();
    return { name, ok: true, seconds: Math.round(seconds() * 1000) / 1000, result };
  } catch (e) {
    return { name, ok: false, seconds: Math.round(seconds() * 1000) / 1000, error: (e as Error).stack ?? String(e) };
  }
}

export const command: Command = {
  summary: 'run the benchmarks in dist/bench and write bench/results/latest.json',
  async run(argv) {
    const flags = parseFlags(argv, {
      only: { type: 'string', multiple: true },
      backend: { type: 'string' },
      out: { type: 'string' },
      table: { type: 'boolean' },
      results: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    }, USAGE);
    const root = projectRoot();
    if (flags.table) {
      // Prints the ratio table of a finished run (default: the latest), for the README.
      const file = (flags.results as string | undefined) ?? join(root, 'bench', 'results', 'latest.json');
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { date: string; machine: { cpus: number; cpuModel?: string; backend: string }; benchmarks: BenchOutcome[] };
      const m = saved.machine;
      console.log(ratiosMarkdown(torchRatios(saved.benchmarks), saved.date.slice(0, 10), `${m.cpus} cores (${m.cpuModel ?? 'unknown CPU'}), tfjs backend ${m.backend}`));
      return 0;
    }
    const dir = join(root, 'dist', 'bench');
    const available = listBenchmarks(dir);
    if (flags.help) {
      console.log(`usage: ${USAGE}\n\nbenchmarks built in ${dir}: ${available.join(', ') || '(none: run npm run build)'}`);
      return 0;
    }
    const backend = flags.backend as string | undefined;
    if (backend !== undefined && !BACKEND_REQUESTS.includes(backend as BackendRequest)) {
      throw new UsageError(`--backend must be one of ${BACKEND_REQUESTS.join(', ')}, got '${backend}'`, USAGE);
    }
    const only = ((flags.only as string[] | undefined) ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    const unknown = only.filter((n) => !available.includes(n));
    if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.map((n) => `'${n}'`).join(', ')}; built: ${available.join(', ') || '(none: run npm run build)'}`, USAGE);
    const names = only.length > 0 ? only : available;
    if (names.length === 0) {
      console.error(`mta4dpr bench: no benchmarks built in ${dir} (run npm run build)`);
      return 1;
    }
    const machine = await initBackend({ backend: backend as BackendRequest | undefined });
    const outcomes: BenchOutcome[] = [];
    for (const name of names) {
      const o = await runOne(dir, name);
      outcomes.push(o);
      console.log(JSON.stringify(o));
    }
    const out = (flags.out as string | undefined) ?? join(root, 'bench', 'results', 'latest.json');
    await mkdir(join(out, '..'), { recursive: true });
    const ratios = torchRatios(outcomes);
    for (const r of ratios) console.error(`  ${r.what}${r.model ? ` [${r.model}]` : ''} ${r.engine}: ${r.ours.toFixed(2)} vs PyTorch ${r.torch.toFixed(2)} → ratio ${r.ratio.toFixed(2)} (${r.meaning})`);
    await writeJsonAtomic(out, { date: new Date().toISOString(), machine: { ...machine, hostname: os.hostname(), cpuModel: os.cpus()[0]?.model }, benchmarks: outcomes, ratiosToPyTorch: ratios });
    console.error(`mta4dpr bench: ${outcomes.filter((o) => o.ok).length}/${outcomes.length} ok; wrote ${out}`);
    return outcomes.every((o) => o.ok) ? 0 : 1;
  },
};
