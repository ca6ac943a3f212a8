/**
 * `reproduce --miniature`: everything a full-scale config (configs/msmarco-full.json,
 * configs/nq-full.json) needs to run on a laptop, read from the config itself — the official
 * dataset families its data names (lib/data/officialLayout.ts OFFICIAL_FAMILY), written as
 * synthetic miniatures in the public formats (lib/data/miniature.ts) with a run file for every
 * system its teacher, assistants, candidate runs and bundled-run rows read (teacher first: it gets
 * the least noise); a tiny Hugging Face student for `init: 'hf'` students; a tiny folder for every
 * `dense` / `cross-encoder` model it scores with — plus the config rewritten to use them at toy
 * scale (lib/pipeline/toyScale.ts).
 *
 * The folder is the miniature's own: it is written next to it and renamed into place, with
 * DIR/miniature.json (options + the hash of every file) written last, so a folder with a matching
 * stamp is complete and is reused as is; other options rewrite it; a non-empty folder without a
 * stamp is refused (it may hold real data). The same options write the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { z } from 'zod';
import {
  ConfigError, isFolderModelRef, parseExperimentConfig, runSystemOf, systemConfig,
  type ExperimentConfig, type MethodConfig,
} from '../config';
import { writeFamilyMiniature } from '../data/miniature';
import { OFFICIAL_DATASET_NAMES, OFFICIAL_FAMILY, type OfficialDatasetName, type OfficialFamily } from '../data/officialLayout';
import { lockFile, OutputError, stableStringify, writeJsonAtomic } from '../io';
import { writeRandomBertCrossEncoder } from '../models/crossEncoder/hfFolder';
import { TINY_HF_STUDENT, writeTinyHfStudent } from '../models/tinyHfStudent';
import { atToyScale, toyScaleSummary } from './toyScale';

/** The stamp a complete miniature folder holds (written last). */
export const MINIATURE_STAMP = 'miniature.json';
const STAMP_FORMAT = 'mta4dpr-miniature/1';

/** Sizes and seed of a miniature; every field has a default that runs a full config in minutes. */
export const MiniatureSizeSchema = z.strictObject({
  seed: z.number().int().min(0).max(1_000_000).default(1),
  /** Passages of each collection. */
  passages: z.number().int().min(50).max(1_000_000).default(500),
  /** Training queries of each collection (dev/test sets get a quarter, TREC DL an eighth). */
  trainQueries: z.number().int().min(10).max(100_000).default(40),
  /** Ranked passages per query in each run file. */
  runDepth: z.number().int().min(1).max(1000).default(50),
});
/** Sizes and seed of a miniature, as a caller writes them. */
export type MiniatureSize = z.input<typeof MiniatureSizeSchema>;

/** A model folder the miniature writes in place of one the config points to. */
export interface MiniatureModel {
  /** `student`: an `init: 'hf'` student's hfModel; else the kind of the teacher / assistant reference. */
  readonly role: 'student' | 'dense' | 'cross-encoder';
  /** The folder as the config names it (student.hfModel, or the reference's absolute path). */
  readonly source: string;
  /** Its replacement, relative to the miniature folder. */
  readonly dir: string;
  /** Model seed (from the miniature's seed and the folder's place in this list). */
  readonly seed: number;
  /** Longest query / passage the config asks of it (dense references): the tiny model's positions cover them. */
  readonly maxPositions: number;
}

/** What a config needs of a miniature: read from the config alone. */
export interface MiniatureNeeds {
  readonly datasets: readonly OfficialDatasetName[];
  readonly families: readonly OfficialFamily[];
  /** Run-file systems, teacher first, then assistants, candidate runs and bundled-run rows. */
  readonly systems: readonly string[];
  readonly models: readonly MiniatureModel[];
}

/** A miniature ready for a config: where it is, what it holds, whether it was reused. */
export interface PreparedMiniature {
  /** The data root (absolute): the config's data.root on the miniature. */
  readonly root: string;
  readonly reused: boolean;
  readonly size: z.output<typeof MiniatureSizeSchema>;
  readonly needs: MiniatureNeeds;
  /** The student override (student.hfModel): the tiny HF student of the base config, if it has an `init: 'hf'` student. */
  readonly hfModel?: string;
  /** SHA-256 over every file of the miniature (the stamp's `hash`). */
  readonly hash: string;
  /** One sentence for results.json and the report: what the data are and that the run is at toy scale. */
  readonly note: string;
}

