/**
 * The pipeline stages bench/scale.ts measures, each run in its own child process through the
 * library's own stage functions (lib/pipeline/stages, lib/pipeline/method, lib/cli's encode /
 * search / eval commands) on an MS MARCO miniature in the official layout.
 *
 * A stage has a `prepare` (the earlier stages it needs, recomputed in the child and NOT timed:
 * the training split, and for the later stages the score table read back from the score cache)
 * and a `run` (timed). Peak RSS is taken from /proc/self/status: VmHWM is reset
 * (/proc/self/clear_refs, "5") when `run` starts, so `peakRssMiB` is the stage's own high-water
 * mark — which includes whatever `prepare` left resident (`rssAtStartMiB`), never the transient
 * peaks of `prepare`. `processPeakRssMiB` (getrusage) is the whole child's. `heapMiB` are the
 * V8 heap + external + array buffers after a forced GC, with the stage's outputs still held:
 * the state the stage hands on.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { initBackend } from '../../lib/backend';
import { deepMerge, findRow, parseExperimentConfig, systemConfig, type ExperimentConfig, type MethodConfig } from '../../lib/config';
import { datasetResolver } from '../../lib/data/resolver';
import { withOfficialLayout } from '../../lib/data/officialLayout';
import { writeMsmarcoMiniature } from '../../lib/data/miniature';
import { writeTinyHfStudent } from '../../lib/models/tinyHfStudent';
import { buildCandidates, holdOut, type TrainingCandidates } from '../../lib/pipeline/stages/candidates';
import { scoreCandidates, type ScoredCandidates } from '../../lib/pipeline/stages/score';
import { normaliseAndFuse } from '../../lib/pipeline/stages/fuse';
import { trainingGroups } from '../../lib/pipeline/stages/groups';
import { perBatchSelector } from '../../lib/pipeline/stages/select';
import { trainStudent } from '../../lib/pipeline/stages/train';
import { initialState, runIteration } from '../../lib/pipeline/method';
import { createExperimentStudent, splitTexts } from '../../lib/pipeline/student';
import { StepStore } from '../../lib/pipeline/steps';
import { loadCheckedExperiment } from '../../lib/pipeline/validate';
import { projectRoot } from '../../lib/data/paths';
import type { Command } from '../../lib/cli';
import { loadOrt } from '../../lib/models/onnx';

/** The systems of configs/msmarco-full.json (teacher first), as the miniature writes their run files. */
export const MSMARCO_SYSTEMS = ['SPLADE_P_P_ENSEMBLE_DISTIL', 'D_BERT_KD_TASB', 'ANCE', 'BM25_RM3', 'BM25'] as const;

/** What one stage child is told. */
export interface StageConfig {
  readonly stage: StageName;
  readonly passages: number;
  readonly trainQueries: number;
  readonly runDepth: number;
  /** Miniature root (official layout) and the tiny student's Hugging Face folder. */
  readonly dataDir: string;
  readonly studentDir: string;
  /** Scratch folder of this size (score cache, checkpoints, corpus.npy, run files). */
  readonly workDir: string;
  /** Training steps of the `train` and `iteration` stages. */
  readonly steps: number;
  /** Dev queries searched by `search` (the first ones of queries.dev.small.tsv). */
  readonly searchQueries: number;
  readonly searchK: number;
  /** Folder of the score cache (default WORKDIR/cache/scores; /dev/shm takes the fsync cost out). */
  readonly scoreCacheDir?: string;
}

export const STAGES = ['generate', 'load', 'candidates', 'score', 'train', 'iteration', 'encode', 'search', 'eval'] as const;
export type StageName = (typeof STAGES)[number];

const MiB = 2 ** 20;
const mib = (bytes: number): number => Math.round((bytes / MiB) * 10) / 10;

function procStatus(): { rssMiB: number; hwmMiB: number } {
  const s = readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
  return { rssMiB: Math.round(kb('VmRSS') / 102.4) / 10, hwmMiB: Math.round(kb('VmHWM') / 102.4) / 10 };
}

function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** V8 heap + off-heap buffers after a forced GC (MiB), and the RSS then. */
function retained(): { heapUsedMiB: number; externalMiB: number; arrayBuffersMiB: number; rssAfterGcMiB: number } {
  gc();
  const m = process.memoryUsage();
  return { heapUsedMiB: mib(m.heapUsed), externalMiB: mib(m.external), arrayBuffersMiB: mib(m.arrayBuffers), rssAfterGcMiB: mib(m.rss) };
}

/** A named point inside a stage: seconds since the stage started, RSS and retained heap there. */
interface Mark {
  readonly at: string;
  readonly seconds: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly externalMiB: number;
}

