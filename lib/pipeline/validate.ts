/**
 * Validation before work: what the schema (lib/config) cannot check alone, because it needs the
 * measure parser, the dataset registry or the student's architecture schema. Every problem is
 * reported with its key path in one ConfigError, before any data is loaded.
 */
import { resolve } from 'node:path';
import { ConfigError, loadExperimentConfig, systemConfig, type ExperimentConfig, type MethodConfig } from '../config';
import { datasetResolver } from '../data/resolver';
import { answerMeasureDepth } from '../eval/answers';
import { parseMeasure } from '../eval/parse';
import { DEFAULT_STUDENT, DISTILBERT_BASE, StudentConfigSchema } from '../models/config';
import { LexicalConfigSchema } from '../models/lexical/config';
import { isOfficialDatasetName, missingOfficialFiles, officialRuns, withOfficialLayout, type OfficialDatasetName } from '../data/officialLayout';
import { runSystemOf } from '../config/model';
import { candidateSystems } from './splits';
import { isBm25RunName } from './bm25Runs';

const STUDENT_KEYS = new Set(Object.keys(StudentConfigSchema.shape));
const LEXICAL_KEYS = new Set(Object.keys(LexicalConfigSchema.shape));

/** Problems of one method configuration, each as "key.path: message" under `prefix`. */
export function methodIssues(config: MethodConfig, prefix = ''): string[] {
  const issues: string[] = [];
  const known = new Set(datasetResolver(withOfficialLayout(config.datasets, config.data.root), process.cwd()).names());
  for (const part of ['train', 'test'] as const) {
    config.data[part].forEach((name, i) => {
      if (!known.has(name)) issues.push(`${prefix}data.${part}.${i}: unknown dataset '${name}' (known: ${[...known].join(', ')})`);
    });
  }
  config.eval.metrics.forEach((m, i) => {
    if (answerMeasureDepth(m) !== undefined) return;
    try {
      parseMeasure(m);
    } catch (e) {
      issues.push(`${prefix}eval.metrics.${i}: ${(e as Error).message}`);
    }
  });
  const lexical = config.student.preset === 'hashed-lexical';
  const keys = lexical ? LEXICAL_KEYS : STUDENT_KEYS;
  const unknownKeys = Object.keys(config.student.overrides).filter((k) => !keys.has(k));
  for (const k of unknownKeys) issues.push(`${prefix}student.overrides.${k}: unknown ${lexical ? 'hashed-lexical ' : ''}student field (fields: ${[...keys].join(', ')})`);
  if (unknownKeys.length === 0) {
    const preset = config.student.preset === 'default' ? DEFAULT_STUDENT : DISTILBERT_BASE;
    const r = lexical ? LexicalConfigSchema.safeParse(config.student.overrides) : StudentConfigSchema.safeParse({ ...preset, ...config.student.overrides });
    if (!r.success) for (const i of r.error.issues) issues.push(`${prefix}student.overrides.${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return issues;
}

/**
 * Files of the official layout the config reads from its data root that are not there, and run
 * files its teacher, assistants or candidates need that no training dataset has (BM25 runs are
 * made, not read). Datasets the config declares itself are its own business (they win over the layout).
 */
function layoutIssues(config: MethodConfig, prefix: string): string[] {
  const root = config.data.root;
  if (root === undefined) return [];
  const official = (names: readonly string[]) => names.filter((n): n is OfficialDatasetName => isOfficialDatasetName(n) && config.datasets[n] === undefined);
  const train = official(config.data.train);
  const issues: string[] = [];
  for (const part of ['train', 'test'] as const) {
    for (const name of official(config.data[part])) issues.push(...missingOfficialFiles(root, name).map((m) => `${prefix}data.${part}: ${m}`));
  }
  // A system's run may come from any training dataset; only an all-official split is checked here.
  if (train.length > 0 && train.length === config.data.train.length) {
    const refs = [config.teacher, ...config.assistants];
    const needed = [...new Set([...candidateSystems(config), ...refs.flatMap((r) => runSystemOf(r) ?? [])])].filter((s) => !isBm25RunName(s));
    const folders = train.map((name) => officialRuns(root, name));
    const found = new Set(folders.flatMap((f) => f.systems));
    const absent = needed.filter((s) => !found.has(s));
    if (absent.length > 0) {
      issues.push(`${prefix}data.train: no run file ${absent.map((s) => `${s}.trec`).join(', ')} in ${folders.map((f) => f.dir).join(', ')} (found: ${[...found].join(', ') || 'none'})`);
    }
  }
  return issues;
}

/** Throws a ConfigError listing `issuesOf` every row and the base config, a base problem once at its own path. */
function checkRows(experiment: ExperimentConfig, source: string, issuesOf: (config: MethodConfig, prefix: string) => string[]): void {
  const issues = experiment.systems.flatMap((s, i) => issuesOf(systemConfig(experiment, s), `systems.${i}(${s.name}).`));
  // A problem of the base config shows in every row: report it once, at its own path.
  const base = issuesOf(systemConfig(experiment, { name: experiment.name, kind: 'trained', overrides: {} }), '');
  const rowOnly = issues.filter((i) => !base.some((b) => i.endsWith(`.${b}`)));
  if (base.length + rowOnly.length > 0) throw new ConfigError(source, [...base, ...rowOnly]);
}

/** Throws a ConfigError listing every problem of the experiment and of each of its rows. */
export function checkExperiment(experiment: ExperimentConfig, source = experiment.name): void {
  checkRows(experiment, source, methodIssues);
}

/**
 * Throws a ConfigError listing every file of the official layout the experiment reads from its
 * data root that is not there, and every run file a row needs that no training dataset has — at
 * the start of a run, before hours of work stop at the first (the miniature is written before).
 */
export function checkDataRoot(experiment: ExperimentConfig, source = experiment.name): void {
  checkRows(experiment, source, layoutIssues);
}

/** Reads, parses and checks an experiment config file (everything validated before work); `dataRoot` replaces its data.root. */
export function loadCheckedExperiment(path: string, opts: { readonly dataRoot?: string } = {}): ExperimentConfig {
  const loaded = loadExperimentConfig(path);
  const experiment = opts.dataRoot === undefined ? loaded : { ...loaded, data: { ...loaded.data, root: resolve(opts.dataRoot) } };
  checkExperiment(experiment, path);
  return experiment;
}