// Run names become file names (`runs/NAME.trec`): nothing that could leave the runs folder.
const SAFE_RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** Every method configuration the experiment runs: the base and each row with its overrides. */
function methodConfigs(config: ExperimentConfig): MethodConfig[] {
  return [systemConfig(config, { name: config.name, kind: 'trained', overrides: {} }), ...config.systems.map((s) => systemConfig(config, s))];
}

/** Reads from `config` which official datasets, run files and model folders a miniature must hold. */
export function miniatureNeeds(config: ExperimentConfig, seed = 1): MiniatureNeeds {
  const methods = methodConfigs(config);
  const official = new Set<string>(OFFICIAL_DATASET_NAMES);
  const datasets: OfficialDatasetName[] = [];
  for (const m of methods) {
    for (const name of [...m.data.train, ...m.data.test]) {
      // The config's own `datasets` win over the official names (withOfficialLayout): those are its data, not ours to write.
      if (official.has(name) && !Object.hasOwn(m.datasets, name) && !datasets.includes(name as OfficialDatasetName)) datasets.push(name as OfficialDatasetName);
    }
  }
  if (datasets.length === 0) {
    throw new ConfigError(config.name, [`data: names no dataset of the official layout (${OFFICIAL_DATASET_NAMES.join(', ')}), so a miniature has nothing to stand in for; run this config on its own data`]);
  }
  const families = (['msmarco', 'nq'] as const).filter((f) => datasets.some((d) => OFFICIAL_FAMILY[d] === f));
  const systems: string[] = [];
  const add = (s: string | undefined, where: string) => {
    if (s === undefined || systems.includes(s)) return;
    if (!SAFE_RUN_NAME.test(s)) throw new ConfigError(config.name, [`${where}: run name '${s}' cannot be a miniature run file name (letters, digits, . _ + - only)`]);
    systems.push(s);
  };
  // Teachers first (the writers give earlier systems less noise), then assistants, then the rest.
  for (const m of methods) add(runSystemOf(m.teacher), 'teacher.run');
  for (const m of methods) for (const a of m.assistants) add(runSystemOf(a), `assistants(${a.name}).run`);
  for (const m of methods) for (const r of m.data.candidates.runs ?? []) add(r, 'data.candidates.runs');
  for (const s of config.systems) if (s.kind === 'run') add(s.run ?? s.name, `systems(${s.name}).run`);

  const models: Array<{ -readonly [K in keyof MiniatureModel]: MiniatureModel[K] }> = [];
  const addModel = (role: MiniatureModel['role'], source: string, maxPositions: number) => {
    const known = models.find((m) => m.source === source);
    if (known) {
      if (known.role !== role) throw new ConfigError(config.name, [`model folder ${source} is used as both a ${known.role} and a ${role} model`]);
      // Rows may ask longer inputs of the same folder: its positions cover the longest.
      known.maxPositions = Math.max(known.maxPositions, maxPositions);
      return;
    }
    // Named by role and order, not after the source: the folder is a toy stand-in, not that model.
    const n = models.filter((m) => m.role === role).length;
    models.push({ role, source, dir: `models/tiny-${role}${n === 0 ? '' : `-${n + 1}`}`, seed: seed * 1000 + models.length + 1, maxPositions });
  };
  for (const m of methods) {
    if (m.student.preset !== 'hashed-lexical' && m.student.init === 'hf' && m.student.hfModel) addModel('student', m.student.hfModel, TINY_HF_STUDENT.maxPositions);
  }
  for (const m of methods) {
    for (const ref of [m.teacher, ...m.assistants].filter(isFolderModelRef)) {
      const lengths = ref.kind === 'dense' ? [ref.queryMaxLength ?? 0, ref.passageMaxLength ?? 0] : [ref.maxLength ?? 0];
      addModel(ref.kind, ref.path, Math.min(512, Math.max(ref.kind === 'dense' ? TINY_HF_STUDENT.maxPositions : 128, ...lengths)));
    }
  }
  return { datasets, families, systems, models };
}

