/**
 * Measured scaling of each pipeline stage (issue 18, item 5): for each size, an MS MARCO miniature
 * in the official layout (lib/data/miniature.ts: P passages, Q training queries, run files of the
 * five systems of configs/msmarco-full.json at depth --run-depth), then every stage in its own
 * child process (bench/scale/stages.ts: load, candidates, score + fuse + groups, train steps, one
 * whole iteration, encode, search, eval) with its time and peak RSS. Prints one JSON line per
 * (stage, size), rewrites bench/results/scale-latest.json atomically after each, and at the end
 * fits `y = a + b·P + c·Q` per stage (least squares over the measured sizes) and extrapolates it
 * to MS MARCO (8.8M passages, 503k training queries) and NQ psgs_w100 (21M passages, 58.9k),
 * labelled as extrapolated.
 *
 * usage: nice -n 5 npx tsx bench/scale.ts [--sizes 10000,100000,1000000x100000] [--max-queries 100000]
 *          [--run-depth 20] [--steps 10] [--stages load,candidates,...] [--search-queries 1000]
 *          [--root /tmp/mta4dpr-scale] [--keep] [--out bench/results/scale-latest.json]
 *        npx tsx bench/scale.ts --table [FILE]   (the markdown tables of environment.md, fits recomputed)
 *        npx tsx bench/scale.ts --refit [FILE]   (rewrites FILE's fits from its records)
 * A size is `P` (Q = min(P, --max-queries)) or `PxQ`. Data of a size already generated under
 * --root with the same options is reused (data generation is not a pipeline stage).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeJsonAtomic } from '../lib/io';
import { projectRoot } from '../lib/data/paths';
import { measureStage, STAGES, type StageConfig, type StageName } from './scale/stages';
import { childExecArgv } from './_child';

/** Full-scale targets of the extrapolation. */
export const TARGETS = {
  'MS MARCO passage (8.8M passages, 503k training queries)': { passages: 8_841_823, queries: 502_939 },
  'NQ psgs_w100 (21M passages, 58.9k training questions)': { passages: 21_015_324, queries: 58_880 },
} as const;

/** Stages that read no training query (the collection, the dev queries, a run): fitted on passages alone. */
const PASSAGES_ONLY: ReadonlySet<string> = new Set(['encode', 'search', 'eval']);

/** Stages whose per-query memory grows with the run entries per query (runs, candidate lists, the score table), and whose time does (reading the run files). */
const RUN_DEPTH_MEMORY: ReadonlySet<string> = new Set(['candidates', 'score', 'train', 'iteration']);
const RUN_DEPTH_TIME: ReadonlySet<string> = new Set(['candidates']);

/** Depth of the full configs' training run files (top-100 per query, configs/msmarco-full.json). */
const FULL_RUN_DEPTH = 100;

interface Size {
  readonly passages: number;
  readonly queries: number;
}

function parseSizes(s: string, maxQueries: number): Size[] {
  return s.split(',').map((x) => x.trim()).filter(Boolean).map((x) => {
    const [p, q] = x.split('x').map((v) => Number(v.replace(/_/g, '')));
    if (!Number.isInteger(p) || p <= 0 || (q !== undefined && (!Number.isInteger(q) || q <= 0))) throw new Error(`--sizes: '${x}' is not P or PxQ`);
    return { passages: p, queries: q ?? Math.min(p, maxQueries) };
  });
}

function load(): number[] {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}

/** Spawns this file as a stage child (its own process, its own peak RSS) and returns its JSON. */
function runStageChild(c: StageConfig, timeoutS: number): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const args = [...childExecArgv(), '--expose-gc', '--max-old-space-size=16384', __filename, '--child', JSON.stringify(c)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    let out = '';
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-200000)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        if (timedOut) throw new Error(`timed out after ${timeoutS} s (not measured)`);
        if (code !== 0) throw new Error(`exit ${code ?? signal}`);
        resolve(JSON.parse(line) as Record<string, unknown>);
      } catch (e) {
        resolve({ error: `${(e as Error).message}: ${err.trim().split('\n').slice(-4).join(' | ')}` });
      }
    });
  });
}

/** One measured (stage, size). */
export interface ScaleRecord {
  readonly stage: StageName;
  readonly passages: number;
  readonly trainQueries: number;
  readonly loadavgBefore: number[];
  readonly loadavgAfter: number[];
  readonly startedAt: string;
  readonly seconds?: number;
  readonly peakRssMiB?: number | null;
  readonly error?: string;
  readonly [k: string]: unknown;
}

