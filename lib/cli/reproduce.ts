/**
 * `mta4dpr reproduce`: runs an experiment config end to end (every row × seed), writes
 * results.json, report.md/html, figures and the manifest, resuming finished steps; `--check`
 * compares the results with the reproduction matrix (expected scores ± tolerance). `--miniature`
 * runs a full-scale config on a synthetic miniature of its data at toy scale (lib/pipeline/miniature.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Command } from '../cli';
import { intFlag, parseFlags, requireFlag, UsageError } from './args';
import { ensureWritableFile, ensureWritableFolder } from '../io';
import type { ExperimentConfig } from '../config';
import { loadCheckedExperiment } from '../pipeline/validate';
import { checkMatrix, loadMatrix, matrixFromRows, type MainTableRow } from '../pipeline/matrix';
import { writeJsonAtomic } from '../io';
import { runExperiment } from '../pipeline/experiment';
import { onMiniature, prepareMiniature } from '../pipeline/miniature';

const USAGE = 'mta4dpr reproduce --config FILE --out DIR [--only ROW,ROW] [--seeds 1,2] [--jobs N] [--steps DIR] [--data-root DIR | --miniature [DIR]] [--check [MATRIX]] [--record-matrix FILE] [--no-progress]';

const HELP = `usage: ${USAGE}

  --config FILE    experiment config (JSON; unknown keys are errors), e.g. configs/dl-demo.json
  --out DIR        output folder: results.json, per-query.json, timings.json, report.md, report.html, *.png, manifest.json, steps/
                   (finished steps are reused: rerunning resumes; a changed config recomputes what depends on it)
  --only ROWS      run only these rows (comma separated names)
  --seeds LIST     override the seeds (comma separated), e.g. 1 for a quick look
  --steps DIR      folder of the content-addressed steps and caches (default: --out); configs that
                   share one reuse each other's finished steps
  --data-root DIR  folder of the full-scale datasets in their official layout (MS MARCO passage,
                   TREC DL 2019/2020, DPR NQ; see lib/data/officialLayout.ts), for configs such as
                   configs/msmarco-full.json and configs/nq-full.json (replaces the config's data.root)
  --miniature [DIR] instead of --data-root: write (or reuse, when DIR holds it with the same options)
                   a synthetic miniature of the datasets, run files and model folders the config
                   names, in the official formats (default DIR: OUT/miniature), and run the config on
                   it at toy scale (3 steps per iteration of 2 queries; lib/pipeline/toyScale.ts): a
                   check that a full-scale config runs end to end in minutes, not the paper's numbers
  --jobs N         parallel (row, seed) tasks in child processes (default: number of CPUs, at most 4,
                   on the single-threaded wasm/cpu backends; 1 on tfjs-node)
  --check [FILE]   after running (or with existing results), compare with the reproduction matrix
                   (default: configs/<config name>.matrix.json); exit 1 when an entry is off
  --record-matrix FILE  write the results as a reproduction matrix (expected = measured; tolerance
                   5e-5 for bundled runs, max(0.01, 2 × seed std) for trained rows)
  --no-progress    no progress bars: every log line on stderr (always in OUT/run.log)`;

/** What a bare `--check` / `--miniature` becomes before strict parsing (a NUL cannot be a path the user typed). */
const BARE = { check: 'default', miniature: '\u0000default' } as const;