/** The stamp: options and the hash of every file, so a reuse is checked, not assumed. */
const StampSchema = z.strictObject({
  format: z.literal(STAMP_FORMAT),
  options: z.unknown(),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
type Stamp = z.output<typeof StampSchema>;

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every file under `dir`, relative, with '/' separators, sorted (the stamp excluded). */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => statSync(join(dir, f)).isFile()).map((f) => f.split(sep).join('/')).filter((f) => f !== MINIATURE_STAMP).sort();
}

function overallHash(files: Readonly<Record<string, string>>): string {
  return createHash('sha256').update(Object.keys(files).sort().map((f) => `${files[f]}  ${f}\n`).join('')).digest('hex');
}

/** The folder's stamp when it exists and parses; undefined when absent; 'foreign' when something else is there. */
function readStamp(dir: string): Stamp | undefined | 'foreign' {
  const path = join(dir, MINIATURE_STAMP);
  if (!existsSync(path)) return undefined;
  try {
    const r = StampSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return r.success ? r.data : 'foreign';
  } catch {
    return 'foreign';
  }
}

/** True when `dir`'s stamp has these options and every file (and no other) has its recorded hash. */
function isCompleteMiniature(dir: string, stamp: Stamp, options: unknown): boolean {
  if (stableStringify(stamp.options) !== stableStringify(options)) return false;
  const files = filesUnder(dir);
  const listed = Object.keys(stamp.files).sort();
  // An extra run file would change the results: the official layout reads every runs/*.trec.
  if (files.length !== listed.length || files.some((f, i) => f !== listed[i])) return false;
  return listed.every((f) => fileHash(join(dir, f)) === stamp.files[f]) && overallHash(stamp.files) === stamp.hash;
}

/** Writes the miniature into the (empty) folder `dir`; returns the stamp. */
async function writeMiniature(dir: string, size: PreparedMiniature['size'], needs: MiniatureNeeds, options: unknown): Promise<Stamp> {
  for (const family of needs.families) {
    writeFamilyMiniature(family, dir, { seed: size.seed, passages: size.passages, trainQueries: size.trainQueries, runDepth: size.runDepth, systems: needs.systems });
  }
  for (const m of needs.models) {
    const out = join(dir, m.dir);
    if (m.role === 'cross-encoder') await writeRandomBertCrossEncoder(out, { layers: 1, hidden: 16, seed: m.seed, maxPositions: m.maxPositions });
    else await writeTinyHfStudent(out, m.seed, { maxPositions: m.maxPositions });
  }
  const files = Object.fromEntries(filesUnder(dir).map((f) => [f, fileHash(join(dir, f))]));
  const stamp: Stamp = { format: STAMP_FORMAT, options, files, hash: overallHash(files) };
  // Last: a folder with a stamp is complete.
  await writeJsonAtomic(join(dir, MINIATURE_STAMP), stamp);
  return stamp;
}

/** The sentence results.json and the report carry for a run on a miniature. */
function noteOf(size: PreparedMiniature['size'], needs: MiniatureNeeds): string {
  return `synthetic miniature of the official layout (${needs.families.map((f) => (f === 'msmarco' ? 'MS MARCO passage + TREC DL' : 'DPR NQ')).join(', ')}: ` +
    `${size.passages} passages, ${size.trainQueries} training queries, run files of ${needs.systems.length} systems, seed ${size.seed}) ` +
    `at ${toyScaleSummary()}: it shows the config runs end to end; the numbers are not the paper's`;
}

/**
 * Writes (or reuses, when DIR already holds it with the same options) the miniature `config`
 * needs in `dir`, and returns the data root, the student override and the note for the results;
 * `log` receives the lock's notes (a dead writer's lock taken over).
 */