/** Least squares of y on the columns of X (normal equations; tiny systems). */
function leastSquares(X: number[][], y: number[]): number[] | undefined {
  const k = X[0].length;
  const A = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => X.reduce((s, r) => s + r[i] * r[j], 0)));
  const b = Array.from({ length: k }, (_, i) => X.reduce((s, r, n) => s + r[i] * y[n], 0));
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    if (Math.abs(A[p][c]) < 1e-12 * Math.max(1, Math.abs(A[c][c]))) return undefined;
    [A[c], A[p]] = [A[p], A[c]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let j = c; j < k; j++) A[r][j] -= f * A[c][j];
      b[r] -= f * b[c];
    }
  }
  return b.map((v, i) => v / A[i][i]);
}

/** A fitted growth: y = a + b·P + c·Q (c = 0 when the sizes cannot separate P from Q). */
export interface Fit {
  readonly model: string;
  readonly a: number;
  readonly perPassage: number;
  readonly perQuery: number;
  readonly points: number;
  readonly separable: boolean;
}

/**
 * Fits y = a + b·P + c·Q with b, c ≥ 0 (a negative slope is measurement noise: that term is dropped
 * and the rest refitted). With Q ∝ P at every point the two cannot be separated: `separable` false,
 * and the one slope is reported per passage and per query alike (not extrapolated).
 */
function fit(points: Array<{ p: number; q: number; y: number }>, allowed: ReadonlyArray<'p' | 'q'> = ['p', 'q']): Fit | undefined {
  if (points.length < 2) return undefined;
  if (!allowed.includes('q')) {
    // A stage that never reads the training queries: its size is the collection's alone.
    const s = leastSquares(points.map((x) => [1, x.p]), points.map((x) => x.y));
    return s && { model: 'a + b·P (the stage reads no training query)', a: s[0], perPassage: Math.max(0, s[1]), perQuery: 0, points: points.length, separable: true };
  }
  const distinctRatios = new Set(points.map((x) => (x.q / x.p).toFixed(6))).size;
  const solve = (terms: Array<'p' | 'q'>): Fit | undefined => {
    const s = leastSquares(points.map((x) => [1, ...terms.map((t) => x[t])]), points.map((x) => x.y));
    if (!s) return undefined;
    const b = terms.indexOf('p') >= 0 ? s[1 + terms.indexOf('p')] : 0;
    const c = terms.indexOf('q') >= 0 ? s[1 + terms.indexOf('q')] : 0;
    return { model: `a${terms.map((t) => (t === 'p' ? ' + b·P' : ' + c·Q')).join('')}`, a: s[0], perPassage: b, perQuery: c, points: points.length, separable: true };
  };
  if (points.length >= 3 && distinctRatios >= 2) {
    const full = solve(['p', 'q']);
    if (full && full.perPassage >= 0 && full.perQuery >= 0) return full;
    const candidates = [solve(['p']), solve(['q'])].filter((f): f is Fit => f !== undefined && f.perPassage >= 0 && f.perQuery >= 0);
    const sse = (f: Fit) => points.reduce((e, x) => e + (f.a + f.perPassage * x.p + f.perQuery * x.q - x.y) ** 2, 0);
    if (candidates.length) return candidates.sort((u, w) => sse(u) - sse(w))[0];
  }
  // Fewer than three sizes, or Q ∝ P at every one: one slope, not extrapolated.
  const s = leastSquares(points.map((x) => [1, x.p]), points.map((x) => x.y));
  return s && { model: `a + b·P over ${points.length} sizes (${points.length < 3 ? 'too few to separate P from Q' : distinctRatios < 2 ? 'Q ∝ P at every point' : 'no fit with non-negative slopes'}: not extrapolated)`, a: s[0], perPassage: Math.max(0, s[1]), perQuery: 0, points: points.length, separable: false };
}

const round = (v: number, d = 3): number => Math.round(v * 10 ** d) / 10 ** d;

function memoryFit(f: Fit): Record<string, unknown> {
  return { ...f, a: round(f.a, 1), bytesPerPassage: Math.round(f.perPassage * 2 ** 20), bytesPerQuery: Math.round(f.perQuery * 2 ** 20), mibPer100kQueries: round(f.perQuery * 1e5, 1), mibPer1MPassages: round(f.perPassage * 1e6, 1) };
}