/** The miniature's experiment: configs/msmarco-full.json under the data root, at a toy training scale, the tiny student. */
function experimentOf(c: StageConfig): ExperimentConfig {
  const full = loadCheckedExperiment(join(projectRoot(), 'configs', 'msmarco-full.json'), { dataRoot: c.dataDir });
  const raw = deepMerge(full, { student: { hfModel: c.studentDir }, train: { stepsPerIteration: c.steps } });
  return parseExperimentConfig(raw, 'msmarco-full.json (bench/scale: tiny student, few steps)');
}

/** The MTA4DPR row of the experiment (the row every stage of the method runs). */
function methodConfig(e: ExperimentConfig): MethodConfig {
  return systemConfig(e, findRow(e, 'MTA4DPR'));
}

function filesUnder(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  if (!existsSync(dir)) return { files, bytes };
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) {
        files += 1;
        bytes += statSync(p).size;
      }
    }
  };
  visit(dir);
  return { files, bytes };
}

function splitSizes(data: TrainingCandidates): Record<string, number> {
  const t = data.train;
  let candidates = 0;
  for (const l of t.candidates.byQuery.values()) candidates += l.length;
  let runEntries = 0;
  for (const r of t.runs.values()) for (const e of r.byQuery.values()) runEntries += e.length;
  let judgments = 0;
  for (const j of t.qrels?.judgments.values() ?? []) judgments += j.size;
  return {
    passages: t.collection.passages.size, queries: t.queries.queries.size, judgments, runs: t.runs.size, runEntries,
    queriesWithCandidates: t.candidates.byQuery.size, candidatePairs: candidates,
    candidatesPerQuery: Math.round((candidates / Math.max(1, t.candidates.byQuery.size)) * 10) / 10,
  };
}

function scoreCacheOf(c: StageConfig): string {
  return c.scoreCacheDir ?? join(c.workDir, 'cache', 'scores');
}

/** The score table from the score cache the `score` stage wrote (prerequisite of the later stages). */
async function scoredFromCache(c: StageConfig, data: TrainingCandidates): Promise<ScoredCandidates> {
  return scoreCandidates(data, new StepStore(join(c.workDir, 'store')), scoreCacheOf(c));
}

/** Everything the training stages need, up to the iteration's training groups. */
async function uptoGroups(c: StageConfig) {
  const experiment = experimentOf(c);
  const config = methodConfig(experiment);
  const data = await buildCandidates(experiment);
  const scored = await scoredFromCache(c, data);
  const heldOut = holdOut(data.train, experiment);
  const state = initialState(config, { train: data.train, heldOut, scored });
  return { experiment, config, data, scored, heldOut, state };
}

/** A CLI command (lib/cli/NAME.ts) run with `argv`, as `mta4dpr NAME …` runs it. */
async function cli(name: string, argv: string[]): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { command } = require(`../../lib/cli/${name}`) as { command: Command };
  const code = await command.run(argv);
  if (code !== 0) throw new Error(`mta4dpr ${name} exited ${code}`);
}

async function countLines(path: string): Promise<number> {
  let n = 0;
  for await (const _ of createInterface({ input: createReadStream(path) })) n += 1;
  return n;
}

interface Stage<P> {
  prepare(c: StageConfig): Promise<P>;
  /** Runs the timed stage; returns what it reports and what it hands on (kept alive for the heap figure). */
  run(c: StageConfig, p: P, mark: (at: string) => void): Promise<{ info: Record<string, unknown>; keep?: unknown }>;
}

const generate: Stage<null> = {
  async prepare() { return null; },
  async run(c) {
    rmSync(c.dataDir, { recursive: true, force: true });
    const s = writeMsmarcoMiniature(c.dataDir, { passages: c.passages, trainQueries: c.trainQueries, systems: [...MSMARCO_SYSTEMS], runDepth: c.runDepth });
    await writeTinyHfStudent(c.studentDir, 1);
    const disk = filesUnder(c.dataDir);
    return { info: { what: 'writeMsmarcoMiniature + writeTinyHfStudent (data generation, not a pipeline stage)', queries: s.queries, files: disk.files, diskMiB: mib(disk.bytes) } };
  },
};

const load: Stage<ExperimentConfig> = {
  async prepare(c) { return experimentOf(c); },
  async run(c, experiment) {
    // What loadSplit's resolver reads for the training split: collection, queries, qrels (run files are read by `candidates`).
    const resolver = datasetResolver(withOfficialLayout(experiment.datasets, experiment.data.root), process.cwd());
    const d = await resolver.load('msmarco-passage/train');
    let judgments = 0;
    for (const j of d.qrels?.judgments.values() ?? []) judgments += j.size;
    return {
      info: { what: 'officialLayout resolver: collection.tsv + queries.train.tsv + qrels.train.tsv', passages: d.collection.passages.size, queries: d.queries.queries.size, judgments, runFiles: Object.keys(d.runFiles).length },
      keep: d,
    };
  },
};