export async function prepareMiniature(config: ExperimentConfig, dir: string, size: MiniatureSize = {}, log: (m: string) => void = () => {}): Promise<PreparedMiniature> {
  const parsed = MiniatureSizeSchema.safeParse(size);
  if (!parsed.success) throw new ConfigError('miniature options', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  const s = parsed.data;
  const needs = miniatureNeeds(config, s.seed);
  const root = resolve(dir);
  const options = { ...s, families: needs.families, systems: needs.systems, models: needs.models.map((m) => ({ role: m.role, dir: m.dir, seed: m.seed, maxPositions: m.maxPositions })) };
  const base = needs.models.find((m) => m.role === 'student' && m.source === systemConfig(config, { name: config.name, kind: 'trained', overrides: {} }).student.hfModel);
  const done = (stamp: Stamp, reused: boolean): PreparedMiniature => ({
    root, reused, size: s, needs, hash: stamp.hash, note: noteOf(s, needs), ...(base ? { hfModel: join(root, base.dir) } : {}),
  });
  if (existsSync(root) && !statSync(root).isDirectory()) throw new OutputError(dir, 'exists and is a file; --miniature needs a folder');
  // One writer per miniature folder: the lock sits beside it, so the folder itself can be swapped.
  const lock = lockFile(root, `mta4dpr miniature ${config.name}`, log);
  try {
    const stamp = existsSync(root) ? readStamp(root) : undefined;
    if (stamp && stamp !== 'foreign' && isCompleteMiniature(root, stamp, options)) return done(stamp, true);
    if (existsSync(root) && !stamp && readdirSync(root).length > 0) {
      throw new OutputError(dir, `is not empty and holds no ${MINIATURE_STAMP}: --miniature writes its own folder (it replaces what is there); give a new or empty folder`);
    }
    if (stamp === 'foreign') throw new OutputError(join(dir, MINIATURE_STAMP), 'is not a miniature stamp of this package; give a new or empty folder');
    // Written beside the folder and renamed into place: the folder is the old miniature, the new
    // one, or (for a moment between the renames) absent — never half written.
    const tmp = join(dirname(root), `.${basename(root)}.writing`);
    const old = join(dirname(root), `.${basename(root)}.old`);
    // Leftovers of a writer that died (the lock is ours now).
    rmSync(tmp, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
    let written: Stamp;
    try {
      written = await writeMiniature(tmp, s, needs, options);
      if (existsSync(root)) renameSync(root, old);
      renameSync(tmp, root);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    rmSync(old, { recursive: true, force: true });
    return done(written, false);
  } finally {
    lock.release();
  }
}

/** Replaces the `path` of every folder reference in `refs` (one, or an array) found in `moved`. */
function movedRefs(refs: unknown, moved: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(refs)) return refs.map((r) => movedRefs(r, moved));
  if (typeof refs !== 'object' || refs === null) return refs;
  const r = refs as Record<string, unknown>;
  const to = typeof r.path === 'string' ? moved.get(r.path) : undefined;
  // The miniature's folders are HF layout: a reference that asked for an ONNX or checkpoint folder
  // reads it as HF (a row override naming only a format applies to the base's folder, moved too).
  const format = r.format !== undefined && (to !== undefined || r.path === undefined) ? { format: 'hf' } : {};
  return { ...r, ...(to === undefined ? {} : { path: to }), ...format };
}

/** `config` on the miniature: its data root, the miniature's model folders, and toy scale. */
export function onMiniature(config: ExperimentConfig, prepared: PreparedMiniature): ExperimentConfig {
  const folder = (m: MiniatureModel) => join(prepared.root, m.dir);
  const students = new Map(prepared.needs.models.filter((m) => m.role === 'student').map((m) => [m.source, folder(m)]));
  const refs = new Map(prepared.needs.models.filter((m) => m.role !== 'student').map((m) => [m.source, folder(m)]));
  const student = (st: unknown): unknown => {
    if (typeof st !== 'object' || st === null) return st;
    const o = st as Record<string, unknown>;
    const to = typeof o.hfModel === 'string' ? students.get(o.hfModel) : undefined;
    return to === undefined ? o : { ...o, hfModel: to };
  };
  const section = (o: Record<string, unknown>): Record<string, unknown> => ({
    ...o,
    ...('teacher' in o ? { teacher: movedRefs(o.teacher, refs) } : {}),
    ...('assistants' in o ? { assistants: movedRefs(o.assistants, refs) } : {}),
    ...('student' in o ? { student: student(o.student) } : {}),
  });
  const raw = section({ ...config, data: { ...config.data, root: prepared.root } } as Record<string, unknown>);
  const systems = config.systems.map((s) => ({ ...s, overrides: section(s.overrides as Record<string, unknown>) }));
  return atToyScale(parseExperimentConfig({ ...raw, systems }, `${config.name} on a miniature`));
}