const fmtS = (s: unknown): string => (typeof s !== 'number' ? '–' : s < 100 ? `${s.toFixed(1)} s` : s < 6000 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`);
const fmtM = (m: unknown): string => (typeof m !== 'number' ? '–' : m < 1024 ? `${Math.round(m)} MiB` : `${(m / 1024).toFixed(1)} GiB`);

/** The markdown tables of a results file (environment.md "Scaling per stage (measured)"): measured points, then fits and extrapolations. */
export function markdownTable(saved: { records: ScaleRecord[] }): string {
  // The fits are recomputed from the records (the file's own may come from an older fitting rule).
  const records = saved.records.filter((r) => r.stage !== 'generate');
  const fits = fitsOf(records) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const sizes = [...new Map(records.map((r) => [`${r.passages}x${r.trainQueries}`, r] as const)).values()].sort((a, b) => a.passages - b.passages || a.trainQueries - b.trainQueries);
  const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
  const nameOf = (r: ScaleRecord) => (variantOf(r) ? `${r.stage} (score cache ${variantOf(r)})` : r.stage);
  const stages = [...new Set(records.map(nameOf))];
  const table = (head: string[], rows: string[][]) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const measured = table(['stage', ...sizes.map((s) => `P ${label(s.passages)}, Q ${label(s.trainQueries)}: time / peak RSS / held (load 1 min)`)], stages.map((stage) => [stage, ...sizes.map((s) => {
    const r = records.find((x) => nameOf(x) === stage && x.passages === s.passages && x.trainQueries === s.trainQueries);
    if (!r) return 'not run';
    if (r.error) return `failed: ${String(r.error).slice(0, 60)}`;
    const h = r.heapAtEndMiB as { heapUsed: number; external: number } | undefined;
    return `${fmtS(r.seconds)} / ${fmtM(r.peakRssMiB)} / ${h ? fmtM(h.heapUsed + h.external) : '–'} (${(r.loadavgBefore ?? [])[0] ?? '?'})`;
  })]));
  const mem = (m: any) => (m ? `${Math.round(m.a)} MiB + ${m.bytesPerPassage} B/passage + ${m.bytesPerQuery} B/query${m.separable ? '' : ' (P, Q not separable)'}` : '–'); // eslint-disable-line @typescript-eslint/no-explicit-any
  const sec = (f: any) => (f ? `${f.a.toFixed(1)} s + ${(f.perPassage * 1000).toFixed(3)} s/1k passages + ${(f.perQuery * 1000).toFixed(3)} s/1k queries` : '–'); // eslint-disable-line @typescript-eslint/no-explicit-any
  const ex = (f: any, t: string) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const e = f?.extrapolated[t];
    if (!e || e.peakRssMiB == null) return 'not extrapolated';
    const x = Object.entries(e).find(([k]) => k.startsWith('topRuns'))?.[1] as { seconds: number; peakRssMiB: number } | undefined;
    return `${fmtS(e.seconds)}, ${fmtM(e.peakRssMiB)}${x ? ` (top-100 runs: ${fmtS(x.seconds)}, ${fmtM(x.peakRssMiB)})` : ''}`;
  };
  const fitted = table(['stage', 'fit: time', 'fit: peak RSS', 'fit: held heap', ...Object.keys(TARGETS).map((t) => `EXTRAPOLATED ${t}: time, peak RSS`)],
    stages.filter((st) => fits[st]).map((st) => [st, sec(fits[st].seconds), mem(fits[st].peakRssMiB), mem(fits[st].heldHeapMiB), ...Object.keys(TARGETS).map((t) => ex(fits[st], t))]));
  return `${measured}\n\n${fitted}`;
}

/** Records that differ only in where the score cache lives are kept apart (the score stage's time depends on it). */
function variantOf(r: ScaleRecord): string {
  return r.stage === 'score' ? String(r.scoreCache ?? 'disk (work folder)') : '';
}

/** Per stage (and score-cache variant): fitted seconds and peak RSS, and their extrapolation to the full-scale targets. */
export function fitsOf(records: readonly ScaleRecord[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const groups = new Map<string, ScaleRecord[]>();
  for (const r of records) {
    if (r.error !== undefined || typeof r.seconds !== 'number') continue;
    const k = variantOf(r) ? `${r.stage} (score cache ${variantOf(r)})` : r.stage;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const [stage, ok] of groups) {
    if (ok.length < 2) continue;
    const terms = PASSAGES_ONLY.has(ok[0].stage) ? (['p'] as const) : (['p', 'q'] as const);
    const sFit = fit(ok.map((r) => ({ p: r.passages, q: r.trainQueries, y: r.seconds! })), terms);
    const mFit = fit(ok.filter((r) => typeof r.peakRssMiB === 'number').map((r) => ({ p: r.passages, q: r.trainQueries, y: r.peakRssMiB as number })), terms);
    // What the stage hands on: V8 heap + external memory after a forced GC, its outputs still held.
    const heldOf = (r: ScaleRecord): number | undefined => {
      const h = r.heapAtEndMiB as { heapUsed?: number; external?: number } | undefined;
      return h && typeof h.heapUsed === 'number' && typeof h.external === 'number' ? h.heapUsed + h.external : undefined;
    };
    const hFit = fit(ok.filter((r) => heldOf(r) !== undefined).map((r) => ({ p: r.passages, q: r.trainQueries, y: heldOf(r)! })), terms);
    // The per-query term scaled to the full configs' top-100 run files (the miniature's runs are --run-depth deep).
    const depth = Math.max(...ok.map((r) => Number(r.runDepth ?? 20)));
    const at = (f: Fit | undefined, t: { passages: number; queries: number }, perQueryScale = 1) =>
      f && f.separable ? round(f.a + f.perPassage * t.passages + f.perQuery * perQueryScale * t.queries, 1) : null;
    const memScale = RUN_DEPTH_MEMORY.has(ok[0].stage) ? FULL_RUN_DEPTH / depth : 1;
    const timeScale = RUN_DEPTH_TIME.has(ok[0].stage) ? FULL_RUN_DEPTH / depth : 1;
    out[stage] = {
      seconds: sFit && { ...sFit, a: round(sFit.a, 2), perPassage: sFit.perPassage, perQuery: sFit.perQuery, secondsPer1kPassages: round(sFit.perPassage * 1000, 4), secondsPer1kQueries: round(sFit.perQuery * 1000, 4) },
      peakRssMiB: mFit && memoryFit(mFit),
      heldHeapMiB: hFit && memoryFit(hFit),
      extrapolated: Object.fromEntries(Object.entries(TARGETS).map(([name, t]) => [name, {
        seconds: at(sFit, t), peakRssMiB: at(mFit, t), heldHeapMiB: at(hFit, t),
        [`topRuns${FULL_RUN_DEPTH}`]: {
          note: `top-${FULL_RUN_DEPTH} run files instead of the miniature's top-${depth}: per-query memory × ${memScale}, per-query time × ${timeScale} (assumes they grow with the run entries per query; queries and qrels do not)`,
          seconds: at(sFit, t, timeScale), peakRssMiB: at(mFit, t, memScale), heldHeapMiB: at(hFit, t, memScale),
        },
      }])),
    };
  }
  return out;
}