/** True when `dir` is `inner` or one of its ancestors. */
function holds(dir: string, inner: string): boolean {
  const rel = relative(resolve(dir), resolve(inner));
  return rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/** The miniature folder of `--miniature VALUE` (default OUT/miniature); refused where it would hold the run's outputs. */
function miniatureFolder(value: string, out: string, steps: string | undefined): string {
  if (value === BARE.miniature) return join(out, 'miniature');
  if (value === '') throw new UsageError('--miniature: empty folder name', USAGE);
  // The miniature folder is replaced when its options change: it must not hold OUT or the steps.
  for (const [flag, dir] of [['--out', out], ['--steps', steps]] as const) {
    if (dir !== undefined && holds(value, dir)) throw new UsageError(`--miniature ${value} would contain ${flag} ${dir}; give the miniature a folder of its own (default: OUT/miniature)`, USAGE);
  }
  return value;
}

function printCheck(matrixPath: string, rows: readonly MainTableRow[]): boolean {
  const checks = checkMatrix(loadMatrix(matrixPath), rows);
  for (const c of checks) {
    const actual = c.actual === undefined ? 'missing' : c.actual.toFixed(4);
    console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.system} / ${c.dataset} / ${c.metric}: ${actual} (expected ${c.expected.toFixed(4)} ± ${c.tolerance})`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  return failed === 0;
}

export const command: Command = {
  summary: 'run an experiment (all rows × seeds) into results.json + report; --check against the matrix',
  async run(argv: string[]): Promise<number> {
    // `--check` and `--miniature` take an optional value: normalise a bare flag before strict parsing.
    const args = argv.flatMap((a, i) => {
      const flag = a === '--check' ? 'check' : a === '--miniature' ? 'miniature' : undefined;
      return flag && (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) ? [`${a}=${BARE[flag]}`] : [a];
    });
    const flags = parseFlags(args, {
      config: { type: 'string' }, out: { type: 'string' }, only: { type: 'string' }, seeds: { type: 'string' },
      check: { type: 'string' }, jobs: { type: 'string' }, steps: { type: 'string' }, 'data-root': { type: 'string' }, miniature: { type: 'string' }, 'record-matrix': { type: 'string' }, 'no-progress': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    }, USAGE);
    if (flags.help) {
      console.log(HELP);
      return 0;
    }
    const configPath = requireFlag(flags, 'config', USAGE);
    const out = requireFlag(flags, 'out', USAGE);
    const jobs = flags.jobs === undefined ? undefined : intFlag(flags, 'jobs', 1, 1, 256, USAGE);
    // Outputs first: an unwritable or file-shaped folder fails before the config's data is touched.
    ensureWritableFolder(out);
    if (typeof flags.steps === 'string') ensureWritableFolder(flags.steps);
    if (typeof flags['record-matrix'] === 'string') ensureWritableFile(flags['record-matrix']);
    const miniatureDir = typeof flags.miniature === 'string' ? miniatureFolder(flags.miniature, out, typeof flags.steps === 'string' ? flags.steps : undefined) : undefined;
    if (miniatureDir !== undefined && flags['data-root'] !== undefined) {
      throw new UsageError('--miniature and --data-root exclude each other: --miniature writes its own data root (give one of them)', USAGE);
    }
    // Everything in the config is checked before any data is read (a ConfigError exits 2).
    const dataRoot = typeof flags['data-root'] === 'string' ? flags['data-root'] : miniatureDir;
    let config: ExperimentConfig = loadCheckedExperiment(configPath, { dataRoot });
    const seeds = typeof flags.seeds === 'string' ? flags.seeds.split(',').map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n)) throw new UsageError(`--seeds: '${s}' is not an integer`, USAGE);
      return n;
    }) : undefined;
    const only = typeof flags.only === 'string' ? flags.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    const unknown = only?.filter((r) => !config.systems.some((s) => s.name === r)) ?? [];
    if (unknown.length > 0) throw new UsageError(`--only: no row named ${unknown.map((r) => `'${r}'`).join(', ')} (rows: ${config.systems.map((s) => s.name).join(', ')})`, USAGE);
    const matrixPath = flags.check === undefined ? undefined
      : flags.check === BARE.check ? join('configs', `${config.name}.matrix.json`) : String(flags.check);
    if (matrixPath && !existsSync(matrixPath)) throw new UsageError(`reproduction matrix ${matrixPath} not found`, USAGE);
    // Last of the checks: the miniature is the first work done.
    let miniature: string | undefined;
    if (miniatureDir !== undefined) {
      const prepared = await prepareMiniature(config, miniatureDir, {}, (m) => console.error(m));
      config = onMiniature(config, prepared);
      miniature = prepared.note;
      console.log(`miniature ${prepared.reused ? 'reused' : 'written'}: ${prepared.root} (${prepared.needs.datasets.join(', ')}; runs ${prepared.needs.systems.join(', ')}); running at toy scale: the numbers are not the paper's`);
    }
    // Every message goes to OUT/run.log; a terminal shows one progress bar, a pipe or --no-progress every line.
    const results = await runExperiment(configPath, {
      outDir: out, only, seeds, jobs, dataRoot, config, miniature, stepsDir: typeof flags.steps === 'string' ? flags.steps : undefined,
      progress: flags['no-progress'] ? 'none' : 'auto', display: flags['no-progress'] ? 'lines' : 'auto',
    });
    console.log(`wrote ${join(out, 'results.json')}, report.md, report.html (${results.elapsed_s.toFixed(0)} s)`);
    for (const r of results.rows) {
      console.log(`${r.system.padEnd(28)} ${r.dataset.padEnd(6)} ${Object.entries(r.metrics).map(([m, v]) => `${m} ${v.toFixed(4)}${r.seeds > 1 ? ` ± ${r.std[m].toFixed(4)}` : ''}`).join('  ')}`);
    }
    if (typeof flags['record-matrix'] === 'string') {
      const runRows = new Set(config.systems.filter((s) => s.kind === 'run').map((s) => s.name));
      const matrix = matrixFromRows(results.rows, {
        config: configPath, command: `npx mta4dpr reproduce --config ${configPath} --out ${out}`,
        measuredOn: `${new Date().toISOString().slice(0, 10)}, ${results.backend.backend} backend, ${results.backend.cpus} CPUs, ${results.elapsed_s.toFixed(0)} s wall`, runRows,
      });
      await writeJsonAtomic(flags['record-matrix'], matrix);
      console.log(`recorded ${matrix.entries.length} matrix entries in ${flags['record-matrix']}`);
    }
    if (matrixPath) return printCheck(matrixPath, JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).rows) ? 0 : 1;
    return 0;
  },
};