const candidates: Stage<ExperimentConfig> = {
  async prepare(c) { return experimentOf(c); },
  async run(_c, experiment) {
    const data = await buildCandidates(experiment);
    return { info: { what: 'buildCandidates: the load above again + 5 run files + candidate union (top-100) + split content hash', ...splitSizes(data) }, keep: data };
  },
};

const score: Stage<{ experiment: ExperimentConfig; data: TrainingCandidates }> = {
  async prepare(c) {
    const experiment = experimentOf(c);
    rmSync(scoreCacheOf(c), { recursive: true, force: true });
    return { experiment, data: await buildCandidates(experiment) };
  },
  async run(c, { experiment, data }, mark) {
    const config = methodConfig(experiment);
    const scored = await scoredFromCache(c, data);
    mark('scoreCandidates');
    const heldOut = holdOut(data.train, experiment);
    const state = initialState(config, { train: data.train, heldOut, scored });
    mark('holdOut + initialState');
    const fused = normaliseAndFuse(config, scored.table, state);
    mark('normaliseAndFuse');
    const held = new Set(heldOut);
    const trainIds = [...data.train.candidates.byQuery.keys()].filter((q) => !held.has(q));
    const groups = trainingGroups(config, fused.table, data.train, trainIds, state, 1);
    mark('trainingGroups');
    const cache = filesUnder(scoreCacheOf(c));
    let pairs = 0;
    for (const q of scored.table.byQuery.values()) pairs += q.docIds.length;
    return {
      info: {
        what: 'scoreCandidates (5 run-file scorers, fresh score cache: one packed log per model, lib/assistants/scoreLog.ts) → normaliseAndFuse → trainingGroups',
        models: scored.table.models.length, tableQueries: scored.table.byQuery.size, tablePairs: pairs, groups: groups.groups.length,
        scoreCacheDir: scoreCacheOf(c), scoreCacheFiles: cache.files, scoreCacheMiB: mib(cache.bytes),
      },
      keep: [data, scored, fused, groups],
    };
  },
};

type Upto = Awaited<ReturnType<typeof uptoGroups>>;

const train: Stage<Upto & { model: Awaited<ReturnType<typeof createExperimentStudent>>; groups: ReturnType<typeof trainingGroups> }> = {
  async prepare(c) {
    const u = await uptoGroups(c);
    const held = new Set(u.heldOut);
    const trainIds = [...u.data.train.candidates.byQuery.keys()].filter((q) => !held.has(q));
    const fused = normaliseAndFuse(u.config, u.scored.table, u.state);
    const groups = trainingGroups(u.config, fused.table, u.data.train, trainIds, u.state, 1);
    const model = await createExperimentStudent(u.config, 1, splitTexts(u.data.train));
    return { ...u, groups, model };
  },
  async run(c, p) {
    const outDir = join(c.workDir, 'train');
    rmSync(outDir, { recursive: true, force: true });
    const selector = perBatchSelector(p.config, p.state.pool, 1, 1);
    const t0 = Date.now();
    const r = await trainStudent(p.model, p.groups.groups, p.config, selector, { outDir, seed: 1, iteration: 1, progress: 'none' });
    const s = (Date.now() - t0) / 1000;
    p.model.dispose();
    return {
      info: {
        what: `trainStudent: ${r.steps} steps of the tiny HF student (batch ${p.config.train.batchSize} queries × ${p.config.train.negatives + 1} passages, checkpoints included)`,
        steps: r.steps, secondsPerStep: Math.round((s / r.steps) * 1000) / 1000, groups: p.groups.groups.length, finalLoss: r.lastRecord?.loss,
      },
      keep: p,
    };
  },
};

const iteration: Stage<Upto & { model: Awaited<ReturnType<typeof createExperimentStudent>> }> = {
  async prepare(c) {
    const u = await uptoGroups(c);
    return { ...u, model: await createExperimentStudent(u.config, 1, splitTexts(u.data.train)) };
  },
  async run(c, p) {
    const dir = join(c.workDir, 'iteration');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const ctx = {
      store: new StepStore(join(c.workDir, 'store')), train: p.data.train, heldOut: p.heldOut,
      // The miniature's test queries are disjoint from its training queries (reproduce's loadTestSplits checks it).
      testQueryIds: [], scored: p.scored, cacheDir: join(dir, 'embeddings'), progress: 'none' as const,
    };
    const { record, next } = await runIteration(p.config, 1, 1, p.model, p.state, ctx, dir);
    p.model.dispose();
    return {
      info: {
        what: 'runIteration (iteration 1 of 3): fuse → groups → train → one streamed pass of the student over every training query (held-out evaluation, got wrong, its column) → replace → mine over the whole collection and score the mined pairs, in batches, into the hard-block file',
        iterationSeconds: record.seconds, steps: record.steps, iterationTrainQueries: record.trainQueries, gotWrong: record.hardQueries.length,
        minedPairs: record.harder?.pairs ?? 0, newPairs: record.harder?.newPairs ?? 0, searched: record.harder?.searched ?? 0,
      },
      keep: [p, next],
    };
  },
};