/**
 * Measures every (stage, size); returns the records (also written to `out`). Without `argv` (as
 * `mta4dpr bench` calls it) a 2000-passage smoke run into the temp folder, leaving
 * scale-latest.json alone.
 */
export async function run(argv?: string[]): Promise<object> {
  if (argv?.[0] === '--refit') {
    // Recomputes the fits of a results file from its records (after a change of the fitting rule).
    const file = argv[1] ?? join(projectRoot(), 'bench', 'results', 'scale-latest.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { records: ScaleRecord[] };
    await writeJsonAtomic(file, { ...saved, fits: fitsOf(saved.records) });
    return { out: file };
  }
  if (argv?.[0] === '--table') {
    const file = argv[1] ?? join(projectRoot(), 'bench', 'results', 'scale-latest.json');
    console.log(markdownTable(JSON.parse(readFileSync(file, 'utf8'))));
    return {};
  }
  if (argv === undefined) {
    const smoke = join(os.tmpdir(), `mta4dpr-scale-smoke-${process.pid}`);
    return run(['--sizes', '2000', '--steps', '2', '--search-queries', '100', '--root', smoke, '--out', join(smoke, '..', `mta4dpr-scale-smoke-${process.pid}.json`)]);
  }
  const { values: v } = parseArgs({
    args: argv, options: {
      sizes: { type: 'string', default: '10000,100000,1000000' }, 'max-queries': { type: 'string', default: '100000' },
      'run-depth': { type: 'string', default: '20' }, steps: { type: 'string', default: '10' }, stages: { type: 'string' },
      'search-queries': { type: 'string', default: '1000' }, 'search-k': { type: 'string', default: '1000' },
      root: { type: 'string', default: '/tmp/mta4dpr-scale' }, keep: { type: 'boolean', default: false },
      out: { type: 'string', default: join(projectRoot(), 'bench', 'results', 'scale-latest.json') },
      'stage-timeout': { type: 'string', default: '1800' }, 'score-cache-root': { type: 'string' }, note: { type: 'string', multiple: true },
    },
  });
  const maxQueries = Number(v['max-queries']);
  const sizes = parseSizes(v.sizes!, maxQueries);
  const stages = (v.stages ? v.stages.split(',').map((s) => s.trim()) : STAGES.filter((s) => s !== 'generate')) as StageName[];
  for (const s of stages) if (!(STAGES as readonly string[]).includes(s)) throw new Error(`--stages: unknown stage '${s}' (stages: ${STAGES.join(', ')})`);
  const runDepth = Number(v['run-depth']);
  const root = v.root!;
  const started = new Date().toISOString();
  const records: ScaleRecord[] = [];
  // Earlier records of other sizes/stages in the output are kept (a run may add sizes one by one).
  const saved = existsSync(v.out!) ? (JSON.parse(readFileSync(v.out!, 'utf8')) as { records?: ScaleRecord[]; commands?: string[] }) : {};
  const previous: ScaleRecord[] = saved.records ?? [];
  const command = `nice -n 5 npx tsx bench/scale.ts ${argv.join(' ')}`.trim();
  const commands = [...(saved.commands ?? []), `${started} ${command}`];
  const key = (r: ScaleRecord) => `${r.stage}/${r.passages}/${r.trainQueries}/${variantOf(r)}`;
  const write = async (complete: boolean): Promise<void> => {
    const mine = new Set(records.map(key));
    const all = [...previous.filter((r) => !mine.has(key(r))), ...records]
      .sort((a, b) => a.passages - b.passages || a.trainQueries - b.trainQueries || STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
    await writeJsonAtomic(v.out!, {
      date: started, complete, command, commands,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version, hostname: os.hostname() },
      options: { runDepth, steps: Number(v.steps), searchQueries: Number(v['search-queries']), searchK: Number(v['search-k']), systems: 5, childFlags: '--expose-gc --max-old-space-size=16384' },
      notes: v.note ?? [],
      peakRss: 'peakRssMiB: VmHWM reset when the timed stage starts (so it includes what the untimed prerequisites left resident: rssAtStartMiB); processPeakRssMiB: getrusage of the whole child',
      records: all, fits: fitsOf(all), targets: TARGETS,
    });
  };
  for (const size of sizes) {
    const tag = `p${size.passages}-q${size.queries}-d${runDepth}`;
    const base: Omit<StageConfig, 'stage'> = {
      passages: size.passages, trainQueries: size.queries, runDepth, dataDir: join(root, 'data', tag), studentDir: join(root, 'data', tag, 'models', 'distilbert-tiny'),
      workDir: join(root, 'work', tag), ...(v['score-cache-root'] ? { scoreCacheDir: join(v['score-cache-root'], tag) } : {}), steps: Number(v.steps), searchQueries: Number(v['search-queries']), searchK: Number(v['search-k']),
    };
    const done = join(root, 'data', `${tag}.done`);
    const reuse = existsSync(done) && existsSync(base.studentDir);
    if (reuse) records.push({ ...(JSON.parse(readFileSync(done, 'utf8')) as ScaleRecord), reused: true });
    const todo: StageName[] = [...(reuse ? [] : ['generate' as const]), ...stages.filter((s) => s !== 'generate')];
    for (const stage of todo) {
      const before = load();
      const t = new Date().toISOString();
      const r = await runStageChild({ ...base, stage }, Number(v['stage-timeout']));
      const rec: ScaleRecord = {
        ...r, stage, passages: size.passages, trainQueries: size.queries, runDepth, scoreCache: base.scoreCacheDir ? `under ${v['score-cache-root']}` : 'disk (work folder)',
        loadavgBefore: before, loadavgAfter: load(), startedAt: t,
      };
      console.log(JSON.stringify(rec));
      if (stage === 'generate') {
        if (rec.error) throw new Error(`generating ${tag}: ${rec.error}`);
        await writeJsonAtomic(done, rec);
      }
      records.push(rec);
      await write(false);
    }
    if (!v.keep) {
      rmSync(join(root, 'work', tag), { recursive: true, force: true });
      if (base.scoreCacheDir) rmSync(base.scoreCacheDir, { recursive: true, force: true });
    }
  }
  await write(true);
  if (!v.keep) {
    rmSync(root, { recursive: true, force: true });
    if (v['score-cache-root']) rmSync(v['score-cache-root'], { recursive: true, force: true });
  }
  return { records: records.length, out: v.out };
}

if (require.main === module) {
  const i = process.argv.indexOf('--child');
  if (i >= 0) {
    measureStage(JSON.parse(process.argv[i + 1]) as StageConfig).then((r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    }, (e) => {
      console.error((e as Error).stack ?? e);
      process.exit(1);
    });
  } else {
    run(process.argv.slice(2)).then(() => process.exit(0), (e) => {
      console.error((e as Error).stack ?? e);
      process.exit(1);
    });
  }
}