const encode: Stage<null> = {
  async prepare() { return null; },
  async run(c) {
    const out = join(c.workDir, 'corpus.npy');
    rmSync(out, { force: true });
    const t0 = Date.now();
    await cli('encode', ['--model', c.studentDir, '--input', join(c.dataDir, 'msmarco-passage', 'collection.tsv'), '--out', out]);
    const s = (Date.now() - t0) / 1000;
    let ort = 'loads';
    try { loadOrt(); } catch (e) { ort = `unavailable: ${(e as Error).message}`; }
    return { info: { what: 'mta4dpr encode (whole collection, tiny student, MTA4DPR_ENCODER default)', engine: process.env.MTA4DPR_ENCODER ?? 'auto', onnxruntime: ort, passagesPerSecond: Math.round(c.passages / s), npyMiB: mib(statSync(out).size) } };
  },
};

const search: Stage<string> = {
  async prepare(c) {
    const all = readFileSync(join(c.dataDir, 'msmarco-passage', 'queries.dev.small.tsv'), 'utf8').split('\n').filter(Boolean);
    const path = join(c.workDir, 'dev-queries.tsv');
    writeFileSync(path, `${all.slice(0, c.searchQueries).join('\n')}\n`);
    return path;
  },
  async run(c, queries) {
    const out = join(c.workDir, 'dev.trec');
    rmSync(out, { force: true });
    const n = (await countLines(queries));
    await cli('search', ['--model', c.studentDir, '--shards', join(c.workDir, 'corpus.npy'), '--queries', queries, '--out', out, '--k', String(c.searchK)]);
    return { info: { what: `mta4dpr search --shards corpus.npy (exact top-${c.searchK}, ${n} dev queries)`, queries: n, k: c.searchK, runMiB: mib(statSync(out).size) } };
  },
};

const evalStage: Stage<null> = {
  async prepare() { return null; },
  async run(c) {
    await cli('eval', ['--qrels', join(c.dataDir, 'msmarco-passage', 'qrels.dev.small.tsv'), '--run', join(c.workDir, 'dev.trec'), '--metrics', 'RR@10,R@1000,nDCG@10', '--json']);
    return { info: { what: 'mta4dpr eval (RR@10, R@1000, nDCG@10 on the searched dev queries)' } };
  },
};

const BY_NAME: Record<StageName, Stage<any>> = { generate, load, candidates, score, train, iteration, encode, search, eval: evalStage }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** In the child: prepare (untimed), reset the peak, run (timed), and report time and memory. */
export async function measureStage(c: StageConfig): Promise<Record<string, unknown>> {
  await initBackend();
  const stage = BY_NAME[c.stage];
  const tp = Date.now();
  const prepared = await stage.prepare(c);
  const prepareSeconds = (Date.now() - tp) / 1000;
  gc();
  const start = procStatus();
  const startHeap = retained();
  const hwmReset = resetPeak();
  const t0 = Date.now();
  const marks: Mark[] = [];
  const mark = (at: string): void => {
    const r = retained();
    marks.push({ at, seconds: (Date.now() - t0) / 1000, rssMiB: procStatus().rssMiB, heapUsedMiB: r.heapUsedMiB, externalMiB: r.externalMiB });
  };
  const { info, keep } = await stage.run(c, prepared, mark);
  const seconds = (Date.now() - t0) / 1000;
  const end = procStatus();
  const after = retained();
  void keep;
  return {
    ...info,
    seconds, prepareSeconds,
    peakRssMiB: hwmReset ? end.hwmMiB : null, rssAtStartMiB: start.rssMiB, rssAtEndMiB: end.rssMiB,
    processPeakRssMiB: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
    heapAtStartMiB: { heapUsed: startHeap.heapUsedMiB, external: startHeap.externalMiB },
    heapAtEndMiB: { heapUsed: after.heapUsedMiB, external: after.externalMiB, arrayBuffers: after.arrayBuffersMiB },
    ...(marks.length ? { marks } : {}),
  };
}
